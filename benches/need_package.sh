#!/usr/bin/env bash
# Sourced by the bench scripts: `need_package COMMAND PACKAGE` installs the Debian PACKAGE when
# COMMAND is missing (apt-get update first; sudo when not root).
need_package() {
  command -v "$1" >/dev/null && return 0
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$2" >/dev/null
}
