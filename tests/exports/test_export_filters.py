"""The exports' filters, permissions and errors, their query counts, and the management
command that writes the same files."""

import csv
import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotations import policy, selectors, services
from annotations.management.commands import export_annotations
from annotations.models import Annotation
from tests.export_data import FILES, URL, approve, get, ids, jsonl, make_dataset
from tests.factories import make_annotation, make_article, make_user

pytestmark = pytest.mark.django_db


# Filters, permissions, errors ---------------------------------------------------------------


def test_default_is_approved_only_and_other_statuses_are_for_the_newsroom(client, reviewer, editor):
    article = make_article()
    approved = approve(make_annotation(article, reviewer, "waste"), editor)
    pending = make_annotation(article, reviewer, "42 million euros")
    for person in (reviewer, editor):
        client.force_login(person)
        assert ids(get(client, "annotations.jsonl")[1]) == [approved.pk]
        assert ids(get(client, "annotations.jsonl", status="pending")[1]) == [pending.pk]
        assert ids(get(client, "annotations.jsonl", status="all")[1]) == [approved.pk, pending.pk]


@pytest.mark.parametrize("status", ["pending", "rejected", "changes_requested", "all"])
@pytest.mark.parametrize(
    "name", ["annotations.jsonl", "annotations.jsonld", "claimreview.json", "annotations.csv"]
)
def test_an_account_without_a_role_exports_approved_only(client, reviewer, editor, status, name):
    article = make_article()
    approve(make_annotation(article, reviewer, "waste", verdict="verified"), editor)
    make_annotation(article, reviewer, "42 million euros", verdict="verified")
    client.force_login(make_user("cms", groups=()))
    assert get(client, name)[0].status_code == 200
    response, body = get(client, name, status=status)
    assert response.status_code == 403
    assert json.loads(body) == {"detail": policy.STATUS_HIDDEN}


def test_list_filters_apply(client, reviewer, other_reviewer, editor):
    first, second = make_article(), make_article()
    a = approve(make_annotation(first, reviewer, "waste", verdict="disputed"), editor)
    b = approve(make_annotation(second, reviewer, "waste"), editor)
    c = approve(make_annotation(second, other_reviewer, "Critics"), editor)
    client.force_login(reviewer)
    assert ids(get(client, "annotations.jsonl", article=second.pk)[1]) == [b.pk, c.pk]
    assert ids(get(client, "annotations.jsonl", verdict="disputed")[1]) == [a.pk]
    assert ids(get(client, "annotations.jsonl", author="oscar")[1]) == [c.pk]
    after = Annotation.objects.get(pk=b.pk).updated.isoformat()
    # Inclusive, as in the annotation list: a sync loop never misses a row.
    assert ids(get(client, "annotations.jsonl", updated_after=after)[1]) == [b.pk, c.pk]
    assert ids(get(client, "annotations.jsonl", author="oscar", verdict="disputed")[1]) == []


def test_evidence_stays_with_its_annotation_for_dense_and_sparse_chunks(
    client, reviewer, other_reviewer, editor, monkeypatch
):
    article = make_article()
    made = []
    for i, phrase in enumerate(["mayor", "bridge", "cost", "waste", "Critics", "Supporters"]):
        author = reviewer if i % 5 == 0 else other_reviewer
        links = [{"url": f"https://evidence.example/{i}/{k}", "title": ""} for k in range(i % 3)]
        made.append(approve(make_annotation(article, author, phrase, evidence=links), editor))
    expected = {a.pk: [e.url for e in a.evidence.order_by("id")] for a in made}
    monkeypatch.setattr(selectors, "EXPORT_CHUNK_SIZE", 2)
    client.force_login(reviewer)
    for params in ({}, {"author": "rita"}, {"author": "oscar"}):  # rita's two are 5 ids apart
        rows = jsonl(get(client, "annotations.jsonl", **params)[1])
        assert rows
        for row in rows:
            assert [e["url"] for e in row["evidence"]] == expected[row["id"]]


def test_bad_filter_values_are_a_400_with_field_errors(client, reviewer):
    client.force_login(reviewer)
    response, body = get(
        client,
        "annotations.jsonld",
        article="one",
        verdict="maybe",
        status="done",
        updated_after="yesterday",
        include_orphans="perhaps",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = json.loads(body)
    assert set(errors) == {"article", "verdict", "status", "updated_after", "include_orphans"}


@pytest.mark.parametrize("fmt", ["annotations.jsonl", "annotations.jsonld", "annotations.csv"])
def test_an_empty_flag_is_a_400_not_false(client, reviewer, fmt):
    client.force_login(reviewer)
    response, body = get(client, fmt, include_orphans="")
    assert response.status_code == 400
    assert set(json.loads(body)) == {"include_orphans"}


def test_orphans_only_on_request_and_withdrawn_never(client, reviewer, editor):
    article = make_article()
    kept = approve(make_annotation(article, reviewer, "waste"), editor)
    orphan = approve(make_annotation(article, reviewer, "Critics"), editor)
    # Setup only: re-anchoring (the service that orphans) is not what this test is about.
    Annotation.objects.filter(pk=orphan.pk).update(orphaned=True, revision=1)
    withdrawn = make_annotation(article, reviewer, "42 million euros")
    services.annotation_delete(annotation_id=withdrawn.pk, actor=reviewer, expected_version=None)
    client.force_login(editor)
    assert ids(get(client, "annotations.jsonl", status="all")[1]) == [kept.pk]
    rows = jsonl(get(client, "annotations.jsonl", status="all", include_orphans="1")[1])
    assert [(r["id"], r["orphaned"]) for r in rows] == [(kept.pk, False), (orphan.pk, True)]


@pytest.mark.parametrize("name", FILES)
def test_anonymous_gets_a_json_error(client, name):
    response, body = get(client, name)
    assert response.status_code in (401, 403)
    assert "detail" in json.loads(body)


def test_an_accept_header_for_the_export_type_is_not_a_406(client, reviewer, dataset):
    client.force_login(reviewer)
    response = client.get(URL + "annotations.jsonl", headers={"Accept": "application/x-ndjson"})
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content).splitlines()) == len(dataset)


# Queries: a fixed number per request plus one evidence query per chunk -----------------------

# Session and user for the login, the user's roles (policy.visible_statuses), the annotation
# rows, and the evidence of the one chunk.
QUERIES = 5


@pytest.mark.parametrize("name", FILES)
def test_query_count_does_not_grow_with_rows(
    client, reviewer, editor, name, django_assert_num_queries
):
    make_dataset(reviewer, editor, articles=1)
    client.force_login(reviewer)
    with django_assert_num_queries(QUERIES):
        get(client, name)
    make_dataset(reviewer, editor, articles=4)
    with django_assert_num_queries(QUERIES):
        get(client, name)


def test_evidence_is_fetched_once_per_chunk(
    client, reviewer, editor, monkeypatch, django_assert_num_queries
):
    rows = len(make_dataset(reviewer, editor, articles=2))  # 12 annotations
    monkeypatch.setattr(selectors.exports, "EXPORT_CHUNK_SIZE", 5)
    client.force_login(reviewer)
    with django_assert_num_queries(QUERIES - 1 + 3):  # chunks of 5, 5 and 2
        _, body = get(client, "annotations.jsonld")
    assert json.loads(body)["total"] == rows
    with django_assert_num_queries(QUERIES - 1 + 3):
        response = client.get(URL + "annotations.jsonl")
        pieces = list(response.streaming_content)
    assert [len(p.splitlines()) for p in pieces] == [5, 5, 2]  # a piece of body a chunk


def test_empty_export_needs_no_evidence_query(client, reviewer, django_assert_num_queries):
    client.force_login(reviewer)
    with django_assert_num_queries(QUERIES - 1):
        _, body = get(client, "annotations.jsonl")
    assert body == b""


# The management command --------------------------------------------------------------------


def run_command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_annotations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("jsonl", "annotations.jsonl"), ("jsonld", "annotations.jsonld"),
     ("claimreview", "claimreview.json"), ("csv", "annotations.csv")],
)  # fmt: skip
def test_command_writes_what_the_view_serves(client, reviewer, dataset, fmt, name):
    client.force_login(reviewer)
    _, body = get(client, name)
    out, _ = run_command("--format", fmt, "--base-url", "http://testserver/")
    served = body.decode()
    if fmt == "jsonld":  # only the export time differs
        served, out = json.loads(served), json.loads(out)
        for doc in (served, out):
            doc.pop("generated")
            for item in doc["first"]["items"]:
                item.pop("generated")
    assert out == served


def test_command_filters_like_the_api(reviewer, editor):
    article = make_article()
    approved = approve(make_annotation(article, reviewer, "waste", verdict="disputed"), editor)
    pending = make_annotation(article, reviewer, "Critics")
    out, _ = run_command("--format", "jsonl")
    assert ids(out.encode()) == [approved.pk]
    out, _ = run_command("--status", "all", "--author", "rita", "--article", str(article.pk))
    assert ids(out.encode()) == [approved.pk, pending.pk]
    later = (Annotation.objects.get(pk=pending.pk).updated + timedelta(seconds=1)).isoformat()
    out, _ = run_command("--status", "all", "--updated-after", later)
    assert out == ""


def test_command_shows_progress_on_stderr_for_large_exports(reviewer, dataset, monkeypatch):
    monkeypatch.setattr(export_annotations, "PROGRESS_MIN", 5)
    out, err = run_command("--format", "csv")
    assert f"{len(dataset)}/{len(dataset)}" in err and "#" in err
    assert len(list(csv.reader(io.StringIO(out)))) == len(dataset) + 1
    monkeypatch.setattr(export_annotations, "PROGRESS_MIN", 1000)
    assert run_command("--format", "csv")[1] == ""


def test_progress_redraws_once_a_percent_not_once_a_chunk():
    command = export_annotations.Command(stderr=io.StringIO())
    chunks = list(command._progress(iter([[0]] * 1000), 1000))
    assert len(chunks) == 1000
    err = command.stderr._out.getvalue()
    assert err.count("\r") == 101  # 0% to 100%, not 1,000 times
    assert err.rstrip().endswith("1,000/1,000")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "--format: choose one of jsonl, jsonld, claimreview, csv."),
        (["--article", "x"], "--article: Enter a whole number."),
        (["--updated-after", "soon"], "--updated-after: Enter a valid date/time."),
        (["--verdict", "maybe"], "--verdict: Select a valid choice."),
    ],
)
def test_command_rejects_bad_arguments_in_one_line(args, message):
    with pytest.raises(CommandError) as raised:
        run_command(*args)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_command_line_errors_exit_non_zero_with_one_line(tmp_path):
    env = {
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "PATH": "/usr/bin:/bin",
    }
    for args in (["--format", "xml"], ["--no-such-option"]):
        done = subprocess.run(
            [sys.executable, "manage.py", "export_annotations", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=Path(__file__).parents[2],
        )
        assert done.returncode != 0
        assert done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
