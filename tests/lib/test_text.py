import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.lib import dedupe
from annotations.lib import text as t

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def parse_seed(prefix: str) -> t.ParsedArticle:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return t.parse_article(t.normalise(path.read_bytes()))


def test_seed_000_date_header_goes_to_published_and_first_sentence_is_title():
    parsed = parse_seed("000")
    assert parsed.published == dt.date(2025, 2, 12)
    assert parsed.body.startswith("President Donald Trump announced Wednesday")
    assert "date 2025" not in parsed.body
    assert parsed.title.startswith("President Donald Trump announced Wednesday on Truth Social")
    assert len(parsed.title) <= t.TITLE_MAX
    assert parsed.title.endswith("…")


def test_seed_001_first_line_is_title():
    parsed = parse_seed("001")
    assert parsed.title == "Putin Gives Trump Massive Middle Finger, Days After Warning on Ukraine"
    assert parsed.published is None
    assert parsed.body.startswith("The Russian leader is making it clear")


def test_seed_002_title_line_and_junk_kept():
    parsed = parse_seed("002")
    assert parsed.title.startswith("Russia Has Won The War Against The West, Trump’s Call")
    assert parsed.body.startswith("Russia has won a war against the West: What the Putin-Trump")
    assert parsed.body.endswith("RT.com\nRead More\n\nLeave a Reply\n\n14:14")
    assert parsed.source == "RT.com"


def test_seed_003_markdown_image_alt_is_title():
    parsed = parse_seed("003")
    assert (
        parsed.title
        == "Russia has won a war against the West: What the Putin-Trump call really means"
    )
    assert "![" not in parsed.body
    assert parsed.body.startswith("The new reality is that the West can be stopped")


def test_seed_004_no_title_line_first_sentence_serves():
    parsed = parse_seed("004")
    assert parsed.title == "Donald Trump promised to end the wars."
    assert parsed.body.startswith("Donald Trump promised to end the wars. And he")


def test_normalise_bom_crlf_cr_nul_and_nfd():
    raw = "\ufeffCafe\u0301 line\r\nnext\rlast\x00!".encode()
    assert t.normalise(raw) == "Café line\nnext\nlast!"
    assert unicodedata.is_normalized("NFC", t.normalise(raw))


def test_normalise_keeps_everything_else():
    raw = "  two  spaces\t tab — “quotes” 😀\n\n".encode()
    assert t.normalise(raw) == raw.decode()


def test_normalise_refuses_non_utf8():
    with pytest.raises(t.ArticleFileError, match="not UTF-8"):
        t.normalise(b"caf\xe9 latin-1")


def test_hash_is_stable_sha256():
    assert t.content_hash("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_looks_binary():
    assert t.looks_binary(bytes(range(256)) * 4)
    assert not t.looks_binary(b"plain prose\twith a tab\n" * 50)


def test_parse_refuses_header_only():
    with pytest.raises(t.ArticleFileError):
        t.parse_article(" date 2025-01-01 ")


def test_context_is_32_code_points_each_side():
    text = "a" * 40 + "QUOTE" + "b" * 40
    prefix, suffix = t.context(text, 40, 45)
    assert prefix == "a" * 32 and suffix == "b" * 32
    assert t.context("xQy", 1, 2) == ("x", "y")


def test_only_003_and_002_are_near_duplicates():
    bodies = {p.name[:3]: parse_seed(p.name[:3]).body for p in sorted(SEEDS.glob("*.txt"))}
    flagged = {
        (a, b)
        for a in bodies
        for b in bodies
        if a < b
        and dedupe.is_near_duplicate(dedupe.shingles(bodies[a]), dedupe.shingles(bodies[b]))
    }
    assert flagged == {("002", "003")}


@given(st.text())
def test_normalise_is_idempotent(s):
    once = t.normalise(s)
    assert t.normalise(once) == once


@given(st.binary())
def test_normalise_never_crashes_on_bytes(raw):
    try:
        out = t.normalise(raw)
    except t.ArticleFileError:
        return
    assert "\r" not in out and "\x00" not in out
