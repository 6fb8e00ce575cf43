"""Evidence links as valid IRIs: forbidden characters percent-encoded, deceptive links
refused, and the host as a person should read it."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.lib.iri import IriError, link_host, normalise_iri


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ('https://example.org/"q"', "https://example.org/%22q%22"),
        ("https://example.org/{a}|b\\c^d`e", "https://example.org/%7Ba%7D%7Cb%5Cc%5Ed%60e"),
        ("https://example.org/<x>[1]", "https://example.org/%3Cx%3E%5B1%5D"),
        ("HTTPS://Example.ORG:8080/a%2Fb", "https://example.org:8080/a%2Fb"),
        ("https://example.org/100%", "https://example.org/100%25"),
        ("https://example.org/%zz", "https://example.org/%25zz"),
        ("https://example.org/#a#b", "https://example.org/#a%23b"),
        ("https://bücher.example/über?q=ü", "https://bücher.example/über?q=ü"),
        ("https://example.org/\u202eevil", "https://example.org/%E2%80%AEevil"),
        ("http://[::1]:8000/x", "http://[::1]:8000/x"),
        ("https://example.org", "https://example.org"),
    ],
)
def test_forbidden_characters_are_percent_encoded(url, expected):
    assert normalise_iri(url) == expected


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://user:pass@example.org/", "userinfo"),
        ("https://user@example.org/", "userinfo"),
        ("https://good.example\\@evil.example/", "host"),
        ("https://evil.example\\good.example/", "host"),
        ("https://example.org:99999/", "port"),
        ("https://example.org:0/", "port"),
        ("https://example.org:http/", "port"),
        ("https://exa mple.org/", "whitespace"),
        ("javascript:alert(1)", "scheme"),
        ("ftp://example.org/", "scheme"),
        ("https:///path", "host"),
        ("https://-bad-.example/", "host"),
        ("http://[not-ipv6]/", "host"),
        ("https://example.org/" + "a" * 2048, "too_long"),
    ],
)
def test_links_that_could_hide_their_host_are_refused(url, code):
    with pytest.raises(IriError) as raised:
        normalise_iri(url)
    assert raised.value.code == code


def test_host_is_shown_decoded_and_punycode_is_flagged():
    host = link_host("https://xn--bcher-kva.example/x")
    assert (host.name, host.punycode, host.unicode) == ("bücher.example", True, True)
    plain = link_host("https://example.org/")
    assert (plain.name, plain.punycode, plain.unicode) == ("example.org", False, False)
    lookalike = link_host("https://аpple.com/")  # Cyrillic а
    assert lookalike.unicode and not lookalike.punycode
    assert link_host("not a link") is None


_TAIL = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@given(_TAIL)
def test_a_normalised_link_is_a_fixed_point_and_has_no_forbidden_ascii(tail):
    try:
        once = normalise_iri("https://example.org/" + tail)
    except IriError as error:
        assert error.code == "whitespace"
        return
    assert normalise_iri(once) == once
    assert not set(once[len("https://example.org/") :]) & set('"<>\\^`{|}[] ')
