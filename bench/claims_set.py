"""The labelled set for bench/claims.py: claims quoted from the seed articles, the passages
of other articles that state the same claim (from the seeds, or written as paraphrases),
and hard negatives (same words, another claim: a changed number, name or negation).

Each claim: (seed file prefix, quoted phrase, [same-claim passages], [hard negatives]).
A passage is a phrase that the matching result's passage must contain.
"""

from __future__ import annotations

SEED = "seed"

CLAIMS = [
    # The cross-article pairs, in both directions.
    (
        "001",
        "advising the foreign leader not to escalate the war",
        [(SEED, "advised Putin “not to escalate the war in Ukraine")],
        [],
    ),
    (
        "004",
        "advised Putin “not to escalate the war in Ukraine",
        [(SEED, "advising the foreign leader not to escalate the war")],
        [],
    ),
    (
        "001",
        "nearly 50,000-strong enemy group",
        [(SEED, "gathered 50,000 soldiers")],
        ["gathered 15,000 soldiers near Kharkiv"],
    ),
    (
        "004",
        "The Russian army has reportedly gathered 50,000 soldiers",
        [(SEED, "nearly 50,000-strong enemy group")],
        [],
    ),
    (
        "000",
        "During the 90-minute call",
        [(SEED, "highly productive 90-minute conversation")],
        ["the two leaders held a short 20-minute call"],
    ),
    (
        "002",
        "the two leaders held a highly productive 90-minute conversation",
        [(SEED, "During the 90-minute call and on social media")],
        [],
    ),
    # Paraphrases written for this set.
    (
        "001",
        "more than 10,000 North Korean soldiers—confirmed by the Pentagon",
        [
            "The Pentagon has confirmed that over 10,000 troops from North Korea are fighting "
            "alongside Russian forces."
        ],
        ["The Pentagon denied that 3,000 North Korean engineers had reached the front."],
    ),
    (
        "001",
        "Russia immediately turned its back on the discussion, claiming that the report was "
        "“pure fiction.”",
        ["The Kremlin swiftly dismissed the Washington Post report of the call as pure fiction."],
        ["The Kremlin confirmed the Washington Post report of the call within hours."],
    ),
    (
        "001",
        "Trump said he would be open to an increase in U.S. weapons aid to Ukraine so long as "
        "it shows up for peace talks with Russia",
        [
            "Trump signalled he could back more American weapons aid for Ukraine, provided Kyiv "
            "joins peace talks with Moscow."
        ],
        ["Trump said he would cut all U.S. weapons aid to Ukraine within a month."],
    ),
    (
        "000",
        "the Kremlin confirmed the phone call with Trump via a Telegram post",
        ["In a Telegram post, the Kremlin confirmed that Putin and Trump spoke by phone."],
        ["The Kremlin denied on Telegram that any phone call with Trump took place."],
    ),
    (
        "000",
        "Zelenskyy agreed that Ukraine “wants to make PEACE.”",
        ["Trump wrote that Zelensky agreed Ukraine wants to make peace."],
        [],
    ),
    (
        "002",
        "Trump signaled that he is “OK” with keeping Ukraine out of NATO",
        ["Trump indicated he is fine with Ukraine staying out of NATO."],
        ["Trump insisted that Ukraine must join NATO before any peace talks."],
    ),
    (
        "002",
        "Zelensky’s term as president expired in May 2024",
        ["Volodymyr Zelensky's presidential term ran out in May 2024."],
        ["Zelensky's term as president runs until May 2029."],
    ),
    (
        "002",
        "called the renewed engagement “the best day for Putin since the invasion,”",
        ["According to CNN, the call was the best day for Putin since the invasion began."],
        [],
    ),
    (
        "004",
        "the Ukrainian government was informed of the phone call between Putin and Trump and "
        "did not object",
        ["Kyiv was told about the Trump-Putin phone call in advance and raised no objection."],
        ["Kyiv said it was never informed of the phone call between Putin and Trump."],
    ),
    (
        "004",
        "Trump expressed interest in holding further talks to discuss “resolving the war in "
        "Ukraine in the short term,”",
        ["Trump said he wanted more talks on resolving the war in Ukraine quickly."],
        [],
    ),
    (
        "000",
        "the annexation of the sovereign country he invaded in 2022",
        ["Putin may be allowed to keep annexing the sovereign country Russia invaded in 2022."],
        ["Russia invaded Georgia, a sovereign country, in 2008."],
    ),
    (
        "001",
        "The concept was drawn up by retired Lieutenant General Keith Kellogg and Fred Fleitz",
        ["The plan was drafted by retired Lt. Gen. Keith Kellogg together with Fred Fleitz."],
        ["The concept was rejected by retired general Mark Milley."],
    ),
]

# Sentences around the written passages, so each lands in an article of several claims.
FILLER = [
    "The city council approved a new budget for road repairs on Tuesday.",
    "Local farmers reported a strong harvest despite the dry summer.",
    "The central bank kept interest rates unchanged for the third month.",
    "A new railway line between the two northern towns opens next spring.",
    "Officials said the museum will reopen after a two-year renovation.",
    "The football club announced the signing of a young striker.",
    "Heavy rain caused flooding in several coastal villages overnight.",
    "Scientists published a study on the migration of Arctic birds.",
    "The ministry said exports grew by four percent in the last quarter.",
    "Teachers in the capital called off their planned strike.",
    "Diplomats met in Geneva to discuss a grain shipping corridor.",
    "The parliament debated a bill on energy subsidies late into the night.",
]
