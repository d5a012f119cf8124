"""Thumbnails on upload, end to end: the real bootstrap behind the runtime API emulator, moto's
S3 on loopback (harness.py). Every corpus file uploaded and its event delivered: the members
in the destination are byte-identical to single POST /thumbnail requests to the same bootstrap,
with the right names, types and metadata, and nothing is written for what must not be. Then
redelivery, out-of-order versions, odd keys, loops, oversize, hostile and non-image objects,
deletions, events of other kinds and a configuration the function cannot use.

    THUMBPRINT_BOOTSTRAP=target/local/bootstrap python -m pytest -q tests/uploads
"""
import base64
import contextlib
import csv
import json
import os
import urllib.parse

import pytest

from harness import Harness

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CORPUS = os.environ.get("THUMBPRINT_CORPUS", os.path.join(ROOT, "tests", "corpus"))
BOOTSTRAP = os.environ.get("THUMBPRINT_BOOTSTRAP", os.path.join(ROOT, "target", "local", "bootstrap"))
SIZES = [
    {"width": 64},
    {"width": 160, "format": "webp"},
    {"width": 96, "height": 64, "fit": "cover", "format": "jpeg", "quality": 70},
]
EXT = {"png": "png", "jpeg": "jpg", "webp": "webp"}
MIME = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}
SRC, DEST, PREFIX = "uploads", "thumbs", "thumbnails/"


@contextlib.contextmanager
def started(**env):
    """The bootstrap configured for SIZES from SRC into DEST/PREFIX (plus `env`), both buckets
    made, the destination versioned."""
    env = {
        "THUMBPRINT_S3_DEST_BUCKET": DEST,
        "THUMBPRINT_S3_DEST_PREFIX": PREFIX,
        "THUMBPRINT_S3_SIZES": json.dumps(SIZES),
        **env,
    }
    with Harness(BOOTSTRAP, env) as h:
        h.s3.create_bucket(Bucket=SRC)
        h.s3.create_bucket(Bucket=DEST)
        # Every write to the destination is a version: "nothing written" is countable.
        h.s3.put_bucket_versioning(Bucket=DEST, VersioningConfiguration={"Status": "Enabled"})
        yield h


@pytest.fixture(scope="module")
def h():
    with started(THUMBPRINT_S3_DELETE_MEMBERS="true") as h:
        yield h


def stem(key):
    folder, _, name = key.rpartition("/")
    base = name.rsplit(".", 1)[0] if "." in name[1:] else name
    return f"{folder}/{base}" if folder else base


def versions(h):
    out = h.s3.list_object_versions(Bucket=DEST).get("Versions", [])
    return sorted((v["Key"], v["VersionId"]) for v in out)


def members(h, key):
    """The destination's objects of `key`'s members: {dest key: (bytes, head)}."""
    prefix = f"{PREFIX}{stem(key)}-"
    found = {}
    for o in h.s3.list_objects_v2(Bucket=DEST, Prefix=prefix).get("Contents", []):
        rest = o["Key"][len(prefix):]
        if "-" in rest.split(".")[0]:
            continue
        head = h.s3.head_object(Bucket=DEST, Key=o["Key"])
        found[o["Key"]] = (h.s3.get_object(Bucket=DEST, Key=o["Key"])["Body"].read(), head)
    return found


def single_posts(h, body):
    """Each size as a single POST /thumbnail to the same bootstrap: (key suffix, bytes, etag) or
    the error code."""
    out = []
    for size in SIZES:
        query = urllib.parse.urlencode(size)
        event = Harness.post_event(body, query)
        event["headers"]["accept"] = "application/json"
        kind, r = h.invoke(event)
        assert kind == "response", r
        v = json.loads(r["body"])
        if r["statusCode"] == 200:
            out.append(("image", base64.b64decode(v["thumbnail_base64"]), v["etag"], v["format"],
                        (v["width"], v["height"])))
        else:
            out.append(("error", v["error"]["code"], None, None, None))
    return out


def upload(h, key, body, bucket=SRC, name="ObjectCreated:Put"):
    put = h.s3.put_object(Bucket=bucket, Key=key, Body=body)
    return h.invoke(Harness.s3_event([(name, bucket, key, put["ETag"])])), put["ETag"]


def manifest():
    with open(os.path.join(CORPUS, "MANIFEST.tsv")) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_every_corpus_file_gives_the_members_single_requests_give(h):
    checked = {"members": 0, "refused files": 0, "refused members": 0}
    for row in manifest():
        body = open(os.path.join(CORPUS, row["path"]), "rb").read()
        key = f"corpus/{row['path']}"
        before = versions(h)
        (kind, result), etag = upload(h, key, body)
        want = single_posts(h, body)
        images = [w for w in want if w[0] == "image"]
        got = members(h, key)
        if not images:
            # No member can be made: the record fails (Lambda retries, then the on-failure
            # destination), with the single requests' code, and nothing is written.
            assert kind == "error", (row["path"], result)
            assert versions(h) == before, row["path"]
            assert row["expect"].startswith(("error", "either")), (row["path"], want)
            checked["refused files"] += 1
            continue
        assert kind == "response", (row["path"], result)
        assert not row["expect"].startswith("error"), (row["path"], row["expect"])
        expected = {}
        for _, data, post_etag, fmt, (w, hh) in images:
            expected[f"{PREFIX}{stem(key)}-{w}x{hh}.{EXT[fmt]}"] = (data, post_etag, fmt)
        assert sorted(got) == sorted(expected), (row["path"], sorted(got), sorted(expected))
        for dest_key, (data, post_etag, fmt) in expected.items():
            member, head = got[dest_key]
            assert member == data, f"{dest_key}: not the single request's bytes"
            meta = head["Metadata"]
            assert meta["thumbprint-etag"] == post_etag, dest_key
            assert meta["thumbprint-source-etag"] == etag, dest_key
            assert urllib.parse.unquote(meta["thumbprint-source-key"]) == key, dest_key
            assert meta["thumbprint-engine"] == h.engine, dest_key
            assert head["ContentType"] == MIME[fmt], dest_key
            assert head["CacheControl"] == "public, max-age=86400", dest_key
            checked["members"] += 1
        checked["refused members"] += len(want) - len(images)
    print(f"uploads: {checked}")
    assert checked["members"] > 250 and checked["refused files"] >= 20, checked


@pytest.fixture(scope="module", autouse=True)
def engine(h):
    # The engine version as the bootstrap reports it (GET /version through payload 2.0).
    event = Harness.post_event(b"", "")
    event.update({"routeKey": "GET /version", "rawPath": "/version", "body": "", "isBase64Encoded": False})
    event["requestContext"]["http"].update({"method": "GET", "path": "/version"})
    kind, r = h.invoke(event)
    h.engine = json.loads(r["body"])["engine"]


PHOTO = os.path.join(CORPUS, "photos", "rocket.jpg")
OTHER = os.path.join(CORPUS, "photos", "chelsea_cat.png")


def test_a_redelivered_event_writes_nothing(h):
    (kind, r), etag = upload(h, "again/a.jpg", open(PHOTO, "rb").read())
    assert kind == "response" and "Written" in r["records"][0], r
    before = versions(h)
    event = Harness.s3_event([("ObjectCreated:Put", SRC, "again/a.jpg", etag)] * 2)
    for _ in range(2):
        kind, r = h.invoke(event)
        assert kind == "response" and [o.split("(")[0] for o in r["records"]] == ["Unchanged", "Unchanged"], r
    assert versions(h) == before


def test_out_of_order_versions_leave_the_newest(h):
    key = "order/pic.jpg"
    first = h.s3.put_object(Bucket=SRC, Key=key, Body=open(PHOTO, "rb").read())["ETag"]
    kind, _ = h.invoke(Harness.s3_event([("ObjectCreated:Put", SRC, key, first)]))
    old = set(members(h, key))
    newer = h.s3.put_object(Bucket=SRC, Key=key, Body=open(OTHER, "rb").read())["ETag"]
    # The newer version's event first, then a late redelivery of the older one.
    for etag in (newer, first):
        kind, r = h.invoke(Harness.s3_event([("ObjectCreated:Put", SRC, key, etag)]))
        assert kind == "response", r
    got = members(h, key)
    assert len(got) == len(SIZES), sorted(got)
    assert all(head["Metadata"]["thumbprint-source-etag"] == newer for _, head in got.values())
    # The older version's members of other dimensions are gone.
    assert old - set(got), "the two versions should have members of other sizes"
    assert not (old - set(got)) & set(members_keys(h)), sorted(old)


def test_odd_keys_keep_their_names_and_folders(h):
    body = open(PHOTO, "rb").read()
    for key in ["odd/a b.jpg", "odd/a+b.jpg", "odd/café 1%.jpg", "odd/x%2By.jpeg", "odd/日本/写真.JPG",
                "odd/dots.in.name.jpg", "odd/noext"]:
        (kind, r), etag = upload(h, key, body)
        assert kind == "response", (key, r)
        got = members(h, key)
        assert len(got) == len(SIZES), (key, sorted(got))
        assert all(k.startswith(f"{PREFIX}{stem(key)}-") for k in got), (key, sorted(got))
        # Its members are found again by listing (keys come back URL-encoded): a redelivery
        # writes nothing.
        before = versions(h)
        kind, r = h.invoke(Harness.s3_event([("ObjectCreated:Put", SRC, key, etag)]))
        assert kind == "response" and r["records"][0].startswith("Unchanged"), (key, r)
        assert versions(h) == before, key


def test_nothing_feeds_itself(h):
    body = open(PHOTO, "rb").read()
    # A source in the destination bucket: its members under the prefix, then their own events.
    (kind, r), _ = upload(h, "incoming/self.jpg", body, bucket=DEST)
    assert kind == "response" and "Written" in r["records"][0], r
    before = versions(h)
    written = [k for k in members_keys(h) if k.startswith(f"{PREFIX}incoming/self-")]
    assert len(written) == len(SIZES)
    kind, r = h.invoke(Harness.s3_event([("ObjectCreated:Put", DEST, k) for k in written]))
    assert kind == "response" and r["records"] == ["Skipped(\"under the destination prefix\")"] * len(SIZES), r
    # A member copied out of the prefix (or into a source bucket) is still a member.
    h.s3.copy_object(Bucket=SRC, Key="copied.png", CopySource={"Bucket": DEST, "Key": written[0]})
    kind, r = h.invoke(Harness.s3_event([("ObjectCreated:Copy", SRC, "copied.png")]))
    assert kind == "response" and r["records"] == ["Skipped(\"the object is a thumbprint member\")"], r
    assert versions(h) == before


def test_a_second_source_with_the_same_stem_does_not_take_the_firsts_members(h):
    body = open(PHOTO, "rb").read()
    (kind, r), etag = upload(h, "stems/a.jpg", body)
    assert kind == "response" and "Written" in r["records"][0], r
    first = members(h, "stems/a.jpg")
    before = versions(h)
    # a.jpeg makes members of the same names: they stay a.jpg's.
    (kind, r), _ = upload(h, "stems/a.jpeg", body)
    assert kind == "response" and r["records"] == ["Skipped(\"every member's name is taken by another source\")"], r
    assert versions(h) == before
    kind, r = h.invoke(Harness.s3_event([("ObjectCreated:Put", SRC, "stems/a.jpg", etag)]))
    assert kind == "response" and r["records"][0].startswith("Unchanged"), r
    assert {k: v[0] for k, v in members(h, "stems/a.jpg").items()} == {k: v[0] for k, v in first.items()}


def test_folder_markers_and_s3s_test_event_make_nothing(h):
    before = versions(h)
    h.s3.put_object(Bucket=SRC, Key="album/", Body=b"")
    kind, r = h.invoke(Harness.s3_event([("ObjectCreated:Put", SRC, "album/")]))
    assert kind == "response" and r["records"] == ["Skipped(\"a folder marker\")"], r
    # What S3 sends when a notification configuration is saved.
    kind, r = h.invoke({"Service": "Amazon S3", "Event": "s3:TestEvent", "Time": "2026-12-07T00:00:00.000Z",
                        "Bucket": SRC, "RequestId": "R", "HostId": "H"})
    assert (kind, r) == ("response", {"records": []}), r
    assert versions(h) == before


def members_keys(h):
    return [o["Key"] for o in h.s3.list_objects_v2(Bucket=DEST).get("Contents", [])]


def test_oversize_hostile_and_non_images_fail_and_write_nothing(h):
    before = versions(h)
    cases = [
        ("bad/big.jpg", b"\xff\xd8\xff" + b"\0" * (21 * 1024 * 1024), "source_too_large"),
        ("bad/notes.jpg", b"just some text, not an image\n" * 20, "unsupported_format"),
        ("bad/truncated.png", open(os.path.join(CORPUS, "malformed", "png_truncated_mid_idat.png"), "rb").read(), None),
    ]
    for key, body, code in cases:
        (kind, r), _ = upload(h, key, body)
        assert kind == "error", (key, r)
        if code:
            assert code in json.dumps(r) or code in "".join(json.dumps(l) for l in h.logs()[-5:]), (key, r)
    assert versions(h) == before
    # Each failure is logged with its code, once per record.
    failed = [l for l in h.logs() if l.get("fields", {}).get("message") == "upload record failed"]
    assert {l["fields"]["code"] for l in failed} >= {"source_too_large", "unsupported_format"}, failed


def test_a_deleted_source_deletes_its_members_and_a_restore_is_left_alone(h):
    (kind, r), _ = upload(h, "gone/pic.jpg", open(PHOTO, "rb").read())
    assert len(members(h, "gone/pic.jpg")) == len(SIZES)
    h.s3.delete_object(Bucket=SRC, Key="gone/pic.jpg")
    kind, r = h.invoke(Harness.s3_event([("ObjectRemoved:Delete", SRC, "gone/pic.jpg"),
                                         ("ObjectRestore:Completed", SRC, "other.jpg")]))
    assert kind == "response" and r["records"] == [f"Deleted({len(SIZES)})"], r
    assert members(h, "gone/pic.jpg") == {}


def test_every_record_of_an_event_is_handled(h):
    body = open(PHOTO, "rb").read()
    keys = [f"many/{i}.jpg" for i in range(5)]
    for k in keys:
        h.s3.put_object(Bucket=SRC, Key=k, Body=body)
    kind, r = h.invoke(Harness.s3_event([("ObjectCreated:Put", SRC, k) for k in keys]))
    assert kind == "response" and len(r["records"]) == 5, r
    assert all(len(members(h, k)) == len(SIZES) for k in keys)


def test_an_unusable_configuration_stops_the_cold_start():
    for env, words in [({"THUMBPRINT_S3_SIZES": '[{"width": 0}]'}, "THUMBPRINT_S3_SIZES"),
                       ({"THUMBPRINT_S3_SIZES": ""}, "THUMBPRINT_S3_SIZES"),
                       ({"THUMBPRINT_S3_SIZES": '[{"width": 64}]', "THUMBPRINT_S3_DELETE_MEMBERS": "yes"},
                        "THUMBPRINT_S3_DELETE_MEMBERS")]:
        with Harness(BOOTSTRAP, {"THUMBPRINT_S3_DEST_BUCKET": DEST, **env}) as bad:
            kind, r = bad.invoke(Harness.s3_event([("ObjectCreated:Put", SRC, "x.jpg")]))
            assert kind == "init_error", r
            assert words in r, r
