import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotations import services
from annotations.models import Action, Annotation, AppendOnlyError, ReviewEvent, Status
from tests.factories import make_annotation, make_user

pytestmark = pytest.mark.django_db


def span(article, phrase):
    start = article.text.index(phrase)
    return {"start": start, "end": start + len(phrase), "quote": phrase}


def test_create_saves_context_event_and_evidence(article, reviewer):
    a = make_annotation(article, reviewer, "42 million euros", verdict="disputed")
    assert a.prefix == article.text[max(0, a.start - 32) : a.start]
    assert a.suffix == article.text[a.end : a.end + 32]
    assert a.version == 1 and a.status == Status.PENDING
    assert [e.url for e in a.evidence.all()] == ["https://example.org/source"]
    (event,) = ReviewEvent.objects.filter(annotation=a)
    assert event.action == Action.CREATED and event.actor == reviewer


def test_offsets_are_code_points_with_emoji_and_combining_accents(reviewer):
    from tests.factories import make_article

    article = make_article("Emoji 😀 then cafe\u0301 — “done”.".replace("e\u0301", "é"))
    a = make_annotation(article, reviewer, "😀 then café")
    assert (a.start, a.end) == (6, 17)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"quote": "something else"}, services.QuoteMismatch),
        ({"start": -1}, ValidationError),
        ({"end": 10_000}, ValidationError),
    ],
)
def test_create_refuses_bad_spans(article, reviewer, change, error):
    data = span(article, "waste") | change
    with pytest.raises(error):
        services.annotation_create(article=article, author=reviewer, verdict="opinion", **data)
    assert not Annotation.objects.exists()


def test_whitespace_only_span_refused(article, reviewer):
    start = article.text.index(" ")
    with pytest.raises(ValidationError, match="not just spaces"):
        services.annotation_create(
            article=article,
            author=reviewer,
            start=start,
            end=start + 1,
            quote=" ",
            verdict="opinion",
        )


def test_disputed_needs_evidence(article, reviewer):
    with pytest.raises(ValidationError, match="evidence link"):
        services.annotation_create(
            article=article,
            author=reviewer,
            verdict="disputed",
            evidence=[],
            **span(article, "waste"),
        )


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "/relative",
        "https://exa mple.org",
        "https://example.org/\nx",
        "https://",
        "https://x.org/" + "a" * 2048,
    ],
)
def test_evidence_url_refused(article, reviewer, url):
    with pytest.raises(ValidationError):
        services.annotation_create(
            article=article,
            author=reviewer,
            verdict="verified",
            evidence=[{"url": url}],
            **span(article, "waste"),
        )
    assert not Annotation.objects.exists()


def test_only_members_of_a_role_annotate(article):
    outsider = make_user("nobody", groups=())
    with pytest.raises(PermissionDenied):
        services.annotation_create(
            article=article, author=outsider, verdict="opinion", **span(article, "waste")
        )


def test_update_bumps_version_and_refuses_stale(article, reviewer):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    a = services.annotation_update(
        annotation_id=a.pk, actor=reviewer, expected_version=1, note="because"
    )
    assert a.version == 2
    with pytest.raises(services.Conflict) as info:
        services.annotation_update(
            annotation_id=a.pk, actor=reviewer, expected_version=1, note="stale"
        )
    assert info.value.current_version == 2
    assert Annotation.objects.get(pk=a.pk).note == "because"
    actions = list(a.events.values_list("action", flat=True))
    assert actions == [Action.CREATED, Action.EDITED]


def test_only_author_updates(article, reviewer, other_reviewer):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    with pytest.raises(PermissionDenied):
        services.annotation_update(
            annotation_id=a.pk, actor=other_reviewer, expected_version=1, note="mine now"
        )


def test_review_flow_and_resubmit(article, reviewer, editor):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    with pytest.raises(ValidationError, match="Say why"):
        services.annotation_review(
            annotation_id=a.pk, editor=editor, decision="request_changes", expected_version=1
        )
    a = services.annotation_review(
        annotation_id=a.pk,
        editor=editor,
        decision="request_changes",
        expected_version=1,
        comment="Add a source",
    )
    assert a.status == Status.CHANGES_REQUESTED and a.review_comment == "Add a source"
    a = services.annotation_update(
        annotation_id=a.pk,
        actor=reviewer,
        expected_version=2,
        evidence=[{"url": "https://example.org/a"}],
    )
    assert a.status == Status.PENDING and a.version == 3
    a = services.annotation_review(
        annotation_id=a.pk,
        editor=editor,
        decision="approve",
        expected_version=3,
        verdict="verified",
    )
    assert (a.status, a.verdict) == (Status.APPROVED, "verified")
    approved = a.events.get(action=Action.APPROVED)
    assert approved.changes["verdict"] == {"before": "opinion", "after": "verified"}
    with pytest.raises(services.Conflict, match="Already decided"):
        services.annotation_review(
            annotation_id=a.pk, editor=editor, decision="reject", expected_version=4, comment="no"
        )
    with pytest.raises(services.Conflict):
        services.annotation_update(
            annotation_id=a.pk, actor=reviewer, expected_version=4, note="late"
        )
    with pytest.raises(services.Conflict):
        services.annotation_delete(annotation_id=a.pk, actor=reviewer, expected_version=4)
    a = services.annotation_reopen(annotation_id=a.pk, editor=editor, expected_version=4)
    assert a.status == Status.PENDING
    assert list(a.events.values_list("action", flat=True)) == [
        Action.CREATED,
        Action.CHANGES_REQUESTED,
        Action.EDITED,
        Action.APPROVED,
        Action.REOPENED,
    ]


def test_nobody_decides_own_work_and_reviewers_never_decide(article, reviewer):
    both = make_user("both", groups=("reviewer", "editor"))
    a = make_annotation(article, both, "waste", verdict="opinion")
    with pytest.raises(PermissionDenied):
        services.annotation_review(
            annotation_id=a.pk, editor=both, decision="approve", expected_version=1
        )
    with pytest.raises(PermissionDenied):
        services.annotation_review(
            annotation_id=a.pk, editor=reviewer, decision="approve", expected_version=1
        )
    assert Annotation.objects.get(pk=a.pk).status == Status.PENDING


def test_delete_keeps_history(article, reviewer):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    services.annotation_delete(annotation_id=a.pk, actor=reviewer, expected_version=1)
    assert not Annotation.objects.filter(pk=a.pk).exists()
    assert Annotation.all_objects.get(pk=a.pk).deleted
    assert list(
        ReviewEvent.objects.filter(annotation_id=a.pk).values_list("action", flat=True)
    ) == [Action.CREATED, Action.DELETED]


def test_review_events_are_append_only(article, reviewer):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    event = a.events.get()
    event.comment = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        ReviewEvent.objects.all().update(comment="x")
    with pytest.raises(AppendOnlyError):
        ReviewEvent.objects.all().delete()


def test_database_refuses_inverted_span(article, reviewer):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.create(
            article=article, author=reviewer, start=5, end=5, quote="", verdict="opinion"
        )


def test_database_refuses_non_http_evidence(article, reviewer):
    from django.db import IntegrityError, transaction

    from annotations.models import EvidenceLink

    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceLink.objects.create(annotation=a, url="javascript:alert(1)")
