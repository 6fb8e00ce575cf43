"""Sentence segmentation: spans that are exact, trimmed, in order, and never overlap."""

from hypothesis import given
from hypothesis import strategies as st

from annotations.lib import sentences


def texts(text: str) -> list[str]:
    return [s.text for s in sentences.split(text)]


def test_splits_at_full_stops_and_line_breaks():
    text = "Trump spoke with Putin. The call lasted 90 minutes!\nZelenskyy was told later."
    assert texts(text) == [
        "Trump spoke with Putin.",
        "The call lasted 90 minutes!",
        "Zelenskyy was told later.",
    ]


def test_keeps_abbreviations_initials_and_numbers_inside_a_sentence():
    text = "Dr. Mitchell said U.S. aid rose 2.5 percent. J. Smith agreed."
    assert texts(text) == ["Dr. Mitchell said U.S. aid rose 2.5 percent.", "J. Smith agreed."]


def test_a_closing_quote_stays_with_its_sentence():
    text = "He said it was “pure fiction.” Russia denied it."
    assert texts(text) == ["He said it was “pure fiction.”", "Russia denied it."]


def test_long_sentences_are_cut_at_semicolons():
    text = "; ".join(["word " * 30] * 4) + "."
    pieces = sentences.split(text)
    assert len(pieces) > 1
    assert all(len(p.text) <= sentences.LONG for p in pieces)


def test_covering_widens_a_phrase_to_its_sentences():
    text = "First one here. The 90-minute call was long. Last."
    found = sentences.split(text)
    start = text.index("90-minute")
    assert sentences.covering(found, start, start + 9) == (16, 44)


@given(st.text(alphabet=st.sampled_from(list("ab .!?\n“”Dr")), max_size=200))
def test_spans_are_exact_ordered_and_disjoint(text):
    found = sentences.split(text)
    last_end = 0
    for s in found:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert s.start >= last_end
        last_end = s.end
