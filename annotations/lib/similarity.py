"""Lexical claim similarity that knows numbers and names (pure, no Django).

Two passages state the same claim when they share their rare words, their numbers and
their names. The score mixes weighted word coverage (weights from how rare a word is among
the candidates), rapidfuzz's token-set ratio over stems, character trigram cosine (for
"Zelenskiy"/"Zelenskyy" or "escalate"/"escalating"), and shared numerals and names; a
passage whose numbers all differ from the query's is marked down.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your
    yours yourself said says say told according reportedly also been one two us""".split()  # noqa: SIM905
)
# "not" and "no" are in the list for ranking, but a lost negation flips a claim: kept apart.
NEGATIONS = frozenset({"not", "no", "never", "nor", "denied", "denies", "deny"})
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "k": 1_000}
_TOKEN = re.compile(r"\d[\d,.]*\d|\d|[^\W\d_]+", re.UNICODE)
_SUFFIXES = ("ingly", "edly", "ing", "ed", "es", "s", "ly", "e")
# From this score the page calls a passage likely the same claim (precision 0.8 or more on
# bench/claims.py's labelled set); from RELATED_THRESHOLD it lists it as less likely.
SHOWN_THRESHOLD = 0.5
RELATED_THRESHOLD = 0.3


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A crude suffix stripper: enough to meet "advised"/"advising", "soldier"/"soldiers"."""
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _number(raw: str) -> str | None:
    digits = raw.replace(",", "")
    try:
        value = float(digits)
    except ValueError:
        return None
    return f"{value:g}"


def _telling(number: str) -> bool:
    """A number that names a claim: not a small count, not a likely year."""
    value = float(number)
    return value >= 10 and not (1900 <= value <= 2100 and value.is_integer())


@dataclass(frozen=True)
class Features:
    """What the score compares: stems (in order), numbers, names, character trigrams."""

    stems: tuple[str, ...]
    numbers: frozenset[str]
    names: frozenset[str]
    negated: bool
    trigrams: Counter = field(compare=False)

    @property
    def content(self) -> frozenset[str]:
        return frozenset(self.stems)


def features(text: str) -> Features:
    folded = _fold(text)
    tokens = _TOKEN.findall(folded)
    stems: list[str] = []
    numbers: set[str] = set()
    names: set[str] = set()
    negated = False
    previous_end = True  # the first word of a text is capitalised anyway
    for i, raw in enumerate(tokens):
        low = raw.lower()
        if raw[0].isdigit():
            value = _number(raw)
            nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
            if value is not None and nxt in SCALES:
                value = f"{float(value) * SCALES[nxt]:g}"
            if value is not None:
                numbers.add(value)
                stems.append(value)
            previous_end = False
            continue
        if low in NEGATIONS:
            negated = True
        if low in STOPWORDS or low in SCALES or len(low) < 2:
            previous_end = False
            continue
        stemmed = stem(low)
        stems.append(stemmed)
        if (raw[0].isupper() and not previous_end) or (raw.isupper() and len(raw) > 1):
            names.add(stemmed)
        previous_end = False
    joined = " ".join(stems)
    grams = Counter(joined[i : i + 3] for i in range(max(0, len(joined) - 2)))
    return Features(tuple(stems), frozenset(numbers), frozenset(names), negated, grams)


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(n * b.get(g, 0) for g, n in a.items())
    return dot / math.sqrt(sum(n * n for n in a.values()) * sum(n * n for n in b.values()))


def rarity(documents: Iterable[Features]) -> dict[str, float]:
    """Inverse document frequency of each stem among these passages (smoothed)."""
    docs = list(documents)
    df: Counter = Counter()
    for doc in docs:
        df.update(doc.content)
    n = len(docs) + 1
    return {term: math.log(1 + n / (1 + count)) for term, count in df.items()}


def _coverage(terms: frozenset[str], other: frozenset[str], weight) -> float:
    total = sum(weight(t) for t in terms)
    if not total:
        return 0.0
    return sum(weight(t) for t in terms & other) / total


def score(query: Features, candidate: Features, idf: dict[str, float] | None = None) -> float:
    """How likely `candidate` states the claim of `query`, from 0 to 1."""
    if not query.stems or not candidate.stems:
        return 0.0
    default = max(idf.values(), default=1.0) if idf else 1.0

    def weight(term: str) -> float:
        return (idf or {}).get(term, default)

    q, c = query.content, candidate.content
    recall = _coverage(q, c, weight)
    precision = _coverage(c, q, weight)
    fuzzy = fuzz.token_set_ratio(" ".join(query.stems), " ".join(candidate.stems)) / 100
    grams = _cosine(query.trigrams, candidate.trigrams)
    value = 0.4 * recall + 0.1 * precision + 0.2 * fuzzy + 0.15 * grams
    if query.names:
        value += 0.1 * len(query.names & candidate.names) / len(query.names)
    else:
        value += 0.05
    if query.numbers:
        shared = query.numbers & candidate.numbers
        telling = {n for n in query.numbers if _telling(n)}
        if telling:
            # "50,000" shared is a strong sign; a year or a small count is a weak one.
            value += 0.15 * len(telling & shared) / len(telling)
        elif shared:
            value += 0.05
        if candidate.numbers and not shared:
            value -= 0.2  # "10,000 soldiers" is not the claim "50,000 soldiers"
    else:
        value += 0.025
    if query.negated != candidate.negated and recall > 0.5:
        value -= 0.1
    return max(0.0, min(1.0, value))


def score_all(query: str, texts: list[str]) -> list[float]:
    """The score of each text against `query`, in the order given; rarity is judged among
    the texts themselves, so a word every candidate shares counts for little."""
    found = [features(text) for text in texts]
    q = features(query)
    idf = rarity([q, *found])
    return [score(q, f, idf) for f in found]


def search_terms(text: str, *, limit: int = 6) -> list[str]:
    """The words to fetch candidates with: the text's distinct numbers, then its content
    words longest first (a long word is usually a rarer one), unstemmed, at most `limit`."""
    seen: dict[str, None] = {}
    for raw in _TOKEN.findall(_fold(text)):
        low = raw.lower()
        if low in STOPWORDS or low in SCALES or (len(low) < 3 and not low.isdigit()):
            continue
        seen.setdefault(low, None)
    return sorted(seen, key=lambda w: (not w[0].isdigit(), -len(w), w))[:limit]
