"""manage.py load_articles PATH... : import article text files (or folders of them)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotations.lib.text import ArticleFileError
from annotations.services import ImportResult, article_import

SYMLINK_REFUSED = "symbolic link, not followed (use --follow-symlinks)"


def expand(paths: list[str], *, follow_symlinks: bool = False) -> list[tuple[Path, str | None]]:
    """Each file to load, or the path with the reason it cannot be read. A symbolic link
    (given, or found in a folder) is refused unless `follow_symlinks`: it may point at any
    file the operator's account can read."""
    found: list[tuple[Path, str | None]] = []
    for name in paths:
        path = Path(name)
        if path.is_symlink() and not follow_symlinks:
            found.append((path, SYMLINK_REFUSED))
        elif path.is_dir():
            entries = sorted(p for p in path.iterdir() if not p.name.startswith("."))
            files = []
            for entry in entries:
                if entry.is_symlink() and not follow_symlinks:
                    files.append((entry, SYMLINK_REFUSED))
                elif entry.is_file():
                    files.append((entry, None))
            if not files:
                found.append((path, "folder holds no files"))
            found.extend(files)
        elif path.is_file():
            found.append((path, None))
        elif path.exists():
            found.append((path, "not a regular file"))
        else:
            found.append((path, "no such file or folder"))
    return found


def describe_update(result: ImportResult) -> str:
    """E.g. "updated #3 (revision 2): 3 moved, 1 fuzzy, 1 orphaned"."""
    summary = result.reanchored
    counts = f"{summary.moved} moved, {summary.fuzzy} fuzzy, {summary.orphaned} orphaned"
    if summary.unchanged:
        counts += f", {summary.unchanged} in place"
    return f"updated #{result.article.pk} (revision {summary.revision}): {counts}"


class Command(BaseCommand):
    help = (
        "Load article text files (UTF-8). Loading the same text twice changes nothing; a "
        "changed text for an article loaded from the same file (or --article ID) becomes "
        "its next revision and its annotations are re-anchored."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or folders of files")
        parser.add_argument(
            "--article",
            type=int,
            metavar="ID",
            help="the file is a new text of this article (one file only)",
        )
        parser.add_argument(
            "--follow-symlinks",
            action="store_true",
            help="load files that symbolic links point to (refused by default)",
        )

    def handle(
        self,
        *args,
        paths: list[str],
        article: int | None = None,
        follow_symlinks: bool = False,
        **options,
    ):
        files = expand(paths, follow_symlinks=follow_symlinks)
        if article is not None and len(files) != 1:
            raise CommandError("--article takes exactly one file")
        created = updated = unchanged = duplicates = failed = 0
        for path, problem in files:
            if problem is None:
                try:
                    result = article_import(
                        raw=path.read_bytes(), source_file=str(path), article_id=article
                    )
                except (ArticleFileError, ValidationError, OSError) as exc:
                    problem = "; ".join(getattr(exc, "messages", None) or [str(exc)])
            if problem is not None:
                failed += 1
                self.stderr.write(f"{path}: error: {problem}")
                continue
            if result.updated:
                updated += 1
                self.stdout.write(f"{path}: {describe_update(result)}")
                continue
            line = f"{path}: {'created' if result.created else 'unchanged'} #{result.article.pk}"
            if result.created:
                created += 1
            else:
                unchanged += 1
            if result.near_duplicate_of is not None:
                duplicates += 1
                line += f", near duplicate of #{result.near_duplicate_of.pk}"
            self.stdout.write(line)
        summary = (
            (f"{updated} updated, " if updated else "")
            + f"{created} created, {unchanged} unchanged, {duplicates} near duplicates, "
            f"{failed} failed"
        )
        if failed:
            raise CommandError(summary)
        self.stdout.write(summary)
