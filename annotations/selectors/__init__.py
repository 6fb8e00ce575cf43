"""Every read beyond a .get(), one module per noun; all vendor-specific SQL lives here.
The public functions are gathered here, so callers say `selectors.review_queue(...)`."""

from .annotations import (
    annotation_history,
    annotation_with_article,
    annotations_for_api,
    article_workbench_annotations,
    author_changes_requested,
    author_status_counts,
    orphan_list,
    with_visible_status,
)
from .articles import article_list, article_with_duplicates, articles_with_counts
from .claims import SimilarPassage, similar_passages
from .desk import (
    CARD_PAGE,
    CardFilter,
    desk_authors,
    desk_card,
    desk_cards,
    desk_counts,
    desk_orphans,
    desk_spans,
    with_editor_fixes,
    with_links,
)
from .duplicates import DuplicateSource, DuplicateVerdict, duplicate_verdicts
from .exports import (
    ARTICLE_FIELDS,
    EXPORT_CHUNK_SIZE,
    ROW_KEYS,
    annotation_export_chunks,
    annotation_export_queryset,
    annotation_rows,
    export_database,
    filter_status,
)
from .public import published_article, published_articles, revision_text
from .review import QUEUE_PAGE, review_queue, review_queue_choices
from .search import (
    article_snippets,
    filter_annotations,
    filter_articles,
    in_rank_order,
    ranked_article_ids,
)

__all__ = [
    "CARD_PAGE",
    "CardFilter",
    "desk_authors",
    "desk_card",
    "desk_cards",
    "desk_counts",
    "desk_orphans",
    "desk_spans",
    "ARTICLE_FIELDS",
    "EXPORT_CHUNK_SIZE",
    "QUEUE_PAGE",
    "ROW_KEYS",
    "DuplicateSource",
    "DuplicateVerdict",
    "SimilarPassage",
    "annotation_export_chunks",
    "annotation_export_queryset",
    "annotation_history",
    "annotation_rows",
    "annotation_with_article",
    "annotations_for_api",
    "article_list",
    "article_snippets",
    "article_with_duplicates",
    "article_workbench_annotations",
    "articles_with_counts",
    "author_changes_requested",
    "author_status_counts",
    "duplicate_verdicts",
    "export_database",
    "filter_annotations",
    "filter_articles",
    "filter_status",
    "in_rank_order",
    "orphan_list",
    "published_article",
    "published_articles",
    "ranked_article_ids",
    "review_queue",
    "review_queue_choices",
    "revision_text",
    "with_editor_fixes",
    "with_links",
    "with_visible_status",
    "similar_passages",
]
