"""JSON request bodies, refusing pathological nesting with a 400 instead of crashing."""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            # Python's json module recurses per nesting level: `[[[[…` deep enough raises.
            raise ParseError("JSON parse error - nested too deeply.") from None
