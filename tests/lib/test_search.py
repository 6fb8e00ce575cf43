"""Typed queries become words only, and marked snippets become text plus offsets."""

from hypothesis import given
from hypothesis import strategies as st

from annotations.lib import search


def test_query_syntax_is_reduced_to_words():
    assert search.query_words('"Kursk" OR -putin* NEAR(a b) col:x') == [
        "kursk",
        "or",
        "putin",
        "near",
        "a",
        "b",
        "col",
        "x",
    ]
    assert search.query_words("50,000 soldiers") == ["50,000", "soldiers"]
    assert search.query_words("!!! ***") == []


def test_fts5_queries_quote_every_word():
    assert search.fts5_all(["kursk", "or"]) == '"kursk" "or"'
    assert search.fts5_pairs(["a", "b", "c"]) == '("a" AND "b") OR ("a" AND "c") OR ("b" AND "c")'
    assert search.websearch_pairs(["a", "b"]) == '"a" "b"'


def test_marked_text_becomes_text_and_offsets():
    s, e = search.MARK_START, search.MARK_END
    snippet = search.parse_marked(f"…in {s}Kursk{e}, a city {s}near{e}…")
    assert snippet.text == "…in Kursk, a city near…"
    assert [snippet.text[a:b] for a, b in snippet.marks] == ["Kursk", "near"]
    assert snippet.parts()[1] == ("Kursk", True)


@given(
    st.text(alphabet=st.sampled_from(["a", " ", search.MARK_START, search.MARK_END]), max_size=40)
)
def test_stray_marks_never_break_the_offsets(marked):
    snippet = search.parse_marked(marked)
    assert search.MARK_START not in snippet.text and search.MARK_END not in snippet.text
    assert "".join(part for part, _ in snippet.parts()) == snippet.text
    for a, b in snippet.marks:
        assert 0 <= a < b <= len(snippet.text)
