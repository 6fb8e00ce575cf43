"""Run the benchmarks: `make bench`, or `.venv/bin/python bench/run.py [NAME...] [--rows N]`.

Every bench/<name>.py module with a main() is a benchmark, run in name order; --rows is
passed to those whose main() takes it (the export benchmark's annotation count). A module
with STANDALONE = True has a command line and a make target of its own (`make load`).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# bench/ is a folder of scripts, not a package; the project root holds the app.
sys.path[:0] = [str(HERE), str(HERE.parent)]


def benchmarks(names: list[str]) -> list[str]:
    found = sorted(p.stem for p in HERE.glob("*.py") if p.stem not in ("run", "__init__"))
    unknown = set(names) - set(found)
    if unknown:
        raise SystemExit(
            f"no such benchmark: {', '.join(sorted(unknown))} (have {', '.join(found)})"
        )
    return [n for n in found if not names or n in names]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--rows", type=int, default=None, help="annotations to export")
    args = parser.parse_args()
    if args.rows is not None and args.rows < 1:
        parser.error("--rows must be at least 1")
    failed = 0
    for name in benchmarks(args.names):
        module = importlib.import_module(name)
        if not hasattr(module, "main") or getattr(module, "STANDALONE", False):
            continue
        kwargs = {}
        if args.rows is not None and "rows" in inspect.signature(module.main).parameters:
            kwargs["rows"] = args.rows
        print(f"== {name}", flush=True)
        began = time.perf_counter()
        status = module.main(**kwargs)
        print(f"== {name}: {time.perf_counter() - began:.1f} s\n", flush=True)
        failed += bool(status)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
