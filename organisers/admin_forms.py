"""The organisation form in the admin: a logo must be a small, real PNG, JPEG, WebP or GIF image, with alt text."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image

from .models import Organisation

MAX_LOGO_BYTES = 2 * 1024 * 1024
MIN_LOGO_PIXELS = 32
MAX_LOGO_PIXELS = 4000
LOGO_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP", "GIF": "GIF"}
LOGO_EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}


def validate_logo(upload):
    """Check an uploaded logo with Pillow: size in bytes, real format (not the file name) and pixel dimensions."""
    if upload.size > MAX_LOGO_BYTES:
        raise forms.ValidationError(
            _("Filen är %(size)s MB. En logotyp får vara högst 2 MB; spara den mindre och försök igen."),
            code="too_large",
            params={"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")},
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except Image.DecompressionBombError as error:
        raise forms.ValidationError(
            _("Bilden har för många bildpunkter. Använd en logotyp på högst 4000 × 4000 bildpunkter."), code="bomb"
        ) from error
    except Exception as error:
        raise forms.ValidationError(
            _("Filen går inte att läsa som en bild. Ladda upp en PNG, JPEG, WebP eller GIF."), code="unreadable"
        ) from error
    finally:
        upload.seek(0)
    if image_format not in LOGO_FORMATS:
        raise forms.ValidationError(
            _("Bilden är i formatet %(format)s. Ladda upp en PNG, JPEG, WebP eller GIF."),
            code="format",
            params={"format": image_format or _("okänt")},
        )
    if width > MAX_LOGO_PIXELS or height > MAX_LOGO_PIXELS:
        raise forms.ValidationError(
            _("Bilden är %(width)d × %(height)d bildpunkter. En logotyp får vara högst 4000 × 4000."),
            code="too_wide",
            params={"width": width, "height": height},
        )
    if width < MIN_LOGO_PIXELS or height < MIN_LOGO_PIXELS:
        raise forms.ValidationError(
            _("Bilden är bara %(width)d × %(height)d bildpunkter. Använd minst 32 × 32 så att logotypen blir skarp."),
            code="too_small",
            params={"width": width, "height": height},
        )
    return image_format


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = "__all__"  # noqa: DJ007 -- unused: the ModelAdmin's fieldsets choose the fields
        help_texts = {
            "logo": _(
                "PNG, JPEG, WebP eller GIF, högst 2 MB och 4000 × 4000 bildpunkter. Utan logotyp visas initialerna."
            ),
            "logo_alt": _("Vad logotypen föreställer, oftast bara aktörens namn. Krävs när det finns en logotyp."),
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            image_format = validate_logo(logo)
            # Name the file after what it is, not what it was called, so it is served with the right type.
            stem = slugify(logo.name.rsplit(".", 1)[0])[:60] or "logotyp"
            logo.name = f"{stem}.{LOGO_EXTENSIONS[image_format]}"
        return logo

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("logo") and not (cleaned.get("logo_alt") or "").strip():
            self.add_error("logo_alt", _("Skriv en alternativtext för logotypen, till exempel aktörens namn."))
        return cleaned
