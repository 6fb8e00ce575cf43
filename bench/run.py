"""Run the benchmarks: `make bench` or `.venv/bin/python bench/run.py [--rows N]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import export  # noqa: E402  (bench/ is a folder of scripts, not a package)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000, help="annotations to export")
    args = parser.parse_args()
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    return export.main(rows=args.rows)


if __name__ == "__main__":
    sys.exit(main())
