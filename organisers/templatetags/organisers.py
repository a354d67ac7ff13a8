from django import template

register = template.Library()


@register.filter
def initials(name):
    """Up to two capital initials, shown in place of a missing logo: "Region Sörmland" -> "RS"."""
    words = [word for word in name.replace("-", " ").split() if word[:1].isalpha()]
    capitals = [word[0] for word in words if word[0].isupper()]
    letters = (capitals or [word[0].upper() for word in words])[:2]
    return "".join(letters) or name[:1].upper()


@register.filter
def tel_href(number):
    from organisers.models import tel_href as href

    return href(number)
