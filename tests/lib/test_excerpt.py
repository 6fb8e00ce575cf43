from hypothesis import given
from hypothesis import strategies as st

from annotations.lib.excerpt import ELLIPSIS, sentence_context

TEXT = "First one. The mayor said the bridge cost a lot. Critics called it a waste.\nNext line"


def around(text, phrase, **kw):
    start = text.index(phrase)
    return sentence_context(text, start, start + len(phrase), **kw)


def test_quote_inside_a_sentence_gets_the_whole_sentence():
    assert around(TEXT, "the bridge") == ("The mayor said ", " cost a lot.")


def test_quote_at_the_start_of_the_text():
    assert around(TEXT, "First") == ("", " one.")


def test_line_break_ends_a_sentence():
    assert around(TEXT, "called") == ("Critics ", " it a waste.")
    assert around(TEXT, "Next") == ("", " line")


def test_quote_spanning_sentences_keeps_both_ends():
    assert around(TEXT, "lot. Critics") == (
        "The mayor said the bridge cost a ",
        " called it a waste.",
    )


def test_long_sentences_are_cut_at_a_word_with_an_ellipsis():
    text = "word " * 200 + "QUOTE" + " more" * 200 + "."
    before, after = around(text, "QUOTE", limit=50)
    assert before.startswith(ELLIPSIS) and len(before) <= 51
    assert after.endswith(ELLIPSIS) and len(after) <= 51
    assert before[1:] in text and after[:-1] in text


@given(st.text(alphabet="ab .!?\n”", max_size=200), st.data())
def test_context_is_the_text_right_around_the_span(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    before, after = sentence_context(text, start, end, limit=40)
    assert text[:start].endswith(before.removeprefix(ELLIPSIS))
    assert text[end:].startswith(after.removesuffix(ELLIPSIS))
    assert len(before) <= 41 and len(after) <= 41


def test_quote_ending_its_sentence_does_not_pull_in_the_next():
    assert around(TEXT, "cost a lot.") == ("The mayor said the bridge ", "")
