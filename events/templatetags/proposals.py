from django import template

from events.retention import retention_days

register = template.Library()


@register.simple_tag
def proposer_retention_days():
    """How many days after the week the proposers' personal data is kept (the privacy note states it)."""
    return retention_days()
