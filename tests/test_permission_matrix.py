"""Permission matrix: every URL of the site and the API × anonymous / reviewer / another
reviewer / editor, with the status each gets; a refused write must change nothing.

The URLs come from the resolver, so a new URL without a row here fails
`test_every_url_has_a_row`. Left out, on purpose:
- `admin/...`: Django's own admin, guarded by `is_staff` and tested by Django; none of
  our roles is staff, and its hundred-odd generated URLs would drown the matrix.
- static files: not routed through the resolver (WhiteNoise serves them, public by design).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from annotations import services
from annotations.models import Annotation
from tests.factories import make_annotation, make_article, make_user

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "reviewer", "other", "editor")
EXCLUDED_PREFIXES = ("admin/",)


@dataclass
class World:
    reviewer: object  # the author of `annotation`
    other: object  # another reviewer
    editor: object
    article: object
    annotation: object  # pending, by `reviewer`
    duplicate: object  # a near duplicate of `article`, same text


@dataclass
class Case:
    method: str
    path: Callable[[World], str]
    expect: dict[str, int]  # role -> status
    data: Callable[[World], dict] = field(default=lambda w: {})
    json: bool = False
    headers: Callable[[World], dict] = field(default=lambda w: {})
    # Puts the world in the state the request needs (e.g. approved, to reopen it).
    prepare: Callable[[World], None] = field(default=lambda w: None)

    @property
    def writes(self) -> bool:
        return self.method not in ("GET", "HEAD", "OPTIONS")


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def logged_in(status: int, *, anonymous: int = 302) -> dict[str, int]:
    return {"anonymous": anonymous, "reviewer": status, "other": status, "editor": status}


def author_only(status: int, *, others: int = 403, anonymous: int = 302) -> dict[str, int]:
    return {"anonymous": anonymous, "reviewer": status, "other": others, "editor": others}


def api(status: int, *, anonymous: int = 401) -> dict[str, int]:
    """Any logged-in user; anonymous API callers get a 401 challenge, not a redirect."""
    return logged_in(status, anonymous=anonymous)


def api_author_only(status: int) -> dict[str, int]:
    return author_only(status, anonymous=401)


def editors_only(status: int) -> dict[str, int]:
    return {"anonymous": 401, "reviewer": 403, "other": 403, "editor": status}


def orphan(w: World) -> None:
    # What a re-import does to an annotation whose words left the text.
    Annotation.all_objects.filter(pk=w.annotation.pk).update(orphaned=True)


def approve(w: World) -> None:
    services.annotation_review(
        annotation_id=w.annotation.pk,
        editor=w.editor,
        expected_version=w.annotation.version,
        decision="approve",
    )


def if_match(w: World) -> dict:
    return {"If-Match": f'"{w.annotation.version}"'}


def new_annotation(w: World) -> dict:
    return {"start": 0, "end": 3, "quote": w.article.text[:3], "verdict": "opinion", "note": "n"}


def edit_annotation(w: World) -> dict:
    return {"verdict": "opinion", "note": "changed", "version": w.annotation.version}


def same_claim(w: World) -> str:
    return f"/articles/{w.duplicate.pk}/same-claim/{w.annotation.pk}/"


def span_data(w: World) -> dict:
    return {"start": w.annotation.start, "end": w.annotation.end}


def span_query(w: World) -> str:
    return f"?start={w.annotation.start}&end={w.annotation.end}"


article = lambda w: f"/articles/{w.article.pk}/"  # noqa: E731
annotation = lambda w: f"/annotations/{w.annotation.pk}/"  # noqa: E731
api_article = lambda w: f"/api/v1/articles/{w.article.pk}/"  # noqa: E731
api_annotation = lambda w: f"/api/v1/annotations/{w.annotation.pk}/"  # noqa: E731

W3C_ACCEPT = {"Accept": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'}

# route (as the resolver spells it) -> the requests to try on it
MATRIX: dict[str, list[Case]] = {
    # Browser pages ------------------------------------------------------------------------
    "": [Case("GET", lambda w: "/", logged_in(200))],
    "articles/<int:article_id>/": [
        Case("GET", article, logged_in(200)),
        Case("POST", article, logged_in(405)),
    ],
    "articles/<int:article_id>/cards/": [
        # A page of the desk's card list (htmx); without htmx, back to the page.
        Case("GET", lambda w: article(w) + "cards/", logged_in(302)),
        Case(
            "GET",
            lambda w: article(w) + "cards/",
            logged_in(200, anonymous=401),
            headers=lambda w: {"HX-Request": "true"},
        ),
        Case("POST", lambda w: article(w) + "cards/", logged_in(405)),
    ],
    "session/": [
        Case("GET", lambda w: "/session/", everyone(200)),
        Case("POST", lambda w: "/session/", everyone(405)),
    ],
    "articles/<int:article_id>/annotations/new/": [
        Case("GET", lambda w: article(w) + "annotations/new/", logged_in(200)),
        Case("POST", lambda w: article(w) + "annotations/new/", logged_in(302), new_annotation),
    ],
    "annotations/<int:annotation_id>/edit/": [
        Case("GET", lambda w: annotation(w) + "edit/", author_only(200)),
        Case("POST", lambda w: annotation(w) + "edit/", author_only(302), edit_annotation),
    ],
    "annotations/<int:annotation_id>/delete/": [
        Case("GET", lambda w: annotation(w) + "delete/", author_only(405, others=405)),
        Case(
            "POST",
            lambda w: annotation(w) + "delete/",
            author_only(302),
            lambda w: {"version": w.annotation.version},
        ),
    ],
    # Editorial review -----------------------------------------------------------------------
    "review/": [Case("GET", lambda w: "/review/", editors_only(200) | {"anonymous": 302})],
    "review/<int:annotation_id>/decide/": [
        Case("GET", lambda w: f"/review/{w.annotation.pk}/decide/", everyone(405)),
        Case(
            "POST",
            lambda w: f"/review/{w.annotation.pk}/decide/",
            editors_only(302) | {"anonymous": 302},
            lambda w: {"decision": "approve", "version": w.annotation.version},
        ),
    ],
    "annotations/<int:annotation_id>/history/": [
        Case("GET", lambda w: annotation(w) + "history/", logged_in(200)),
    ],
    "annotations/<int:annotation_id>/reopen/": [
        Case("GET", lambda w: annotation(w) + "reopen/", everyone(405)),
        Case(
            "POST",
            lambda w: annotation(w) + "reopen/",
            editors_only(302) | {"anonymous": 302},
            lambda w: {"version": w.annotation.version, "comment": "again"},
            prepare=approve,
        ),
    ],
    # Orphans and near duplicates ------------------------------------------------------------
    "orphans/": [Case("GET", lambda w: "/orphans/", logged_in(200), prepare=orphan)],
    "orphans/<int:annotation_id>/reattach/": [
        # The author, or an editor, places an orphan again.
        Case(
            "GET",
            lambda w: f"/orphans/{w.annotation.pk}/reattach/",
            author_only(200) | {"editor": 200},
            prepare=orphan,
        ),
        Case(
            "POST",
            lambda w: f"/orphans/{w.annotation.pk}/reattach/",
            author_only(302) | {"editor": 302},
            lambda w: {"start": 0, "end": 3, "quote": w.article.text[:3], "version": 1},
            prepare=orphan,
        ),
    ],
    "orphans/<int:annotation_id>/withdraw/": [
        Case("GET", lambda w: f"/orphans/{w.annotation.pk}/withdraw/", logged_in(405)),
        Case(
            "POST",
            lambda w: f"/orphans/{w.annotation.pk}/withdraw/",
            author_only(302),
            lambda w: {"version": w.annotation.version},
            prepare=orphan,
        ),
    ],
    "articles/<int:article_id>/copy/<int:annotation_id>/": [
        Case(
            "GET",
            lambda w: f"/articles/{w.duplicate.pk}/copy/{w.annotation.pk}/",
            logged_in(405),
        ),
        Case(
            "POST",
            lambda w: f"/articles/{w.duplicate.pk}/copy/{w.annotation.pk}/",
            logged_in(302),
        ),
    ],
    # The same claim elsewhere
    "annotations/<int:annotation_id>/similar/": [
        Case("GET", lambda w: annotation(w) + "similar/", logged_in(200)),
    ],
    "articles/<int:article_id>/similar/": [
        Case("GET", lambda w: article(w) + "similar/?start=0&end=3", logged_in(200)),
    ],
    "articles/<int:article_id>/same-claim/<int:annotation_id>/": [
        Case("GET", lambda w: same_claim(w) + span_query(w), logged_in(200)),
        Case("POST", same_claim, logged_in(302), span_data),
    ],
    # Public fact-check pages: anyone, approved verdicts only ---------------------------------
    "factchecks/": [
        Case("GET", lambda w: "/factchecks/", everyone(200)),
        Case("POST", lambda w: "/factchecks/", everyone(405)),
    ],
    "factchecks/<int:article_id>/": [
        # Nothing approved yet: nothing published, for anybody.
        Case("GET", lambda w: f"/factchecks/{w.article.pk}/", everyone(404)),
        Case("GET", lambda w: f"/factchecks/{w.article.pk}/", everyone(200), prepare=approve),
        Case("POST", lambda w: f"/factchecks/{w.article.pk}/", everyone(405), prepare=approve),
    ],
    "factchecks/<int:article_id>/verdicts/<int:annotation_id>/": [
        Case(
            "GET",
            lambda w: f"/factchecks/{w.article.pk}/verdicts/{w.annotation.pk}/",
            everyone(404),
        ),
        Case(
            "GET",
            lambda w: f"/factchecks/{w.article.pk}/verdicts/{w.annotation.pk}/",
            everyone(200),
            prepare=approve,
        ),
    ],
    # API ----------------------------------------------------------------------------------
    "api/v1/articles/<int:article_id>/revisions/<int:number>/": [
        Case("GET", lambda w: api_article(w) + "revisions/1/", api(200)),
        Case("GET", lambda w: api_article(w) + "revisions/2/", api(404)),
    ],
    "api/v1/articles/": [
        Case("GET", lambda w: "/api/v1/articles/", api(200)),
        Case("POST", lambda w: "/api/v1/articles/", api(405), lambda w: {"title": "x"}, json=True),
    ],
    "api/v1/articles/<int:article_id>/": [
        Case("GET", api_article, api(200)),
        Case("DELETE", api_article, api(405)),
    ],
    "api/v1/annotations/": [
        Case("GET", lambda w: "/api/v1/annotations/", api(200)),
        Case("GET", lambda w: "/api/v1/annotations/", everyone(200), headers=lambda w: W3C_ACCEPT),
        Case(
            "POST",
            lambda w: "/api/v1/annotations/",
            api(201),
            lambda w: new_annotation(w) | {"article": w.article.pk},
            json=True,
        ),
    ],
    "api/v1/annotations/<int:annotation_id>/": [
        Case("GET", api_annotation, api(200)),
        # The W3C representation: a pending verdict needs a login, an approved one not.
        Case("GET", api_annotation, api(200), headers=lambda w: W3C_ACCEPT),
        Case("GET", api_annotation, everyone(200), headers=lambda w: W3C_ACCEPT, prepare=approve),
        Case(
            "PATCH",
            api_annotation,
            api_author_only(200),
            lambda w: {"note": "changed"},
            json=True,
            headers=if_match,
        ),
        Case("DELETE", api_annotation, api_author_only(204), headers=if_match),
    ],
    "api/v1/annotations/<int:annotation_id>/review/": [
        Case(
            "POST",
            lambda w: api_annotation(w) + "review/",
            editors_only(200),
            lambda w: {"decision": "approve", "version": w.annotation.version},
            json=True,
        ),
    ],
    "api/v1/annotations/<int:annotation_id>/similar/": [
        Case("GET", lambda w: api_annotation(w) + "similar/", api(200)),
    ],
    "api/v1/articles/<int:article_id>/similar/": [
        Case("GET", lambda w: api_article(w) + "similar/?start=0&end=3", api(200)),
    ],
    "api/v1/annotations/<int:annotation_id>/history/": [
        Case("GET", lambda w: api_annotation(w) + "history/", api(200)),
    ],
    **{
        f"api/v1/export/{name}": [
            Case("GET", lambda w, name=name: f"/api/v1/export/{name}", api(200)),
            Case("POST", lambda w, name=name: f"/api/v1/export/{name}", api(405), json=True),
        ]
        for name in (
            "annotations.jsonl",
            "annotations.jsonld",
            "claimreview.json",
            "annotations.csv",
        )
    },
    "api/schema/": [Case("GET", lambda w: "/api/schema/", api(200))],
    "api/docs/": [Case("GET", lambda w: "/api/docs/", api(200))],
    # Any other path under /api/ is a JSON 404 for everyone, whatever the method.
    "^api/": [
        Case("GET", lambda w: "/api/v2/annotations/", everyone(404)),
        Case("POST", lambda w: "/api/v1/annotations/abc/", everyone(404), json=True),
    ],
    # Accounts -----------------------------------------------------------------------------
    # Logged-in users are sent on from the login page; logout is POST only.
    "accounts/login/": [Case("GET", lambda w: "/accounts/login/", logged_in(302, anonymous=200))],
    "accounts/logout/": [
        Case("GET", lambda w: "/accounts/logout/", everyone(405)),
        Case("POST", lambda w: "/accounts/logout/", everyone(302)),
    ],
}


def routes(patterns=None, prefix: str = ""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def test_every_url_has_a_row():
    found = {r for r in routes() if not r.startswith(EXCLUDED_PREFIXES)}
    assert found - MATRIX.keys() == set(), "new URLs need a row in the permission matrix"
    assert MATRIX.keys() - found == set(), "rows for URLs that no longer exist"


@pytest.fixture
def world(db) -> World:
    reviewer = make_user("rita", groups=("reviewer",))
    article = make_article()
    return World(
        reviewer=reviewer,
        other=make_user("oscar", groups=("reviewer",)),
        editor=make_user("edna", groups=("editor",)),
        article=article,
        annotation=make_annotation(article, reviewer, "waste", verdict="opinion"),
        duplicate=make_article(article.text, near_duplicate_of=article),
    )


def snapshot() -> dict:
    """Every row of our own tables and the users: what a write could have changed."""
    models = [*apps.get_app_config("annotations").get_models(), get_user_model()]
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values()) for model in models
    }


def refused(response) -> bool:
    if response.status_code in (301, 302):
        return response["Location"].startswith("/accounts/login/")
    return response.status_code >= 400


CASES = [
    pytest.param(route, case, role, id=f"{route or '/'} {case.method} {role}")
    for route, cases in MATRIX.items()
    for case in cases
    for role in ROLES
]


@pytest.mark.parametrize(("route", "case", "role"), CASES)
def test_permission(world, route, case, role):
    case.prepare(world)
    world.annotation.refresh_from_db()
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(getattr(world, role))
    kwargs = {"data": case.data(world), "headers": case.headers(world)}
    if case.json:
        kwargs["content_type"] = "application/json"
    before = snapshot()
    response = getattr(client, case.method.lower())(case.path(world), **kwargs)
    # Read a streamed export to the end: that is what releases its cursor.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == case.expect[role], body[:300]
    if case.writes and route != "accounts/logout/":
        if refused(response):
            assert snapshot() == before, "a refused write changed the database"
        else:
            assert snapshot() != before, "an accepted write changed nothing"
