"""Form pieces every app shares."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst

from harambee.content import column, translated_field_names


class DateInput(forms.DateInput):
    """The browser's own date picker; the value stays an ISO date in every language."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 (Django's own argument name)
        # Without a format Django writes the value in the language's first input format
        # (25/10/2006 in French), which a date field cannot show.
        super().__init__(attrs, format=format or "%Y-%m-%d")


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: by its field when the form has that field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class TranslationForm(forms.Form):
    """One language's version of a record's translated fields, named as the fields are
    (``title``, not ``title_sw``); empty means "no translation"."""

    def __init__(self, data=None, *, record, language: str):
        super().__init__(data)
        model = type(record)
        for name in translated_field_names(model):
            model_field = model._meta.get_field(column(name, language))
            field = model_field.formfield(required=False)
            field.label = capfirst(model._meta.get_field(name).verbose_name)
            field.help_text = ""
            field.initial = getattr(record, column(name, language))
            field.widget.attrs["lang"] = language
            field.widget.attrs["aria-describedby"] = f"id_{name}_original"
            self.fields[name] = field
