"""JSON request bodies, refusing pathological nesting and text that is not Unicode with a
400 instead of crashing."""

from __future__ import annotations

import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# JSON may escape a lone UTF-16 surrogate (`"\ud800"`); Python decodes it to a str that
# cannot be encoded as UTF-8, so echoing it in an error message (or storing it) would fail.
_SURROGATE = re.compile("[\ud800-\udfff]")


def has_lone_surrogate(data) -> bool:
    """Whether any key or string anywhere in parsed JSON holds a lone surrogate."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # Python's json module recurses per nesting level: `[[[[…` deep enough raises.
            raise ParseError("JSON parse error - nested too deeply.") from None
        if has_lone_surrogate(data):
            raise ParseError(
                "JSON parse error - a string holds a lone surrogate (\\ud800-\\udfff)."
            )
        return data
