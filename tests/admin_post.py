"""The data a browser posts back from an admin form shown unchanged, so a test can change one value and submit."""

from django import forms


def posted(response, **changes):
    form = response.context["adminform"].form
    data = {}
    for bound in form:
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, forms.MultiWidget):  # the admin's split date and time
            if isinstance(value, list):  # a bound form shown again holds what was posted; an empty box posts ""
                data[f"{bound.html_name}_0"], data[f"{bound.html_name}_1"] = ("" if v is None else v for v in value)
                continue
            day, time = widget.decompress(value) if value else (None, None)
            data[f"{bound.html_name}_0"] = f"{day:%Y-%m-%d}" if day else ""
            data[f"{bound.html_name}_1"] = f"{time:%H:%M}" if time else ""
        elif isinstance(bound.field, forms.ModelMultipleChoiceField):
            offered = {str(pk) for pk in bound.field.queryset.values_list("pk", flat=True)}
            data[bound.html_name] = [str(v) for v in (value or []) if str(v) in offered]
        elif isinstance(bound.field, forms.ModelChoiceField):
            # A select holds only the options offered: a stored value outside them is not sent back.
            offered = value not in (None, "") and bound.field.queryset.filter(pk=value).exists()
            data[bound.html_name] = str(value) if offered else ""
        elif isinstance(bound.field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
        elif value is not None:
            data[bound.html_name] = str(value)
    for key in [key for key in data if key.rsplit("_", 1)[0] in changes and key[-2:] in ("_0", "_1")]:
        del data[key]
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
