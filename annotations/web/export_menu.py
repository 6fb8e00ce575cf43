"""What the Export menu offers: editors the filters in force (every status unless one is
chosen), reviewers their own annotations. The exports check the same rule themselves."""

from __future__ import annotations

from urllib.parse import urlencode

from .. import policy
from ..models import Status
from ..selectors import CardFilter


def export_menu(user, *, article=None, filters: CardFilter | None = None) -> dict:
    """Context for annotate/export_menu.html: the query string and what it exports."""
    filters = filters or CardFilter()
    query: dict[str, str | int] = {}
    if article is not None:
        query["article"] = article.pk
    if filters.verdict:
        query["verdict"] = filters.verdict
    where = f" of “{article.title[:60]}”" if article is not None else ""
    if policy.is_editor(user):
        if filters.author:
            query["author"] = filters.author
        query["status"] = filters.status or policy.STATUS_ALL
        status = Status(filters.status).label.lower() if filters.status else "every status"
        title = f"Annotations{where}, {status}, with the filters shown."
    else:
        query["author"] = user.get_username()
        query["status"] = filters.status or Status.APPROVED
        title = f"Your own annotations{where}, {Status(query['status']).label.lower()}."
    return {"query": urlencode(query), "title": title}
