"""`{% link_host url %}`: where a link goes, beside it: the host as a person reads it (IDN
decoded), flagged when the link spells it in punycode or it holds non-ASCII look-alikes."""

from django import template

from annotations.lib.iri import link_host as host_of

register = template.Library()


@register.inclusion_tag("links/link_host.html")
def link_host(url: str) -> dict:
    return {"host": host_of(url or "")}
