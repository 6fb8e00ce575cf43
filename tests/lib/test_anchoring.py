"""Re-anchoring spans in changed text: pure functions, no database."""

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from annotations.lib.anchoring import (
    EXACT,
    FUZZY,
    MIN_SCORE,
    NEAREST,
    ORPHAN,
    Anchor,
    PositionMap,
    find_exact,
    locate,
    match_ends,
    reanchor,
)
from annotations.lib.text import context

TEXT = (
    "The mayor said the bridge cost 42 million euros, far above the estimate.\n"
    "Critics called it a waste. Supporters said it was the best investment in decades.\n"
    "The council will vote on the budget in March, the spokesperson said.\n"
)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: the oracle the fuzzy matcher is checked against."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def anchor_for(text: str, phrase: str, occurrence: int = 0) -> Anchor:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    end = start + len(phrase)
    prefix, suffix = context(text, start, end)
    return Anchor(start, end, phrase, prefix, suffix)


def place(old: str, new: str, anchor: Anchor):
    (placement,) = reanchor(old, new, [anchor])
    return placement


# Examples --------------------------------------------------------------------------------


def test_unchanged_text_keeps_every_offset():
    anchor = anchor_for(TEXT, "Critics called it a waste")
    placement = place(TEXT, TEXT, anchor)
    assert (placement.start, placement.end, placement.method) == (anchor.start, anchor.end, EXACT)


def test_sentence_inserted_before_moves_the_span_exactly():
    anchor = anchor_for(TEXT, "Critics called it a waste")
    new = "Updated on Tuesday with a correction.\n" + TEXT
    placement = place(TEXT, new, anchor)
    assert placement.method == EXACT
    assert placement.score == 1.0
    assert placement.start == anchor.start + len("Updated on Tuesday with a correction.\n")
    assert new[placement.start : placement.end] == anchor.quote


def test_typo_fixed_inside_the_quote_is_a_fuzzy_match_with_a_score():
    old = TEXT.replace("investment", "investmnet")
    anchor = anchor_for(old, "the best investmnet in decades")
    placement = place(old, TEXT, anchor)
    assert placement.method == FUZZY
    assert MIN_SCORE <= placement.score < 1.0
    assert TEXT[placement.start : placement.end] == "the best investment in decades"


def test_deleted_sentence_is_an_orphan():
    anchor = anchor_for(TEXT, "The council will vote on the budget in March")
    new = TEXT.replace("The council will vote on the budget in March, the spokesperson said.\n", "")
    placement = place(TEXT, new, anchor)
    assert placement.orphaned
    assert (placement.start, placement.end, placement.method) == (None, None, ORPHAN)


def test_rewritten_claim_is_an_orphan_not_a_guess():
    anchor = anchor_for(TEXT, "the bridge cost 42 million euros")
    new = TEXT.replace("the bridge cost 42 million euros", "the tunnel was paid for by the EU")
    assert place(TEXT, new, anchor).orphaned


def test_quote_occurring_twice_goes_to_the_occurrence_whose_context_matches():
    old = (
        "In January the minister said prices would fall. Nobody believed it.\n"
        "In March the governor said prices would fall. Markets rallied at once.\n"
    )
    second = anchor_for(old, "said prices would fall", occurrence=1)
    new = "Analysis.\n" + old
    placement = place(old, new, second)
    assert placement.method == EXACT
    assert placement.start == new.index("governor said prices") + len("governor ")


def test_quote_twice_with_edited_context_still_prefers_the_closer_context():
    old = (
        "In January the minister said prices would fall. Nobody believed it.\n"
        "In March the governor said prices would fall. Markets rallied at once.\n"
    )
    second = anchor_for(old, "said prices would fall", occurrence=1)
    # Both occurrences lose their exact context; the second keeps more of it.
    new = old.replace("the governor said", "the central bank governor said").replace(
        "the minister said", "a junior minister said"
    )
    new = new.replace("would fall. Markets", "would fall soon. Markets")
    placement = place(old, new, second)
    assert placement.method == NEAREST
    assert placement.start == new.index("governor said prices") + len("governor ")


def test_quote_moved_to_another_paragraph_is_still_found():
    anchor = anchor_for(TEXT, "Supporters said it was the best investment in decades.")
    lines = TEXT.splitlines(keepends=True)
    new = lines[1] + lines[2] + lines[0]
    placement = place(TEXT, new, anchor)
    assert new[placement.start : placement.end] == anchor.quote
    assert placement.method in (EXACT, NEAREST)


def test_moved_and_edited_passage_is_found_far_from_its_old_place():
    filler = "".join(f"Paragraph {i} talks about something else entirely.\n" for i in range(60))
    claim = "The harbour expansion created four thousand new jobs in the region"
    old = claim + " last year.\n" + filler
    anchor = anchor_for(old, claim)
    new = filler + claim.replace("four thousand", "four thousands") + " last year.\n"
    placement = place(old, new, anchor)
    assert placement.method == FUZZY
    assert placement.start == len(filler)


def test_blank_quote_is_an_orphan():
    assert locate(TEXT, Anchor(0, 2, "  ")).orphaned


def test_find_exact_refuses_near_misses():
    anchor = anchor_for(TEXT, "the best investment in decades")
    assert find_exact(TEXT, anchor).start == anchor.start
    assert find_exact(TEXT.replace("investment", "investmnet"), anchor) is None


def test_position_map_follows_insertions_and_deletions():
    old = "alpha beta gamma delta epsilon"
    new = "zero alpha gamma delta extra epsilon"
    mapped = PositionMap(old, new)
    assert mapped(old.index("alpha")) == new.index("alpha")
    assert mapped(old.index("gamma")) == new.index("gamma")
    assert mapped(old.index("epsilon")) == new.index("epsilon")
    assert mapped(len(old)) == len(new)


# Properties ------------------------------------------------------------------------------

words = st.text(alphabet="abcdefghij ", min_size=0, max_size=60)
quotes = st.text(alphabet="abcdefghij ", min_size=6, max_size=40).filter(lambda q: q.strip())
edits = st.lists(
    st.tuples(st.integers(min_value=0, max_value=200), st.integers(0, 10), words),
    max_size=5,
)


def occurrences(text: str, phrase: str) -> int:
    """How often `phrase` occurs, overlaps included."""
    return sum(text.startswith(phrase, i) for i in range(len(text)))


def apply_edits(text: str, changes) -> str:
    """Each change deletes `length` characters at `at` (wrapped) and inserts a string."""
    for at, length, inserted in changes:
        at = at % (len(text) + 1)
        text = text[:at] + inserted + text[at + length :]
    return text


def test_match_ends_agrees_with_brute_force_on_small_cases():
    for pattern, text in [("abc", "xxabcxx"), ("abc", "xxabxx"), ("kitten", "sitting here")]:
        distances = match_ends(pattern, text)
        for i in range(len(text)):
            brute = min(edit_distance(pattern, text[s : i + 1]) for s in range(i + 2))
            assert distances[i] == brute


@given(st.text(alphabet="abc", min_size=1, max_size=8), st.text(alphabet="abcd", max_size=14))
def test_match_ends_is_the_best_substring_distance(pattern, text):
    distances = match_ends(pattern, text)
    for i in range(len(text)):
        assert distances[i] == min(edit_distance(pattern, text[s : i + 1]) for s in range(i + 2))


@settings(max_examples=200, deadline=None)
@given(before=words, quote=quotes, after=words, before_edits=edits, after_edits=edits)
def test_an_unchanged_quote_always_reanchors_exactly(
    before, quote, after, before_edits, after_edits
):
    old = before + quote + after
    new_before = apply_edits(before, before_edits)
    new_after = apply_edits(after, after_edits)
    new = new_before + quote + new_after
    assume(occurrences(old, quote) == 1 and occurrences(new, quote) == 1)
    anchor = anchor_for(old, quote)
    placement = place(old, new, anchor)
    assert placement.method in (EXACT, NEAREST)
    assert (placement.start, placement.end) == (len(new_before), len(new_before) + len(quote))
    prefix, suffix = context(new, placement.start, placement.end)
    if prefix.endswith(anchor.prefix) and suffix.startswith(anchor.suffix):
        assert placement.method == EXACT


@settings(max_examples=200, deadline=None)
@given(
    before=words,
    passage=st.text(alphabet="KLMNOPQ", min_size=8, max_size=80),
    after=words,
    data=st.data(),
    other_edits=edits,
)
def test_a_deleted_passage_always_orphans(before, passage, after, data, other_edits):
    start = data.draw(st.integers(0, len(passage) - 4))
    end = data.draw(st.integers(start + 4, len(passage)))
    old = before + passage + after
    anchor = anchor_for(old, passage[start:end])
    # Nothing in the remaining text shares a character with the deleted passage.
    new = apply_edits(before + after, other_edits)
    assert place(old, new, anchor).orphaned


other_words = st.text(alphabet="klmnopqrs ", min_size=0, max_size=60)
other_edits = st.lists(
    st.tuples(st.integers(min_value=0, max_value=200), st.integers(0, 10), other_words),
    max_size=5,
)


@settings(max_examples=200, deadline=None)
@given(
    before=other_words,
    quote=st.text(alphabet="abcdefghij", min_size=12, max_size=40),
    after=other_words,
    data=st.data(),
    inserted=st.sampled_from("xyz"),
    before_edits=other_edits,
    after_edits=other_edits,
)
def test_a_small_edit_inside_the_quote_reanchors_fuzzily(
    before, quote, after, data, inserted, before_edits, after_edits
):
    at = data.draw(st.integers(1, len(quote) - 1))
    kind = data.draw(st.sampled_from(["insert", "delete", "replace"]))
    changed = {
        "insert": quote[:at] + inserted + quote[at:],
        "delete": quote[:at] + quote[at + 1 :],
        "replace": quote[:at] + inserted + quote[at + 1 :],
    }[kind]
    # Edits happen beyond the stored context; the words right around the quote stay.
    wall = "klmnopqr" * 4
    old = before + wall + quote + wall + after
    new_before = apply_edits(before, before_edits) + wall
    new = new_before + changed + wall + apply_edits(after, after_edits)
    assume(changed != quote)
    anchor = anchor_for(old, quote)
    placement = place(old, new, anchor)
    assert placement.method == FUZZY
    assert placement.score >= MIN_SCORE
    assert edit_distance(new[placement.start : placement.end], quote) <= 1
    # The surroundings share no letter with the quote, so it lands on the edited words
    # (give or take the edited letter and its neighbour at an edge, which cost the same).
    true_start, true_end = len(new_before), len(new_before) + len(changed)
    overlap = min(placement.end, true_end) - max(placement.start, true_start)
    assert overlap >= len(changed) - 2
