from django import template
from django.utils.translation import get_language, pgettext

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


# The labels staff write before a number ("Mobil: 070-…"), in the page's language. Unknown labels stay as written.
PHONE_LABELS = {
    "telefon": lambda: pgettext("phone label", "Telefon"),
    "tel": lambda: pgettext("phone label", "Telefon"),
    "mobil": lambda: pgettext("phone label", "Mobil"),
    "mobiltelefon": lambda: pgettext("phone label", "Mobil"),
    "växel": lambda: pgettext("phone label", "Växel"),
    "direkt": lambda: pgettext("phone label", "Direkt"),
    "fax": lambda: pgettext("phone label", "Fax"),
}


@register.filter
def phone_label(label):
    """ "Mobil" -> "Mobile" on English pages; any other label as staff wrote it."""
    known = PHONE_LABELS.get(label.strip().lower().rstrip("."))
    return known() if known else label


@register.filter
def phone_number(number):
    """A phone number as readers of the page's language expect it: as written on Swedish pages, in international
    form on English ones ("016-10 20 30" -> "+46 16 10 20 30"). What is no number stays as written."""
    if get_language() != "en":
        return number
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, "SE")
    except phonenumbers.NumberParseException:
        return number
    if not phonenumbers.is_possible_number(parsed):
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
