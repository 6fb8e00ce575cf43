"""What the OpenAPI schema says each parameter and text field accepts, written once.

drf-spectacular describes a query parameter by its Python type only (`integer`,
`string`); the API refuses more than that (ids from 1, page sizes to 1,000, no control
characters in text). This hook adds those bounds to the schema, so that what the schema
a client reads (and a fuzzer generates from) allows, the API accepts, and what it refuses,
the API refuses. Only evidence links are stated more narrowly than checked (URL_PATTERN:
plain-ASCII hosts). The bounds come from the constants the validators use; schemathesis
(tests/api/test_api_schema.py, make fuzz) sends values at and beyond each of them."""

from __future__ import annotations

from annotations.selectors.claims import LIMIT_MAX

from ..lib.text import CONTROL_CHARACTERS
from ..params import ID_MAX
from ..services.inputs import NOTE_MAX
from .serializers import OFFSET_MAX


def _json_class(characters: str) -> str:
    """A Python character-class body as JSON Schema (ECMA-262) escapes."""
    return "".join(c if c == "-" else f"\\u{ord(c):04x}" for c in characters)


# Tab, LF and CR are allowed; NUL, the other C0 and the C1 control characters are not
# (services/inputs.clean_user_text, params.QueryTextField).
TEXT_PATTERN = f"^[^{_json_class(CONTROL_CHARACTERS)}]*$"
# An If-Match / If-None-Match value (RFC 9110): `*` or a comma-separated list of entity
# tags, weak or strong (api/conditional.py parses the same grammar).
_TAG = '(W/)?"[!#-~]*"'
_TAGS = f"(\\*|{_TAG}([ \\t]*,[ \\t]*{_TAG})*)"
ENTITY_TAGS_PATTERN = f"^[ \\t]*{_TAGS}[ \\t]*$"
# If-None-Match on a read: an empty value counts as no header (If-Match's is a 428).
ENTITY_TAGS_OR_EMPTY_PATTERN = f"^[ \\t]*{_TAGS}?[ \\t]*$"

_ID = {"minimum": 1, "maximum": ID_MAX}
PARAMETERS: dict[str, dict] = {
    "article": _ID,
    "article_id": _ID,
    "annotation_id": _ID,
    "number": {"minimum": 1, "maximum": ID_MAX},
    # The cursor lists cap a larger page_size at IdCursorPagination.max_page_size; the
    # W3C export pages refuse it (their own parameter says so).
    "page_size": {"minimum": 1},
    "page": {"minimum": 0, "maximum": 10**9},
    "limit": {"minimum": 1, "maximum": LIMIT_MAX},
    "min_score": {"minimum": 0, "maximum": 1},
    "start": {"minimum": 0, "maximum": OFFSET_MAX},
    "end": {"minimum": 1, "maximum": OFFSET_MAX},
    "author": {"maxLength": 150, "pattern": TEXT_PATTERN},
    "q": {"maxLength": 200, "pattern": TEXT_PATTERN},
    # A cursor is what `next` or `previous` hold: base64 of `o=..&r=..&p=..`.
    "cursor": {"format": "cursor"},
    "If-Match": {"pattern": ENTITY_TAGS_PATTERN},
    "If-None-Match": {"pattern": ENTITY_TAGS_OR_EMPTY_PATTERN},
}
# Text people type, in request bodies: the same characters as TEXT_PATTERN.
TEXT_FIELDS = {"note", "comment", "title", "claim", "name"}
# Evidence links (lib/iri.py): http(s), a host, then a path, query or fragment of any
# characters but white space and controls (the API percent-encodes what RFC 3987 forbids).
# The pattern's host is the plain ASCII form, dot-separated letters and digits; the API
# also takes hyphens, IDN hosts (IDNA 2008 rules), IPv6 in brackets and a port from 1 to
# 65535, which no regular expression here could check. User info (`user@`) is refused.
_LABEL = "[A-Za-z0-9]{1,63}"
_TAIL = f"[/?#][^\\s{_json_class(CONTROL_CHARACTERS)}\\ud800-\\udfff]*"
URL_PATTERN = f"^[Hh][Tt][Tt][Pp][Ss]?://{_LABEL}(\\.{_LABEL})*({_TAIL})?$"
URL_FIELD = {"format": "uri", "pattern": URL_PATTERN}


def _constrain_properties(schema: dict) -> None:
    for name, prop in (schema.get("properties") or {}).items():
        if prop.get("readOnly") or prop.get("type") != "string" or "enum" in prop:
            continue
        if name in TEXT_FIELDS:
            prop.setdefault("maxLength", NOTE_MAX)
            prop["pattern"] = TEXT_PATTERN
        elif name == "quote":  # the article's text, from which import drops NUL
            prop["pattern"] = "^[^\\u0000]*$"
        elif name == "url":
            prop.update(URL_FIELD)


# What the server itself answers before a view runs, to any operation: gunicorn for a
# request line or headers over its limits (JSON, workbench/gunicorn_conf.py), the body
# limit (workbench/bodylimit.py) for a body over DATA_UPLOAD_MAX_MEMORY_SIZE.
_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
SERVER_ERRORS = {
    "414": "The request line (method, path and query) is over 4,094 bytes.",
    "431": "Too many request headers, or one over 8,190 bytes.",
}
BODY_ERRORS = {"413": "The request body is over the size limit."}


def _document_server_errors(operation: dict) -> None:
    errors = SERVER_ERRORS | (BODY_ERRORS if "requestBody" in operation else {})
    responses = operation.setdefault("responses", {})
    for code, description in errors.items():
        responses.setdefault(code, {"content": _ERROR, "description": description})


def constrain_schema(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            _document_server_errors(operation)
            for parameter in operation.get("parameters", []):
                bounds = PARAMETERS.get(parameter["name"])
                schema = parameter.setdefault("schema", {})
                for key, value in (bounds or {}).items():
                    schema.setdefault(key, value)  # a view's own bound wins
    for schema in result.get("components", {}).get("schemas", {}).values():
        _constrain_properties(schema)
    return result
