"""manage.py collect_static : collectstatic that two servers started at once cannot race.

One run at a time (an exclusive lock beside STATIC_ROOT); each collects into a fresh
folder next to STATIC_ROOT and then swaps it in by renaming, so no server ever reads a
half-written file or a manifest that names files another run is still writing."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Collect static files into STATIC_ROOT atomically, one run at a time."

    def handle(self, *args, **options):
        root = Path(settings.STATIC_ROOT).resolve()
        root.parent.mkdir(parents=True, exist_ok=True)
        with open(root.parent / f".{root.name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            fresh = Path(tempfile.mkdtemp(prefix=f".{root.name}-new-", dir=root.parent))
            try:
                # A process of its own: settings (and the storage) read STATIC_ROOT once.
                done = subprocess.run(
                    [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                    cwd=settings.BASE_DIR,
                    env={**os.environ, "STATIC_ROOT": str(fresh)},
                    capture_output=True,
                    text=True,
                )
                if done.returncode != 0:
                    lines = done.stderr.strip().splitlines() or ["collectstatic failed"]
                    raise CommandError(lines[-1])
                fresh.chmod(0o755)
                old = root.parent / f".{root.name}-old-{os.getpid()}"
                if root.exists():
                    root.rename(old)
                fresh.rename(root)
            finally:
                shutil.rmtree(fresh, ignore_errors=True)
                shutil.rmtree(root.parent / f".{root.name}-old-{os.getpid()}", ignore_errors=True)
        self.stdout.write(f"collected into {root}")
