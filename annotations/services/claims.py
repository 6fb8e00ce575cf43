"""Apply a verdict to the same claim in another article: a new pending annotation on the
chosen passage, with the original's verdict, note and evidence, recorded as copied."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import policy
from ..lib import similarity
from ..models import Annotation, Article
from ..policy import Act
from .annotations import (
    annotation_create,
    check_not_copied,
    check_span,
    evidence_list,
    lock_article,
)

# The passage must share this much with the quote (score without rarity weights), so a
# verdict cannot be carried onto words that do not state the claim at all.
COPY_MIN_SCORE = 0.3


def annotation_copy_claim(
    *, original_id: int, article: Article, author, start: int, end: int
) -> Annotation:
    """The same rules as a near duplicate's copy: another article, once per reviewer, the
    result pending review and linked to the original."""
    policy.check_annotate(author)
    with transaction.atomic():
        # Locking the original makes a double click create one copy, not two.
        original = Annotation.objects.select_for_update().get(pk=original_id)
        policy.check(author, Act.COPY, original)
        if original.article_id == article.pk:
            raise ValidationError(
                {"copied_from": "That verdict is on this article already; pick another passage."}
            )
        check_not_copied(original, article, author)
        current = lock_article(article.pk)
        quote = current.text[start:end] if 0 <= start < end <= len(current.text) else ""
        check_span(current.text, start, end, quote)
        value = similarity.score(similarity.features(original.quote), similarity.features(quote))
        if value < COPY_MIN_SCORE:
            raise ValidationError(
                {"quote": "That passage does not state the claim of the original verdict."}
            )
        return annotation_create(
            article=article,
            author=author,
            start=start,
            end=end,
            quote=quote,
            verdict=original.verdict,
            note=original.note,
            evidence=evidence_list(original),
            copied_from=original,
        )
