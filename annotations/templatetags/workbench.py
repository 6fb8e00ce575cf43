"""Role checks for templates, e.g. showing the Review link only to editors."""

from django import template

from annotations import roles

register = template.Library()


@register.filter
def is_editor(user) -> bool:
    return roles.is_editor(user)
