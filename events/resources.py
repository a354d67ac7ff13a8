"""Sessions in and out of spreadsheets (django-import-export), with Swedish column names.

The columns are those of docs/import/programpunkter-mall.csv. Every bad row is reported with a plain reason and
nothing is written unless the whole file is valid (the admin imports inside one transaction and rolls back).
A row whose edition and short name (kortnamn, made from the title when empty) match an existing session
updates it; otherwise a new session is created. Saving goes through events.services.save_session.

A sheet may hold only some of the columns: an absent column, and an empty status cell, leave the stored value
alone, so a sheet of upplaga, kortnamn and status publishes without touching the texts. An exported file
imports again unchanged. Text that a spreadsheet would read as a formula (starting with = + - @, a tab or a
carriage return) is exported with an apostrophe in front (OWASP's advice against CSV injection), and that
apostrophe is taken off again on import.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.fields import Field

from organisers.models import Contact, Organisation

from .models import Audience, Edition, Session, Theme, Venue
from .services import save_session, session_problems

COLUMNS = {
    "edition": "upplaga", "title": "rubrik", "slug": "kortnamn", "date": "datum", "start": "börjar",
    "end": "slutar", "format": "form", "venue": "plats", "online_url": "länk", "online_note": "om länken",
    "themes": "teman", "audiences": "målgrupper", "organisers": "arrangörer", "summary": "sammanfattning",
    "description": "beskrivning", "language": "språk", "cost": "kostnad", "registration_url": "anmälan",
    "registration_deadline": "sista anmälningsdag", "capacity": "antal platser", "contact": "kontaktperson",
    "status": "status", "cancellation_note": "meddelande om inställt",
    "title_en": "rubrik på engelska", "summary_en": "sammanfattning på engelska",
    "description_en": "beskrivning på engelska",
}
REQUIRED = ("edition",)
NEEDED_BY_NEW = ("title", "date", "start", "end")
FORMATS = {"plats": "plats", "på plats": "plats", "digitalt": "digitalt", "digital": "digitalt", "hybrid": "hybrid"}
STATUSES = {
    "utkast": "draft", "förslag": "proposed", "publicerad": "published", "inställd": "cancelled", "avböjd": "declined",
}
STATUS_NAMES = {value: name for name, value in STATUSES.items()}
LANGUAGES = {
    "": "sv", "sv": "sv", "svenska": "sv", "en": "en", "engelska": "en", "sv-en": "sv-en",
    "svenska och engelska": "sv-en",
}
TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
DEADLINE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2})[:.](\d{2}))?$")
CONTACT_IN = re.compile(r"^(?P<name>.+?)\s*\((?P<organisation>[^()]+)\)$")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """'=HYPERLINK(…)' stays text in Excel and LibreOffice: an apostrophe goes in front."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_formula(value):
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def has(row, key):
    return COLUMNS[key] in row


def text(row, key):
    value = row.get(COLUMNS[key])
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unescape_formula(str(value).strip())


def names(value):
    return [part.strip() for part in value.split(";") if part.strip()]


def parse_date(row):
    value = row.get(COLUMNS["date"])
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = text(row, "date")
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValueError(_("”%(value)s” är inget datum. Skriv datumet som 2026-11-10.") % {"value": raw}) from None


def parse_time(row, key):
    value = row.get(COLUMNS[key])
    if isinstance(value, datetime.datetime):
        return value.time()
    if isinstance(value, datetime.time):
        return value
    raw = text(row, key)
    match = TIME.match(raw)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return datetime.time(int(match[1]), int(match[2]))
    raise ValueError(_("”%(value)s” är ingen tid. Skriv tiden som 09:30.") % {"value": raw})


def lookup_names(model, value, unknown_message):
    """Objects named (by name or slug, any case) in a ;-separated list; unknown names are errors."""
    wanted = names(value)
    if not wanted:
        return [], []
    query = Q()
    for name in wanted:
        query |= Q(name__iexact=name) | Q(slug__iexact=name)
    found = list(model.objects.filter(query))
    result, missing = [], []
    for name in wanted:
        match = next((o for o in found if o.name.lower() == name.lower() or o.slug.lower() == name.lower()), None)
        if match is None:
            missing.append(unknown_message % {"name": name})
        elif match not in result:
            result.append(match)
    return result, missing


def parse_deadline(raw):
    """'2026-11-01 18:00' (or a date alone: 23:59 that day) as a naive local datetime, else None."""
    match = DEADLINE.match(raw)
    if not match:
        return None
    hour, minute = (int(match[2]), int(match[3])) if match[2] else (23, 59)
    try:
        return datetime.datetime.combine(datetime.date.fromisoformat(match[1]), datetime.time(hour, minute))
    except ValueError:
        return None


def find_contact(raw):
    """The contact named "Namn" or "Namn (Aktör)"; (contact, None) or (None, the reason)."""
    candidates = Contact.objects.filter(name__iexact=raw).select_related("organisation")
    match = CONTACT_IN.match(raw)
    if not candidates.exists() and match:
        candidates = Contact.objects.filter(
            name__iexact=match["name"], organisation__name__iexact=match["organisation"].strip()
        ).select_related("organisation")
    found = list(candidates[:2])
    if len(found) == 1:
        return found[0], None
    if found:
        return None, _(
            "Det finns flera kontaktpersoner som heter ”%(name)s”. Skriv aktören inom parentes: %(name)s (Aktör)."
        ) % {"name": raw}
    return None, _("Okänd kontaktperson ”%(name)s”. Skriv namnet precis som i admin.") % {"name": raw}


class ReadableDiff(resources.Diff):
    """The preview's before/after columns, read exactly as the export reads them."""

    def __init__(self, resource, instance, new):
        self.left = self.values(resource, instance)
        self.right = []
        self.new = new

    def compare_with(self, resource, instance):
        self.right = self.values(resource, instance)

    @staticmethod
    def values(resource, instance):
        fields = resource.get_import_fields()
        if instance is None:
            return [""] * len(fields)
        return [resource.export_field(field, instance) for field in fields]


class SessionResource(resources.ModelResource):
    # A number: a number cell in XLSX, digits in CSV.
    edition = Field(attribute="edition__year", column_name=COLUMNS["edition"], widget=widgets.IntegerWidget())
    title = Field(attribute="title", column_name=COLUMNS["title"])
    slug = Field(attribute="slug", column_name=COLUMNS["slug"])
    date = Field(column_name=COLUMNS["date"])
    start = Field(column_name=COLUMNS["start"])
    end = Field(column_name=COLUMNS["end"])
    # Not called "format": the admin's export form already has a field of that name (the file format).
    session_format = Field(attribute="format", column_name=COLUMNS["format"])
    venue = Field(attribute="venue__name", column_name=COLUMNS["venue"])
    online_url = Field(attribute="online_url", column_name=COLUMNS["online_url"])
    online_note = Field(attribute="online_note", column_name=COLUMNS["online_note"])
    themes = Field(column_name=COLUMNS["themes"])
    audiences = Field(column_name=COLUMNS["audiences"])
    organisers = Field(column_name=COLUMNS["organisers"])
    summary = Field(attribute="summary", column_name=COLUMNS["summary"])
    description = Field(attribute="description", column_name=COLUMNS["description"])
    language = Field(attribute="language", column_name=COLUMNS["language"])
    cost = Field(attribute="cost", column_name=COLUMNS["cost"])
    registration_url = Field(attribute="registration_url", column_name=COLUMNS["registration_url"])
    registration_deadline = Field(column_name=COLUMNS["registration_deadline"])
    capacity = Field(column_name=COLUMNS["capacity"])
    contact = Field(column_name=COLUMNS["contact"])
    status = Field(column_name=COLUMNS["status"])
    cancellation_note = Field(attribute="cancellation_note", column_name=COLUMNS["cancellation_note"])
    title_en = Field(attribute="title_en", column_name=COLUMNS["title_en"])
    summary_en = Field(attribute="summary_en", column_name=COLUMNS["summary_en"])
    description_en = Field(attribute="description_en", column_name=COLUMNS["description_en"])

    class Meta:
        model = Session
        fields = [name if name != "format" else "session_format" for name in COLUMNS]
        export_order = fields
        import_id_fields = ["edition"]  # with kortnamn or rubrik, see get_instance
        use_transactions = True
        skip_diff = False
        clean_model_instances = False

    # Export: one row per session, in programme order, readable by the import.

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("edition", "venue", "contact__organisation").prefetch_related(
            "themes", "audiences", "organisers"
        )

    def dehydrate_date(self, obj):
        return timezone.localtime(obj.start).date().isoformat() if obj.start else ""

    def dehydrate_start(self, obj):
        return f"{timezone.localtime(obj.start):%H:%M}" if obj.start else ""

    def dehydrate_end(self, obj):
        return f"{timezone.localtime(obj.end):%H:%M}" if obj.end else ""

    def _related_names(self, obj, attr):
        if obj.pk is None:
            return "; ".join(o.name for o in getattr(obj, f"_import_{attr}", []))
        return "; ".join(o.name for o in getattr(obj, attr).all())

    def dehydrate_themes(self, obj):
        return self._related_names(obj, "themes")

    def dehydrate_audiences(self, obj):
        return self._related_names(obj, "audiences")

    def dehydrate_organisers(self, obj):
        return self._related_names(obj, "organisers")

    def dehydrate_status(self, obj):
        return STATUS_NAMES.get(obj.status, obj.status)

    def dehydrate_registration_deadline(self, obj):
        """Swedish time, to the minute: 2026-11-01 23:59."""
        if not obj.registration_deadline:
            return ""
        return f"{timezone.localtime(obj.registration_deadline):%Y-%m-%d %H:%M}"

    def dehydrate_capacity(self, obj):
        return obj.capacity if obj.capacity is not None else ""

    def dehydrate_contact(self, obj):
        """The contact's name, with the organisation in brackets when another contact has the same name."""
        contact = obj.contact if obj.contact_id else None
        if contact is None:
            return ""
        if Contact.objects.filter(name__iexact=contact.name).exclude(pk=contact.pk).exists():
            return f"{contact.name} ({contact.organisation.name})"
        return contact.name

    def export_resource(self, instance, selected_fields=None, **kwargs):
        """The file's cells; the import preview reads export_field and shows the values unescaped."""
        row = super().export_resource(instance, selected_fields, **kwargs)
        return [escape_formula(value) for value in row]

    # Import

    def get_diff_class(self):
        return ReadableDiff

    def before_import(self, dataset, **kwargs):
        self._seen = {}
        headers = [str(h).strip().lower() for h in (dataset.headers or [])]
        dataset.headers = headers
        missing = [COLUMNS[key] for key in REQUIRED if COLUMNS[key] not in headers]
        if COLUMNS["slug"] not in headers and COLUMNS["title"] not in headers:
            missing.append(_("%(slug)s eller %(title)s") % {"slug": COLUMNS["slug"], "title": COLUMNS["title"]})
        if missing:
            raise ValidationError(
                _("Filen saknar kolumnerna %(columns)s. Utgå från mallen programpunkter-mall.csv.")
                % {"columns": ", ".join(missing)}
            )

    def _edition(self, row):
        raw = text(row, "edition")
        edition = Edition.objects.filter(year=int(raw)).first() if raw.isdigit() else None
        if edition is None:
            raise ValueError(_("Upplagan ”%(value)s” finns inte. Skriv året, till exempel 2026.") % {"value": raw})
        return edition

    def _slug(self, row):
        return slugify(text(row, "slug") or text(row, "title"))[:120]

    def get_instance(self, instance_loader, row):
        try:
            edition = self._edition(row)
        except ValueError:
            return None
        slug = self._slug(row)
        return Session.objects.filter(edition=edition, slug=slug).first() if slug else None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        is_new = instance.pk is None

        def attempt(key, action):
            try:
                return action()
            except ValueError as error:
                errors.setdefault(COLUMNS[key], []).append(str(error))
                return None

        for key in NEEDED_BY_NEW:
            if is_new and not has(row, key):
                errors.setdefault(COLUMNS[key], []).append(
                    _("Kolumnen saknas i filen. En ny programpunkt behöver den.")
                )
        instance.edition = attempt("edition", lambda: self._edition(row)) or getattr(instance, "edition", None)
        if has(row, "title"):
            instance.title = text(row, "title")
            if not instance.title:
                errors.setdefault(COLUMNS["title"], []).append(_("Rubriken saknas."))
        if is_new or has(row, "slug"):
            instance.slug = self._slug(row)
        self._import_times(instance, row, attempt)
        if has(row, "format"):
            format_value = text(row, "format").lower() or "plats"
            if format_value in FORMATS:
                instance.format = FORMATS[format_value]
            else:
                errors.setdefault(COLUMNS["format"], []).append(
                    _("Formen ”%(value)s” finns inte. Skriv plats, digitalt eller hybrid.")
                    % {"value": text(row, "format")}
                )
        venue_name = text(row, "venue")
        if has(row, "venue"):
            instance.venue = None
        if venue_name:
            instance.venue = Venue.objects.filter(name__iexact=venue_name).order_by("pk").first()
            if instance.venue is None:
                errors.setdefault(COLUMNS["venue"], []).append(
                    _("Okänd plats ”%(name)s”. Lägg till platsen i admin först, eller rätta namnet.")
                    % {"name": venue_name}
                )
        for key in ("online_url", "online_note", "summary", "description", "cost", "registration_url", "title_en",
                    "summary_en", "description_en"):
            if has(row, key):
                setattr(instance, key, text(row, key))
        language = text(row, "language").lower()
        if has(row, "language") and language in LANGUAGES:
            instance.language = LANGUAGES[language]
        elif has(row, "language"):
            errors.setdefault(COLUMNS["language"], []).append(
                _("Språket ”%(value)s” finns inte. Skriv sv, en eller sv-en.") % {"value": text(row, "language")}
            )
        self._import_registration(instance, row, errors)
        if has(row, "cancellation_note"):
            instance.cancellation_note = text(row, "cancellation_note")
        status = text(row, "status").lower()
        if not status:
            pass  # an empty or absent status leaves the stored one (a new session is a draft)
        elif status in STATUSES:
            instance.status = STATUSES[status]
        else:
            errors.setdefault(COLUMNS["status"], []).append(
                _("Statusen ”%(value)s” går inte att importera. Skriv utkast, förslag, publicerad eller inställd.")
                % {"value": text(row, "status")}
            )
        for key, model, message in (
            ("themes", Theme, _("Okänt tema ”%(name)s”.")),
            ("audiences", Audience, _("Okänd målgrupp ”%(name)s”.")),
            ("organisers", Organisation, _("Okänd arrangör ”%(name)s”. Skriv namnet precis som i aktörslistan.")),
        ):
            if not has(row, key):
                continue
            found, missing = lookup_names(model, text(row, key), message)
            setattr(instance, f"_import_{key}", found)
            if missing:
                errors.setdefault(COLUMNS[key], []).extend(missing)
        seen_at = self._seen.get((instance.edition_id, instance.slug))
        if seen_at is not None:
            errors.setdefault(COLUMNS["slug"], []).append(
                _("Kortnamnet ”%(slug)s” finns redan på rad %(row)s i filen.") % {"slug": instance.slug, "row": seen_at}
            )
        elif instance.slug:
            self._seen[(instance.edition_id, instance.slug)] = kwargs.get("row_number", 0) + 1
        if errors:
            raise ValidationError(errors)

    def _import_registration(self, instance, row, errors):
        """Registration deadline (Swedish time), capacity and contact person; absent columns keep the stored."""
        if has(row, "registration_deadline"):
            value = row.get(COLUMNS["registration_deadline"])
            raw = text(row, "registration_deadline")
            if isinstance(value, datetime.datetime):
                instance.registration_deadline = timezone.make_aware(value.replace(tzinfo=None, second=0))
            elif not raw:
                instance.registration_deadline = None
            elif moment := parse_deadline(raw):
                instance.registration_deadline = timezone.make_aware(moment)
            else:
                errors.setdefault(COLUMNS["registration_deadline"], []).append(
                    _("”%(value)s” är ingen tidpunkt. Skriv till exempel 2026-11-01 23:59.") % {"value": raw}
                )
        if has(row, "capacity"):
            raw = text(row, "capacity").replace(" ", "")
            if not raw:
                instance.capacity = None
            elif raw.isdigit():
                instance.capacity = int(raw)
            else:
                errors.setdefault(COLUMNS["capacity"], []).append(
                    _("”%(value)s” är inget antal. Skriv ett heltal, till exempel 40, eller lämna tomt.")
                    % {"value": text(row, "capacity")}
                )
        if has(row, "contact"):
            raw = text(row, "contact")
            instance.contact = None
            if raw:
                contact, problem = find_contact(raw)
                instance.contact = contact
                if problem:
                    errors.setdefault(COLUMNS["contact"], []).append(problem)

    def _import_times(self, instance, row, attempt):
        """Date, start and end; an absent column keeps the stored value (in Swedish time)."""
        start = timezone.localtime(instance.start) if instance.start else None
        end = timezone.localtime(instance.end) if instance.end else None
        day = attempt("date", lambda: parse_date(row)) if has(row, "date") else start and start.date()
        start_time = attempt("start", lambda: parse_time(row, "start")) if has(row, "start") else start and start.time()
        end_time = attempt("end", lambda: parse_time(row, "end")) if has(row, "end") else end and end.time()
        if day and start_time and end_time:
            instance.start = timezone.make_aware(datetime.datetime.combine(day, start_time.replace(tzinfo=None)))
            instance.end = timezone.make_aware(datetime.datetime.combine(day, end_time.replace(tzinfo=None)))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if not errors:
            try:
                instance.full_clean(
                    exclude=["end", "slug", "edition", "start"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    errors.setdefault(COLUMNS.get(field, field), []).extend(messages)
            for field, message in session_problems(instance).items():
                column = {"start": COLUMNS["date"], "cancellation_note": COLUMNS["status"]}.get(
                    field, COLUMNS.get(field, field)
                )
                errors.setdefault(column, []).append(message)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        save_session(session=instance)

    def save_m2m(self, instance, row, **kwargs):
        if self._is_dry_run(kwargs) and not self._is_using_transactions(kwargs):
            return
        for key in ("themes", "audiences", "organisers"):
            if hasattr(instance, f"_import_{key}"):  # absent columns leave the stored ones
                getattr(instance, key).set(getattr(instance, f"_import_{key}"))
