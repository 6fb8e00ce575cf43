"""The review queue, decisions, history and reopening, through the browser views."""

import pytest
from django.urls import reverse

from annotations import services
from annotations.models import Action, Annotation, ReviewEvent, Status
from tests.factories import make_annotation, make_article, make_user

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def decide_url(a, query=""):
    return reverse("review-decide", args=[a.pk]) + query


def history_url(a):
    return reverse("annotation-history", args=[a.pk])


def state(a):
    fresh = Annotation.all_objects.get(pk=a.pk)
    return (fresh.status, fresh.version, fresh.verdict, fresh.note, fresh.events.count())


@pytest.fixture
def pending(article, reviewer):
    return make_annotation(article, reviewer, "waste", verdict="opinion", note="Loaded word")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


# Permissions ---------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_login(client, pending):
    for method, url in [
        ("get", reverse("review-queue")),
        ("post", decide_url(pending)),
        ("get", history_url(pending)),
        ("post", reverse("annotation-reopen", args=[pending.pk])),
    ]:
        response = getattr(client, method)(url, {"version": 1, "decision": "approve"})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))
    assert state(pending)[0] == Status.PENDING


@pytest.mark.parametrize("decision", ["approve", "reject", "request_changes", "fix_approve"])
def test_reviewers_get_403_and_crafted_posts_change_nothing(
    client, pending, other_reviewer, decision
):
    client.force_login(other_reviewer)
    assert client.get(reverse("review-queue")).status_code == 403
    before = state(pending)
    data = {"version": 1, "decision": decision, "comment": "x", "status": "approved"}
    assert client.post(decide_url(pending), data).status_code == 403
    assert client.post(decide_url(pending), data, headers=HTMX).status_code == 403
    assert state(pending) == before


def test_the_author_cannot_decide_even_as_editor(client, article):
    both = make_user("both", groups=("reviewer", "editor"))
    mine = make_annotation(article, both, "waste", verdict="opinion")
    client.force_login(both)
    body = client.get(reverse("review-queue")).content.decode()
    assert "Your own annotation" in body and decide_url(mine) not in body
    for decision in ("approve", "reject", "request_changes"):
        data = {"version": 1, "decision": decision, "comment": "fine"}
        assert client.post(decide_url(mine), data).status_code == 403
    assert state(mine)[:2] == (Status.PENDING, 1)


def test_reviewers_cannot_reopen(client, pending, editor, reviewer):
    services.annotation_review(
        annotation_id=pending.pk, editor=editor, decision="approve", expected_version=1
    )
    client.force_login(reviewer)
    url = reverse("annotation-reopen", args=[pending.pk])
    assert client.post(url, {"version": 2}).status_code == 403
    assert b"Reopen" not in client.get(history_url(pending)).content
    assert state(pending)[:2] == (Status.APPROVED, 2)


def test_review_link_in_the_nav_only_for_editors(client, reviewer, editor):
    client.force_login(reviewer)
    assert reverse("review-queue").encode() not in client.get("/").content
    client.force_login(editor)
    assert reverse("review-queue").encode() in client.get("/").content


def test_decisions_are_post_only(editor_client, pending):
    assert editor_client.get(decide_url(pending)).status_code == 405
    assert state(pending)[0] == Status.PENDING


# The queue -----------------------------------------------------------------------------


def test_queue_lists_pending_oldest_first_with_context_and_safe_links(
    editor_client, article, reviewer, editor
):
    first = make_annotation(
        article,
        reviewer,
        "42 million euros",
        verdict="disputed",
        evidence=[{"url": "https://example.org/budget", "title": "Budget"}],
    )
    second = make_annotation(article, reviewer, "waste", verdict="opinion", note="Loaded word")
    decided = make_annotation(article, reviewer, "Critics", verdict="opinion")
    services.annotation_review(
        annotation_id=decided.pk, editor=editor, decision="approve", expected_version=1
    )
    response = editor_client.get(reverse("review-queue"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index(f'id="item-{first.pk}"') < body.index(f'id="item-{second.pk}"')
    assert f'id="item-{decided.pk}"' not in body
    assert "<strong>2</strong> pending" in body
    # The whole sentence around the quote, and the quote marked.
    assert (
        "The mayor said the bridge cost “"
        '<mark class="quote verdict-disputed">42 million euros</mark>'
        "” — far above the estimate." in body
    )
    assert (
        '<a href="https://example.org/budget" rel="noopener noreferrer nofollow" '
        'target="_blank">Budget</a>' in body
    )
    assert "Loaded word" in body and "rita" in body and "ago" in body


def test_queue_filters_by_article_verdict_and_reviewer(
    editor_client, article, reviewer, other_reviewer
):
    other_article = make_article(title="Other")
    a1 = make_annotation(article, reviewer, "waste", verdict="opinion")
    a2 = make_annotation(article, other_reviewer, "Critics", verdict="verified")
    a3 = make_annotation(other_article, reviewer, "waste", verdict="opinion")

    def shown(**params):
        items = editor_client.get(reverse("review-queue"), params).context["items"]
        return {item["a"].pk for item in items}

    assert shown() == {a1.pk, a2.pk, a3.pk}
    assert shown(article=article.pk) == {a1.pk, a2.pk}
    assert shown(verdict="verified") == {a2.pk}
    assert shown(reviewer=reviewer.pk) == {a1.pk, a3.pk}
    assert shown(article=other_article.pk, reviewer=reviewer.pk) == {a3.pk}
    # Nonsense filters are ignored, never a 500.
    assert shown(article="x", verdict="nope", reviewer="-1") == {a1.pk, a2.pk, a3.pk}


def test_queue_htmx_filter_returns_the_partial(editor_client, pending):
    response = editor_client.get(reverse("review-queue"), {"verdict": "opinion"}, headers=HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="review-queue"')
    assert "<html" not in body


def test_queue_escapes_what_reviewers_wrote(editor_client, reviewer):
    article = make_article("Intro. He said <script>alert(1)</script> loudly.\n")
    make_annotation(article, reviewer, "<script>alert(1)</script>", note="<b>bold</b>")
    body = editor_client.get(reverse("review-queue")).content.decode()
    assert "<script>alert(1)</script>" not in body and "<b>bold</b>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize("n", [0, 1, 50])
def test_queue_query_count_is_fixed(editor_client, article, reviewer, django_assert_num_queries, n):
    for i in range(n):
        make_annotation(article, reviewer, "waste", verdict="opinion", note=f"n{i}")
    # session, user, groups, page of annotations + authors, count, filter articles,
    # filter reviewers; with items also their articles and their evidence (one query each).
    with django_assert_num_queries(9 if n else 7):
        assert editor_client.get(reverse("review-queue")).status_code == 200


# Decisions -----------------------------------------------------------------------------


def test_htmx_approve_returns_the_queue_without_the_item(editor_client, pending, article, reviewer):
    nxt = make_annotation(article, reviewer, "Critics", verdict="opinion")
    response = editor_client.post(
        decide_url(pending), {"version": 1, "decision": "approve"}, headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="review-queue"')
    assert f'id="item-{pending.pk}"' not in body and f'id="item-{nxt.pk}"' in body
    assert "<strong>1</strong> pending" in body and "Approved" in body
    assert state(pending)[:2] == (Status.APPROVED, 2)
    assert pending.events.latest("id").action == Action.APPROVED


def test_plain_post_redirects_back_to_the_filtered_queue(editor_client, pending, article):
    response = editor_client.post(
        decide_url(pending, f"?article={article.pk}&verdict=opinion"),
        {"version": 1, "decision": "request_changes", "comment": "Quote the whole sentence"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/review/?article={article.pk}&verdict=opinion"
    fresh = Annotation.objects.get(pk=pending.pk)
    assert (fresh.status, fresh.review_comment) == (
        Status.CHANGES_REQUESTED,
        "Quote the whole sentence",
    )
    page = editor_client.get(response["Location"]).content.decode()
    assert "Sent back for changes" in page


@pytest.mark.parametrize("decision", ["reject", "request_changes"])
def test_reject_or_request_changes_without_a_comment_is_a_form_error(
    editor_client, pending, decision
):
    before = state(pending)
    for headers in (HTMX, {}):
        response = editor_client.post(
            decide_url(pending),
            {"version": 1, "decision": decision, "comment": "  "},
            **{"headers": headers},
        )
        assert response.status_code == 422
        assert "Say why" in response.content.decode()
    assert state(pending) == before


def test_stale_version_is_409_for_htmx_and_changes_nothing(editor_client, pending, reviewer):
    services.annotation_update(
        annotation_id=pending.pk, actor=reviewer, expected_version=1, note="Rewritten"
    )
    before = state(pending)
    response = editor_client.post(
        decide_url(pending), {"version": 1, "decision": "approve"}, headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "changed since you opened it, so nothing was decided" in body
    # The refreshed item carries the new version and the new note.
    assert 'name="version" value="2"' in body and "Rewritten" in body
    assert state(pending) == before


def test_already_decided_is_409_for_htmx_and_a_message_for_plain_post(editor_client, pending):
    other = make_user("ed2", groups=("editor",))
    services.annotation_review(
        annotation_id=pending.pk, editor=other, decision="approve", expected_version=1
    )
    before = state(pending)
    data = {"version": 1, "decision": "reject", "comment": "No"}
    response = editor_client.post(decide_url(pending), data, headers=HTMX)
    assert response.status_code == 409 and "Already decided" in response.content.decode()
    response = editor_client.post(decide_url(pending), data, follow=True)
    assert response.redirect_chain[-1][0] == "/review/"
    messages = [str(m) for m in response.context["messages"]]
    assert any("Already decided" in m and "Nothing changed" in m for m in messages)
    assert state(pending) == before


def test_fix_and_approve_changes_verdict_and_note_in_one_step(editor_client, pending):
    response = editor_client.post(
        decide_url(pending),
        {
            "version": 1,
            "decision": "fix_approve",
            "verdict": "verified",
            "note": "Matches the\r\ncouncil minutes",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    fresh = Annotation.objects.get(pk=pending.pk)
    assert (fresh.status, fresh.verdict, fresh.note) == (
        Status.APPROVED,
        "verified",
        "Matches the\ncouncil minutes",
    )
    event = fresh.events.get(action=Action.APPROVED)
    assert event.changes["note"] == {
        "before": "Loaded word",
        "after": "Matches the\ncouncil minutes",
    }


def test_plain_approve_ignores_the_fix_fields(editor_client, pending):
    editor_client.post(
        decide_url(pending),
        {"version": 1, "decision": "approve", "verdict": "verified", "note": "ignored"},
    )
    assert state(pending)[:4] == (Status.APPROVED, 2, "opinion", "Loaded word")


def test_fix_is_validated_and_keeps_what_the_editor_typed(editor_client, pending):
    response = editor_client.post(
        decide_url(pending),
        {"version": 1, "decision": "fix_approve", "verdict": "disputed", "note": "Editor text"},
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "evidence link" in body and "Editor text" in body
    assert state(pending)[:2] == (Status.PENDING, 1)


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "approve"},
        {"version": "x", "decision": "approve"},
        {"version": 1, "decision": "publish"},
        {"version": 1},
    ],
)
def test_malformed_decisions_are_400(editor_client, pending, data):
    assert editor_client.post(decide_url(pending), data).status_code == 400
    assert state(pending)[:2] == (Status.PENDING, 1)


def test_deciding_a_missing_or_withdrawn_annotation_is_404(editor_client, pending, reviewer):
    services.annotation_delete(annotation_id=pending.pk, actor=reviewer, expected_version=1)
    data = {"version": 2, "decision": "approve"}
    assert editor_client.post(decide_url(pending), data).status_code == 404
    assert editor_client.post("/review/999999/decide/", data).status_code == 404


# History and reopening -----------------------------------------------------------------


def test_history_shows_every_event_with_who_when_before_after_and_comment(
    client, pending, editor, reviewer
):
    services.annotation_review(
        annotation_id=pending.pk,
        editor=editor,
        decision="request_changes",
        expected_version=1,
        comment="Which <b>report</b>?",
    )
    services.annotation_update(
        annotation_id=pending.pk, actor=reviewer, expected_version=2, note="The audit report"
    )
    services.annotation_review(
        annotation_id=pending.pk, editor=editor, decision="approve", expected_version=3
    )
    client.force_login(reviewer)
    response = client.get(history_url(pending))
    body = response.content.decode()
    assert response.status_code == 200
    events = response.context["events"]
    assert [row["event"].action for row in events] == [
        Action.CREATED,
        Action.CHANGES_REQUESTED,
        Action.EDITED,
        Action.APPROVED,
    ]
    assert "Which &lt;b&gt;report&lt;/b&gt;?" in body
    assert "Loaded word" in body and "The audit report" in body
    assert "Changes requested" in body and "edna" in body and "rita" in body
    edited = events[2]["changes"]
    assert [(c.name, c.before.text, c.after.text) for c in edited] == [
        ("note", "Loaded word", "The audit report"),
        ("status", "Changes requested", "Pending"),
    ]


def test_history_of_a_withdrawn_annotation_still_shows(client, pending, reviewer):
    services.annotation_delete(annotation_id=pending.pk, actor=reviewer, expected_version=1)
    client.force_login(reviewer)
    response = client.get(history_url(pending))
    assert response.status_code == 200 and b"withdrawn" in response.content
    assert client.get("/annotations/999999/history/").status_code == 404


@pytest.mark.parametrize("n", [0, 1, 50])
def test_history_query_count_is_fixed(
    editor_client, article, reviewer, django_assert_num_queries, n
):
    a = Annotation.objects.create(
        article=article, author=reviewer, start=0, end=3, quote=article.text[:3], verdict="opinion"
    )
    for i in range(n):
        services.annotation_update(
            annotation_id=a.pk, actor=reviewer, expected_version=a.version + i, note=f"v{i}"
        )
    assert ReviewEvent.objects.filter(annotation=a).count() == n
    # session, user, groups, annotation + article + author, evidence, events + actors
    with django_assert_num_queries(6):
        assert editor_client.get(history_url(a)).status_code == 200


def test_editor_reopens_a_decided_annotation(editor_client, pending, editor):
    other = make_user("ed2", groups=("editor",))
    services.annotation_review(
        annotation_id=pending.pk, editor=other, decision="approve", expected_version=1
    )
    page = editor_client.get(history_url(pending)).content.decode()
    assert 'action="' + reverse("annotation-reopen", args=[pending.pk]) in page
    response = editor_client.post(
        reverse("annotation-reopen", args=[pending.pk]),
        {"version": 2, "comment": "A correction was published"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == history_url(pending)
    fresh = Annotation.objects.get(pk=pending.pk)
    assert (fresh.status, fresh.version) == (Status.PENDING, 3)
    assert fresh.events.latest("id").action == Action.REOPENED
    assert "A correction was published" in response.content.decode()
    # Reopening again with the old version changes nothing and says why.
    response = editor_client.post(
        reverse("annotation-reopen", args=[pending.pk]), {"version": 2}, follow=True
    )
    assert any("Nothing changed" in str(m) for m in response.context["messages"])
    assert state(pending)[:2] == (Status.PENDING, 3)


# The reviewer's side -------------------------------------------------------------------


def test_article_list_shows_my_annotations_and_the_editors_comment(
    client, article, reviewer, editor, django_assert_num_queries
):
    sent_back = make_annotation(article, reviewer, "waste", verdict="opinion")
    make_annotation(article, reviewer, "Critics", verdict="opinion")
    services.annotation_review(
        annotation_id=sent_back.pk,
        editor=editor,
        decision="request_changes",
        expected_version=1,
        comment="Whose <i>opinion</i>?",
    )
    client.force_login(reviewer)
    # as the plain list, plus the list of items sent back
    with django_assert_num_queries(6):
        body = client.get("/").content.decode()
    assert "Your annotations" in body
    assert "1 pending" in body and "1 changes requested" in body
    assert "Whose &lt;i&gt;opinion&lt;/i&gt;?" in body
    assert f'href="/articles/{article.pk}/#card-{sent_back.pk}"' in body
    # Someone else's list does not show it; a user without annotations sees no section.
    client.force_login(editor)
    body = client.get("/").content.decode()
    assert "Your annotations" not in body and "Whose" not in body


def test_article_page_links_each_card_history_and_editors_to_the_queue(
    client, article, pending, reviewer, editor
):
    client.force_login(reviewer)
    body = client.get(reverse("article-detail", args=[article.pk])).content.decode()
    assert f'href="{history_url(pending)}"' in body
    assert f"/review/?article={article.pk}" not in body
    client.force_login(editor)
    body = client.get(reverse("article-detail", args=[article.pk])).content.decode()
    assert f'href="/review/?article={article.pk}"' in body
    assert "1 pending" in body


def test_the_admin_shows_review_events_but_cannot_change_or_delete_them(client, pending):
    admin = make_user("boss", groups=(), is_staff=True, is_superuser=True)
    client.force_login(admin)
    event = pending.events.get()
    base = f"/admin/annotations/reviewevent/{event.pk}"
    assert client.get("/admin/annotations/reviewevent/").status_code == 200
    assert client.get(f"{base}/change/").status_code == 200  # read-only view
    assert client.post(f"{base}/change/", {"comment": "rewritten"}).status_code == 403
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/annotations/reviewevent/add/").status_code == 403
    response = client.post(
        "/admin/annotations/reviewevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert ReviewEvent.objects.filter(pk=event.pk, comment="").exists()
