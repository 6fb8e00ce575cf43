"""Run every benchmark in this folder: each bench/<name>.py module's main(), in name order."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def modules(names: list[str]) -> list[Path]:
    found = sorted(p for p in HERE.glob("*.py") if p.stem not in ("run", "__init__"))
    if names:
        found = [p for p in found if p.stem in names]
    return found


def main(argv: list[str]) -> int:
    """Run the benchmarks named on the command line, or all of them."""
    failed = 0
    for path in modules(argv):
        spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if not hasattr(module, "main"):
            continue
        print(f"== {path.stem}")
        began = time.perf_counter()
        try:
            module.main()
        except Exception as exc:  # one broken benchmark should not hide the others
            failed += 1
            print(f"   FAILED: {exc!r}")
        print(f"== {path.stem}: {time.perf_counter() - began:.1f} s\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
