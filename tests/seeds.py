"""The five seed articles, loaded through the importer (so their sentences are indexed)."""

from __future__ import annotations

from pathlib import Path

from annotations import services

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def load_seeds() -> dict[str, object]:
    """{"000": article, ...} by the file's number."""
    return {
        path.name[:3]: services.article_import(raw=path.read_bytes(), source_file=str(path)).article
        for path in sorted(SEEDS.glob("*.txt"))
    }


def span(article, phrase: str) -> tuple[int, int]:
    start = article.text.index(phrase)
    return start, start + len(phrase)
