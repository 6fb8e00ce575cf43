"""JSON-LD helpers for the W3C tests: both versions of the anno.jsonld context from disk
(tests/schemas/README.md), a pyld loader that never touches the network, N-Quads as
triples, and the terms a document uses that a context does not define."""

import json
from pathlib import Path

from pyld import jsonld

SCHEMAS = Path(__file__).parent / "schemas"
CONTEXTS = {
    "2017": json.loads((SCHEMAS / "anno-2017.jsonld").read_text()),
    "with-assessing": json.loads((SCHEMAS / "anno-with-assessing.jsonld").read_text()),
}
ANNO_URLS = ("http://www.w3.org/ns/anno.jsonld", "https://www.w3.org/ns/anno.jsonld")


def loader(version: str):
    """pyld document loader: the anno.jsonld context of `version`, nothing else."""

    def load(url, options=None):
        assert url.rstrip("/") in ANNO_URLS, url
        return {"contextUrl": None, "documentUrl": url, "document": CONTEXTS[version]}

    return load


def triples(document: dict, version: str) -> set[tuple[str, str, str]]:
    nquads = jsonld.to_rdf(
        document, {"format": "application/n-quads", "documentLoader": loader(version)}
    )
    found = set()
    for line in nquads.splitlines():
        subject, predicate, rest = line.split(" ", 2)
        found.add((subject, predicate, rest.rsplit(" .", 1)[0]))
    return found


def unmapped_terms(document, version: str) -> set[str]:
    """Keys (and @vocab-typed values of motivation/purpose) that neither the context nor
    the document's own inline context maps: a JSON-LD processor would drop them, or make
    them relative IRIs."""
    terms = set(CONTEXTS[version]["@context"])
    context = document.get("@context") if isinstance(document, dict) else None
    for part in context if isinstance(context, list) else [context]:
        if isinstance(part, dict):
            terms |= set(part)
    found: set[str] = set()

    def known(name: str) -> bool:
        return name.startswith("@") or name in terms or name.split(":", 1)[0] in terms

    def walk(node, key=None):
        if isinstance(node, dict):
            for name, value in node.items():
                if name == "@context":
                    continue
                if not known(name):
                    found.add(name)
                walk(value, name)
        elif isinstance(node, list):
            for value in node:
                walk(value, key)
        elif key in ("motivation", "purpose") and not known(node):
            found.add(node)

    walk(document)
    return found
