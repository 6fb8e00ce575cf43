"""The rule book for templates: `user|is_editor`, `user|can_annotate`, and
`{% may user "edit" annotation as can_edit %}` for any act (see policy.Act)."""

from django import template

from annotations import policy

register = template.Library()


@register.filter
def is_editor(user) -> bool:
    return policy.is_editor(user)


@register.filter
def can_annotate(user) -> bool:
    return policy.can_annotate(user)


@register.simple_tag
def may(user, act: str, annotation) -> bool:
    return policy.allows(user, act, annotation)
