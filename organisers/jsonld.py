"""schema.org Organization data for an actor's page (made inert by innovationsvecka.seo.json_ld)."""


def organisation_data(*, organisation, url, logo_url, contacts):
    """Only public contacts are passed in; the caller's queryset decides that, this function never looks."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": url + "#organisation",
        "name": organisation.name,
        "url": organisation.website or url,
        "mainEntityOfPage": url,
    }
    if organisation.help_text:
        data["description"] = organisation.help_text
    if logo_url:
        data["logo"] = logo_url
    if organisation.email:
        data["email"] = organisation.email
    if organisation.phone:
        data["telephone"] = organisation.phone
    municipalities = [m.name for m in organisation.municipalities.all()]
    if municipalities:
        data["areaServed"] = [{"@type": "AdministrativeArea", "name": name} for name in municipalities]
    support = [s.name for s in organisation.support_types.all()]
    if support:
        data["knowsAbout"] = support
    points = []
    for contact in contacts:
        point = {"@type": "ContactPoint", "name": contact.name}
        if contact.title:
            point["contactType"] = contact.title
        phones = [href.removeprefix("tel:") or number for _label, number, href in contact.phone_numbers]
        if phones:
            point["telephone"] = phones[0]
        if contact.email:
            point["email"] = contact.email
        points.append(point)
    if points:
        data["contactPoint"] = points
    return data
