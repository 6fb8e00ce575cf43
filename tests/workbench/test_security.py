"""Security settings and behaviour: CSP, passwords, lockout, cookies, redirects, body limits."""

import json
from html.parser import HTMLParser

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import make_annotation, make_article, make_user
from workbench import settings as workbench_settings
from workbench.auth import client_ip

pytestmark = pytest.mark.django_db

HTMX_CONFIG = {
    "selfRequestsOnly": True,
    "allowScriptTags": False,
    "allowEval": False,
    "includeIndicatorStyles": False,
    "historyCacheSize": 0,
    # htmx's default also settles "style", which it copies with setAttribute: blocked by CSP.
    "attributesToSettle": ["class", "width", "height"],
}


class InlineCodeFinder(HTMLParser):
    """Collects what a `default-src 'self'` policy would block in a page's markup."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.meta: dict[str, list[str]] = {}
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            if not attrs.get("src"):
                self.problems.append("inline <script>")
            elif "://" in attrs["src"] or attrs["src"].startswith("//"):
                self.problems.append(f"script from elsewhere: {attrs['src']}")
        if tag == "style":
            self.problems.append("inline <style>")
        if tag == "link" and "://" in (attrs.get("href") or ""):
            self.problems.append(f"link to elsewhere: {attrs['href']}")
        if tag == "meta" and attrs.get("name"):
            self.meta.setdefault(attrs["name"], []).append(attrs.get("content", ""))
        for name in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"{name}= on <{tag}>")
            if name.startswith("hx-on"):
                self.problems.append(f"{name}= on <{tag}> (needs eval)")


def scan(html: str) -> InlineCodeFinder:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder


def test_csp_header_allows_only_our_own_files(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_pages_have_no_inline_code_and_configure_htmx_by_meta(client, reviewer):
    article = make_article(title="Bridge")
    make_annotation(article, reviewer, "waste", verdict="disputed")
    pages = [client.get(reverse("login")).content.decode()]
    client.force_login(reviewer)
    pages += [
        client.get(reverse("article-list")).content.decode(),
        client.get(reverse("article-detail", args=[article.pk])).content.decode(),
        client.get("/no-such-page/").content.decode(),
    ]
    for html in pages:
        found = scan(html)
        assert found.problems == []
        # htmx reads only the first htmx-config, so there must be exactly one.
        [config] = found.meta["htmx-config"]
        assert json.loads(config).items() >= HTMX_CONFIG.items()


def test_passwords_are_hashed_with_argon2_in_production(settings):
    settings.PASSWORD_HASHERS = workbench_settings.PASSWORD_HASHERS
    assert workbench_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    user = make_user("hana")
    assert user.password.startswith("argon2$")
    assert user.check_password("pw-hana")


@pytest.mark.parametrize("weak", ["12345678", "password", "hana", "short"])
def test_password_validators_refuse_weak_passwords(weak):
    user = make_user("hana")
    with pytest.raises(ValidationError):
        validate_password(weak, user)


def test_session_cookie_is_httponly_and_samesite_lax(client, reviewer):
    response = client.post(reverse("login"), {"username": "rita", "password": "pw-rita"})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    # Secure is on whenever DEBUG=0; tests/test_settings.py runs the deploy check for it.
    assert workbench_settings.SESSION_COOKIE_SECURE is (not workbench_settings.DEBUG)


def test_server_side_login_without_a_request_still_works(client, reviewer):
    # The lockout backend needs an address; code without a request (shell, test client) skips it.
    assert client.login(username="rita", password="pw-rita")
    assert client.get(reverse("article-list")).status_code == 200


# --- lockout -------------------------------------------------------------------------


def login_as(client, username, password, ip="203.0.113.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_repeated_failures_lock_the_user_out_from_that_address_only(client, reviewer):
    for _ in range(4):
        response = login_as(client, "rita", "wrong")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    locked = login_as(client, "rita", "wrong")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Too many failed logins" in body and "15 minutes" in body
    # Even the right password is refused while locked.
    assert login_as(client, "rita", "pw-rita").status_code == 429
    # Another address, or another user from the same address, is not locked.
    assert login_as(Client(), "rita", "pw-rita", ip="198.51.100.1").status_code == 302
    make_user("oscar")
    assert login_as(Client(), "oscar", "pw-oscar").status_code == 302


def test_unlock_command_lifts_the_lockout(client, reviewer):
    for _ in range(5):
        login_as(client, "rita", "wrong")
    assert login_as(client, "rita", "pw-rita").status_code == 429
    call_command("axes_reset_username", "rita", verbosity=0)
    response = login_as(client, "rita", "pw-rita")
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "198.51.100.9", "192.0.2.1"),  # no proxy: the header is the client's own word
        (1, "198.51.100.9", "198.51.100.9"),
        (1, "6.6.6.6, 198.51.100.9", "198.51.100.9"),  # a spoofed hop on the left is ignored
        (2, "6.6.6.6, 198.51.100.9, 10.0.0.2", "198.51.100.9"),
        (2, "198.51.100.9", "192.0.2.1"),  # fewer hops than proxies: not trustworthy
    ],
)
def test_client_ip_trusts_only_our_own_proxies(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


# --- redirects -----------------------------------------------------------------------

FOREIGN_NEXT = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "http:evil.example",
    "https:/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("target", FOREIGN_NEXT)
def test_login_never_redirects_off_site(client, reviewer, target):
    response = client.post(
        reverse("login"), {"username": "rita", "password": "pw-rita", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("target", FOREIGN_NEXT)
def test_logged_in_visit_to_login_never_redirects_off_site(client, reviewer, target):
    client.force_login(reviewer)
    response = client.get(reverse("login"), {"next": target})
    assert response["Location"] == "/"


def test_login_follows_a_same_site_next(client, reviewer):
    article = make_article()
    target = reverse("article-detail", args=[article.pk])
    response = client.post(
        reverse("login"), {"username": "rita", "password": "pw-rita", "next": target}
    )
    assert response["Location"] == target


@pytest.mark.parametrize("target", FOREIGN_NEXT)
def test_logout_never_redirects_off_site(client, reviewer, target):
    client.force_login(reviewer)
    response = client.post(reverse("logout"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


# --- request bodies ------------------------------------------------------------------


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, reviewer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = "x" * 1001
    response = client.post(reverse("login"), {"username": big, "password": "x"})
    assert response.status_code == 413
    api = client.post("/api/v1/annotations/", big, content_type="application/json")
    assert api.status_code == 413
    assert "too large" in api.json()["detail"]


def test_a_body_at_the_limit_goes_through(client, reviewer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    data = "username=rita&password=pw-rita&pad=" + "x" * (1000 - 35)
    assert len(data) == 1000
    response = client.post(reverse("login"), data, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302


def test_the_default_limit_refuses_a_three_megabyte_json_body(client, reviewer):
    client.force_login(reviewer)
    body = json.dumps({"note": "x" * (3 * 1024 * 1024)})
    response = client.post("/api/v1/annotations/", body, content_type="application/json")
    assert response.status_code == 413


def test_a_malformed_content_length_is_a_bad_request(client):
    response = client.post(reverse("login"), "a=b", content_type="text/plain", CONTENT_LENGTH="x")
    assert response.status_code == 400


def test_api_docs_relax_only_images_for_swagger_icons(client, reviewer):
    client.force_login(reviewer)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert directives["img-src"] == "'self' data:"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "img-src 'self';" in client.get("/").get("Content-Security-Policy") + ";"
