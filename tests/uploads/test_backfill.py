"""Backfill on S3 Batch Operations, end to end: the real bootstrap behind the runtime API
emulator with moto's S3 on loopback (harness.py), fed LambdaInvoke events of invocation schema
1.0 and 2.0. Each task's result code and string, the bucket's contents (members byte-identical
to the upload trigger's and to single POST /thumbnail requests), a re-run that writes nothing,
the failures a retry cannot cure (missing, not an image, over the cap, a member's key, a bad job)
and the one it can (S3 unreachable).

    THUMBPRINT_BOOTSTRAP=target/local/bootstrap python -m pytest -q tests/uploads/test_backfill.py
"""
import csv
import json
import os

import pytest

from harness import Harness
from test_uploads import CORPUS, DEST, EXT, PREFIX, SRC, members, single_posts, started, stem, versions

# Keys with spaces, +, unicode and percent signs, in folders.
KEYS = ["backfill/a b.jpg", "backfill/c+d e.png", "backfill/ünï cödé.webp", "backfill/100% sure.gif",
        "backfill/deep/er/photo.jpeg"]


def corpus_file(ext):
    """A small corpus file of a kind every member can be made of."""
    with open(os.path.join(CORPUS, "MANIFEST.tsv")) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for row in rows:
        full = os.path.join(CORPUS, row["path"])
        if (row["path"].lower().endswith(ext) and row["expect"] == "ok"
                and os.path.getsize(full) < 300_000):
            return open(full, "rb").read()
    raise AssertionError(f"no corpus file ending {ext}")


@pytest.fixture(scope="module")
def h():
    with started() as h:
        yield h


def run(h, schema, tasks, user_arguments=None):
    """Invokes one batch event; its results by task, after checking the answer's frame."""
    event = Harness.batch_event(schema, tasks, user_arguments)
    kind, r = h.invoke(event)
    assert kind == "response", r
    assert r["invocationSchemaVersion"] == schema and r["invocationId"] == event["invocationId"], r
    assert r["treatMissingKeysAs"] == "PermanentFailure", r
    assert [x["taskId"] for x in r["results"]] == [t["taskId"] for t in event["tasks"]], r
    return [(x["resultCode"], x["resultString"]) for x in r["results"]]


def bodies():
    exts = [".jpg", ".png", ".webp", ".gif", ".jpg"]
    return {key: corpus_file(ext) for key, ext in zip(KEYS, exts)}


def test_both_schemas_write_the_members_single_requests_give(h):
    objects = bodies()
    for key, body in objects.items():
        h.s3.put_object(Bucket=SRC, Key=key, Body=body)
    # One task an invocation (what Batch Operations sends), alternating the schemas.
    for i, key in enumerate(KEYS):
        [(code, text)] = run(h, ["1.0", "2.0"][i % 2], [(SRC, key)])
        assert code == "Succeeded", (key, text)
        got = members(h, key)
        assert sorted(json.loads(text)["written"]) == sorted(got), (key, text)
        want = {}
        for kind, data, _, fmt, size in single_posts(h, objects[key]):
            assert kind == "image", (key, data)
            want[f"{PREFIX}{stem(key)}-{size[0]}x{size[1]}.{EXT[fmt]}"] = data
        assert {k: v[0] for k, v in got.items()} == want, key


def test_members_are_the_upload_triggers(h):
    key = "backfill/trigger first.jpg"
    put = h.s3.put_object(Bucket=SRC, Key=key, Body=corpus_file(".jpg"))
    kind, r = h.invoke(Harness.s3_event([("ObjectCreated:Put", SRC, key, put["ETag"])]))
    assert kind == "response", r
    by_trigger = members(h, key)
    assert by_trigger
    for dest_key in by_trigger:
        h.s3.delete_object(Bucket=DEST, Key=dest_key)
    [(code, text)] = run(h, "2.0", [(SRC, key)])
    assert code == "Succeeded", text
    by_backfill = members(h, key)
    assert sorted(by_backfill) == sorted(by_trigger)
    for dest_key, (data, head) in by_backfill.items():
        assert data == by_trigger[dest_key][0], dest_key
        assert head["Metadata"] == by_trigger[dest_key][1]["Metadata"], dest_key
        assert head["ContentType"] == by_trigger[dest_key][1]["ContentType"], dest_key


def test_a_rerun_writes_nothing(h):
    before = versions(h)
    for schema in ("1.0", "2.0"):
        results = run(h, schema, [(SRC, k) for k in KEYS])
        assert all(code == "Succeeded" and "unchanged" in json.loads(text) for code, text in results), results
    assert versions(h) == before


def test_what_no_retry_can_cure_fails_permanently_and_writes_nothing(h):
    h.s3.put_object(Bucket=SRC, Key="backfill/notes.txt", Body=b"not an image at all\n" * 10)
    h.s3.put_object(Bucket=SRC, Key="backfill/huge.png", Body=b"\x89PNG\r\n\x1a\n" + b"\0" * (21 << 20))
    member = next(iter(members(h, KEYS[0])))
    before = versions(h)
    results = run(h, "1.0", [(SRC, "backfill/missing.jpg"), (SRC, "backfill/notes.txt"),
                             (SRC, "backfill/huge.png"), (DEST, member)])
    codes = [c for c, _ in results]
    assert codes == ["PermanentFailure"] * 4, results
    assert results[0][1].startswith("NoSuchKey"), results
    assert results[1][1].startswith("unsupported_format"), results
    assert results[2][1].startswith("source_too_large"), results
    assert "destination prefix" in results[3][1], results
    assert versions(h) == before


def test_s3_unreachable_is_a_temporary_failure_and_the_retry_succeeds(h):
    key = "backfill/while s3 was down.png"
    h.s3.put_object(Bucket=SRC, Key=key, Body=corpus_file(".png"))
    h.s3_down()
    try:
        [(code, text)] = run(h, "2.0", [(SRC, key)])
    finally:
        h.s3_up()
    assert code == "TemporaryFailure" and text.startswith("source_unavailable"), text
    [(code, text)] = run(h, "2.0", [(SRC, key)])
    assert code == "Succeeded", text
    assert sorted(json.loads(text)["written"]) == sorted(members(h, key))


def test_a_jobs_own_set_is_made_beside_the_triggers(h):
    key = KEYS[1]
    triggers = sorted(members(h, key))
    [(code, text)] = run(h, "2.0", [(SRC, key)], {"sizes": json.dumps([{"width": 48, "format": "webp"}])})
    assert code == "Succeeded", text
    [made] = json.loads(text)["written"]
    assert made.startswith(f"{PREFIX}{stem(key)}-48x") and made.endswith(".webp"), made
    assert sorted(members(h, key)) == sorted(triggers + [made]), "the trigger's members stay"
    # The same job again: already there.
    [(code, text)] = run(h, "2.0", [(SRC, key)], {"sizes": json.dumps([{"width": 48, "format": "webp"}])})
    assert (code, json.loads(text)) == ("Succeeded", {"unchanged": [made]})


@pytest.mark.parametrize("arguments,says", [
    ({"sizes": json.dumps([{"width": 0}])}, "user argument sizes member 1: width"),
    ({"sizes": "not json"}, "user argument sizes is not JSON"),
    ({"sizes": "[]"}, "user argument sizes"),
    ({"size": "[{\"width\": 64}]"}, "unknown user argument \"size\""),
])
def test_a_bad_job_fails_every_task_and_writes_nothing(h, arguments, says):
    before = versions(h)
    results = run(h, "2.0", [(SRC, KEYS[0]), (SRC, KEYS[2])], arguments)
    assert [c for c, _ in results] == ["PermanentFailure"] * 2, results
    assert all(t.startswith(says) for _, t in results), (says, results)
    assert versions(h) == before


def test_a_task_without_a_key_fails_alone(h):
    event = Harness.batch_event("2.0", [(SRC, KEYS[0]), (SRC, KEYS[3])])
    event["tasks"][0]["s3Key"] = ""
    kind, r = h.invoke(event)
    assert kind == "response", r
    codes = [(x["resultCode"], x["resultString"]) for x in r["results"]]
    assert codes[0] == ("PermanentFailure", "the task names no bucket or no readable key"), codes
    assert codes[1][0] == "Succeeded", codes
