#!/usr/bin/env bash
# Builds the large-photo set of the peer benchmark from Debian's lomiri wallpaper packages
# (`apt-get download` + `dpkg -x`, nothing installed): 12 real 6-20 MP JPEGs, 10 progressive.
# Usage: benches/fetch_photos.sh DEST   (DEST/large gets the 12 files)
set -euo pipefail
dest=${1:?usage: fetch_photos.sh DEST}
mkdir -p "$dest/large" "$dest/debs"
names=(Bridge_by_Sander_Klootwijk Dragonfly_by_Bolly Kleiber_by_Lukas_Baubkus Wine_by_Jakkub_Mede
  aitzgorri_by_Aitzol_Berasategi free_by_Peter_Nerlich friends_by_Aitzol_Berasategi
  greentock_by_Peter_Nerlich life_by_Aitzol_Berasategi picosdeeuropa_by_Aitzol_Berasategi
  seeding_by_Clements_Engelhardt sunset_by_Aitzol_Berasategi)
have=0
for n in "${names[@]}"; do [ -f "$dest/large/$n.jpg" ] && have=$((have + 1)); done
if [ "$have" -eq "${#names[@]}" ]; then exit 0; fi
(cd "$dest/debs" && apt-get download lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 2>/dev/null)
for d in "$dest"/debs/*.deb; do dpkg -x "$d" "$dest/debs/x"; done
for n in "${names[@]}"; do
  f=$(find "$dest/debs/x" -name "$n.jpg" | head -1)
  [ -n "$f" ] || { echo "missing $n.jpg in the packages" >&2; exit 1; }
  cp "$f" "$dest/large/"
done
rm -rf "$dest/debs"
echo "photos in $dest/large"
