"""manage.py export_annotations --format jsonl|jsonld|claimreview|csv [filters] > FILE"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandError

from annotations.exports.query import ExportError, export_chunks, export_context, export_queryset
from annotations.exports.streaming import COLLECTION_PATH, FORMATS, Chunks, export_stream

# Below this many rows the export is over before a progress bar would help.
PROGRESS_MIN = 10_000
FILTERS = ("article", "verdict", "status", "author", "updated_after")


class Command(BaseCommand):
    help = (
        "Write annotations to standard output as JSONL (own shape), W3C JSON-LD, "
        "schema.org ClaimReview or CSV. Same filters as the API; status defaults to approved."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def one_line_error(message: str):
            sys.stderr.write(f"export_annotations: error: {message}\n")
            sys.exit(2)

        parser.error = one_line_error
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--format", default="jsonl", help=f"one of {', '.join(FORMATS)}")
        parser.add_argument("--article", help="article id")
        parser.add_argument("--verdict", help="verified, disputed or opinion")
        parser.add_argument(
            "--status", help="pending, approved (default), rejected, changes_requested or all"
        )
        parser.add_argument("--author", help="username")
        parser.add_argument("--updated-after", help="ISO 8601 date and time")
        parser.add_argument(
            "--include-orphans",
            action="store_true",
            help="also export annotations that lost their place in the text",
        )
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="scheme and host the W3C and ClaimReview ids point to",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar on stderr")

    def handle(self, *args, **options):
        fmt = FORMATS.get(options["format"])
        if fmt is None:
            raise CommandError(f"--format: choose one of {', '.join(FORMATS)}.")
        params = {name: options[name] for name in FILTERS if options[name] is not None}
        if options["include_orphans"]:
            params["include_orphans"] = "1"
        try:
            qs = export_queryset(params)
        except ExportError as error:
            raise CommandError(
                " ".join(
                    f"--{field.replace('_', '-')}: {' '.join(messages)}"
                    for field, messages in error.detail.items()
                )
            ) from None
        chunks = export_chunks(fmt, qs)
        if not options["quiet"]:
            total = qs.count()
            if total >= PROGRESS_MIN:
                chunks = self._progress(chunks, total)
        base_url = options["base_url"].rstrip("/")
        ctx = export_context(base_url)
        body = export_stream(fmt, chunks, ctx, collection_id=base_url + COLLECTION_PATH)
        out = getattr(self.stdout._out, "buffer", None)
        for piece in body:
            if out is not None:
                out.write(piece)
            else:  # a text stream (call_command with stdout=StringIO)
                self.stdout._out.write(piece.decode())
        self.stdout.flush()

    def _progress(self, chunks: Chunks, total: int) -> Iterator:
        done = 0
        width = 30
        shown = -1
        for chunk in chunks:
            yield chunk
            done += len(chunk)
            # Chunks are small: redraw once a percent (and at the end), not once a chunk.
            percent = 100 * done // total if total else 100
            if percent == shown and done < total:
                continue
            shown = percent
            filled = width * done // total if total else width
            bar = "#" * filled + "." * (width - filled)
            self.stderr.write(f"\r[{bar}] {done:,}/{total:,}", ending="")
            self.stderr.flush()
        self.stderr.write("")
