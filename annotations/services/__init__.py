"""Every write, one module per noun. The public functions are gathered here, so callers
say `services.annotation_review(...)` and need not know which module holds it."""

from ..policy import Conflict
from .annotations import (
    QuoteMismatch,
    annotation_copy,
    annotation_create,
    annotation_delete,
    annotation_reattach,
    annotation_update,
    check_span,
)
from .articles import ImportResult, ReanchorSummary, article_import, article_replace_text
from .claims import annotation_copy_claim
from .inputs import EVIDENCE_MAX, EVIDENCE_TITLE_MAX, NOTE_MAX, Unprocessable
from .login_counters import login_counter_bump, login_counter_clear, login_counter_value
from .review import DECISIONS, annotation_reopen, annotation_review
from .tokens import api_token_create, api_token_revoke, api_token_touch

__all__ = [
    "DECISIONS",
    "EVIDENCE_MAX",
    "EVIDENCE_TITLE_MAX",
    "NOTE_MAX",
    "Conflict",
    "ImportResult",
    "QuoteMismatch",
    "ReanchorSummary",
    "Unprocessable",
    "annotation_copy",
    "annotation_copy_claim",
    "annotation_create",
    "annotation_delete",
    "annotation_reattach",
    "annotation_reopen",
    "annotation_review",
    "annotation_update",
    "api_token_create",
    "api_token_revoke",
    "api_token_touch",
    "article_import",
    "article_replace_text",
    "check_span",
    "login_counter_bump",
    "login_counter_clear",
    "login_counter_value",
]
