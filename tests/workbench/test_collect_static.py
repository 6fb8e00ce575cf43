"""Two servers started at once from one checkout collect static files without racing: the
second waits for the first, and STATIC_ROOT is only ever a complete collection."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start(static_root: Path) -> subprocess.Popen:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "0",
        "SECRET_KEY": "s" * 64,
        "ALLOWED_HOSTS": "example.org",
        "STATIC_ROOT": str(static_root),
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "collect_static"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_concurrent_runs_both_succeed_with_a_complete_manifest(tmp_path):
    static_root = tmp_path / "staticfiles"
    runs = [start(static_root), start(static_root)]
    results = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    assert [code for code, _ in results] == [0, 0], results
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    assert manifest["paths"]
    for hashed in manifest["paths"].values():
        assert (static_root / hashed).is_file(), hashed
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "staticfiles"]
    assert leftovers == [".staticfiles.lock"]
