"""vCard 4.0 (RFC 6350) for one public contact, so a phone can save the person in one tap."""

import datetime
import re

CRLF = "\r\n"


def escape(value):
    """Escape a text value: backslash, comma, semicolon and line breaks (RFC 6350, 3.4)."""
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line):
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 6350, 3.2)."""
    parts = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with one space
        current += char
        size += width
    parts.append(current)
    return (CRLF + " ").join(parts)


def name_parts(name):
    """Family and given names for N, ignoring a parenthesised note such as "(exempel)"."""
    words = re.sub(r"\([^)]*\)", " ", name).split()
    if not words:
        return name.strip(), ""
    return words[-1], " ".join(words[:-1])


def phone_type(label):
    label = label.lower()
    if "mobil" in label or "mobile" in label or "sms" in label:
        return "cell,voice"
    return "work,voice"


def build_vcard(*, contact, organisation_url):
    """The vCard text (CRLF line ends) for a public contact."""
    organisation = contact.organisation
    family, given = name_parts(contact.name)
    org = escape(organisation.name) + (";" + escape(contact.unit) if contact.unit else "")
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "KIND:individual",
        "FN:" + escape(contact.name),
        f"N:{escape(family)};{escape(given)};;;",
        "ORG:" + org,
    ]
    if contact.title:
        lines.append("TITLE:" + escape(contact.title))
    for label, number, href in contact.phone_numbers:
        if href:
            lines.append(f'TEL;VALUE=uri;TYPE="{phone_type(label)}":{href}')
        else:  # not a number a phone can dial: kept as the text it was written as
            lines.append(f'TEL;VALUE=text;TYPE="{phone_type(label)}":{escape(number)}')
    if contact.email:
        lines.append("EMAIL;TYPE=work:" + escape(contact.email))
    lines.append("URL:" + organisation_url)
    if contact.updated:
        lines.append("REV:" + contact.updated.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ"))
    lines.append("END:VCARD")
    return "".join(fold(line) + CRLF for line in lines)


def filename(contact):
    from django.utils.text import slugify

    return (slugify(re.sub(r"\([^)]*\)", " ", contact.name)) or f"kontakt-{contact.pk}") + ".vcf"
