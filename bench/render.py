"""Splitting an article's text into highlight segments as the span count grows.

Prints the time for 20, 200 and 2,000 nested spans on a 20,000-character text and the
ratio to 20 spans (the segmenter is one pass over sorted boundaries, so the ratio should
follow the boundary count, not its square). Run alone or through bench/run.py.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotations.lib.render import Span, segments  # noqa: E402

TEXT = ("x" * 79 + "\n") * 250  # 20,000 characters in 250 lines
COUNTS = (20, 200, 2_000)
REPEAT = 5


def best_of(spans: list[Span]) -> float:
    times = []
    for _ in range(REPEAT):
        began = time.perf_counter()
        segments(TEXT, spans)
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    baseline = None
    print(f"render: segments of a {len(TEXT):,}-character text, best of {REPEAT}")
    for count in COUNTS:
        step = len(TEXT) // count
        spans = [
            Span(i, i * step, min(len(TEXT), i * step + 3 * step), "verified") for i in range(count)
        ]
        seconds = best_of(spans)
        baseline = baseline or seconds
        print(f"  {count:>5} spans  {seconds * 1000:8.2f} ms  {seconds / baseline:6.1f}x")


if __name__ == "__main__":
    main()
