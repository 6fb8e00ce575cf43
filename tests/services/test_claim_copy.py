"""Applying a verdict to the same claim in another article: pending, linked, recorded."""

import pytest
from django.core.exceptions import ValidationError

from annotations import services
from annotations.models import Action, ReviewEvent, Status
from tests.factories import make_annotation
from tests.seeds import load_seeds, span

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds(db):
    return load_seeds()


def test_copy_to_the_same_claim_is_pending_linked_and_recorded(seeds, reviewer, other_reviewer):
    original = make_annotation(
        seeds["001"],
        reviewer,
        "advising the foreign leader not to escalate the war",
        verdict="disputed",
        note="Denied by the Kremlin.",
    )
    start, end = span(seeds["004"], "advised Putin “not to escalate the war in Ukraine")
    copy = services.annotation_copy_claim(
        original_id=original.pk, article=seeds["004"], author=other_reviewer, start=start, end=end
    )
    assert (copy.start, copy.end, copy.quote) == (start, end, seeds["004"].text[start:end])
    assert copy.verdict == "disputed" and copy.note == "Denied by the Kremlin."
    assert copy.status == Status.PENDING and copy.copied_from_id == original.pk
    assert [e.url for e in copy.evidence.all()] == [e.url for e in original.evidence.all()]
    assert ReviewEvent.objects.get(annotation=copy).action == Action.COPIED
    with pytest.raises(ValidationError, match="already applied"):
        services.annotation_copy_claim(
            original_id=original.pk,
            article=seeds["004"],
            author=other_reviewer,
            start=start,
            end=end,
        )


def test_copy_refuses_unrelated_words_and_the_same_article(seeds, reviewer):
    original = make_annotation(seeds["001"], reviewer, "nearly 50,000-strong enemy group")
    start, end = span(seeds["004"], "**Interview with Dr. Sarah Mitchell")
    with pytest.raises(ValidationError, match="does not state the claim"):
        services.annotation_copy_claim(
            original_id=original.pk, article=seeds["004"], author=reviewer, start=start, end=end
        )
    with pytest.raises(ValidationError, match="this article already"):
        services.annotation_copy_claim(
            original_id=original.pk, article=seeds["001"], author=reviewer, start=0, end=5
        )
    with pytest.raises(ValidationError):
        services.annotation_copy_claim(
            original_id=original.pk, article=seeds["004"], author=reviewer, start=5, end=2
        )
    assert original.copies.count() == 0
