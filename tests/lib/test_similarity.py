"""The lexical claim score: paraphrases of a claim above other claims on the same topic."""

from annotations.lib import similarity


def ranked(query: str, texts: list[str]) -> list[str]:
    scores = similarity.score_all(query, texts)
    return [t for _, t in sorted(zip(scores, texts, strict=True), reverse=True)]


def test_numbers_are_read_with_their_separators_and_scales():
    f = similarity.features("nearly 50,000-strong, a 90-minute call, 2 million people")
    assert {"50000", "90", "2e+06"} <= f.numbers


def test_stems_meet_across_inflections():
    assert similarity.stem("advised") == similarity.stem("advising")
    assert similarity.stem("soldiers") == similarity.stem("soldier")


def test_names_are_capitalised_words_inside_a_sentence():
    f = similarity.features("Talks began when Trump called Putin in March.")
    assert {"trump", "putin"} <= f.names
    assert "talk" not in f.names


def test_a_shared_number_beats_a_different_number():
    query = "Russia gathered 50,000 soldiers near Kursk."
    same = "A 50,000-strong enemy group is massing around Kursk."
    other = "More than 10,000 soldiers from North Korea are near Kursk."
    assert ranked(query, [other, same])[0] == same


def test_the_paraphrase_beats_a_text_that_only_shares_the_topic():
    query = "Trump advised Putin not to escalate the war in Ukraine."
    paraphrase = "Trump was reportedly advising the Russian leader not to escalate the war."
    topic = "Putin and Trump discussed the war in Ukraine and a peace deal."
    assert ranked(query, [topic, paraphrase])[0] == paraphrase


def test_scores_are_between_zero_and_one_and_identity_scores_high():
    text = "The Kremlin called the report pure fiction."
    (value,) = similarity.score_all(text, [text])
    assert 0.8 <= value <= 1.0
    assert similarity.score_all(text, ["", "Weather in Paris."])[0] == 0.0


def test_search_terms_put_numbers_first_and_drop_stopwords():
    terms = similarity.search_terms("The army has gathered 50,000 soldiers in the region")
    assert terms[0] == "50,000"
    assert "the" not in terms and "has" not in terms
