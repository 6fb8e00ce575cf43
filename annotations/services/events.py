"""What every annotation write shares: the row locked for the change, the version check,
and the ReviewEvent that records it."""

from __future__ import annotations

from ..models import Annotation, EvidenceLink, ReviewEvent
from ..policy import Conflict


def record_event(annotation: Annotation, actor, action: str, *, comment: str = "", changes=None):
    """Append one history row for a change just saved (call inside its transaction)."""
    return ReviewEvent.objects.create(
        annotation=annotation,
        actor=actor,
        action=action,
        comment=comment,
        changes=changes or {},
        version=annotation.version,
    )


def lock_annotation(annotation_id: int, expected_version: int | None = None) -> Annotation:
    """Fetch the live row for update; refuse if someone changed it since the caller saw it."""
    annotation = Annotation.objects.select_for_update().get(pk=annotation_id)
    check_version(annotation, expected_version)
    return annotation


def check_version(annotation: Annotation, expected_version: int | None) -> None:
    if expected_version is not None and annotation.version != expected_version:
        raise Conflict.about(
            annotation,
            f"This annotation was changed since you opened it (now version "
            f"{annotation.version}, you had {expected_version}). Reload and try again.",
        )


def save_new_version(annotation: Annotation, links: list[dict] | None = None) -> None:
    """Bump the version, check and save; replace the evidence when `links` is given."""
    annotation.version += 1
    annotation.full_clean()
    annotation.save()
    if links is not None:
        annotation.evidence.all().delete()
        EvidenceLink.objects.bulk_create(EvidenceLink(annotation=annotation, **e) for e in links)
