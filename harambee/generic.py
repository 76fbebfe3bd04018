"""View code every app shares."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from django.views import View

from harambee.content import Text, in_reader_language, original_language, translated_field_names
from harambee.forms import TranslationForm, add_service_errors
from harambee.i18n import language_codes
from harambee.translations import translation_save, translation_status


class OrganisationNeeded(Exception):
    """Raised by ``get_parent`` when the page needs the user to work for an organisation and
    they work for none yet: they are told how to register or join one, not refused."""


class FormPageView(LoginRequiredMixin, View):
    """A signed-in page with one form: GET shows it, POST validates and calls a service.

    Subclasses say four things: ``get_parent`` finds what the page hangs off (through an
    access function, so a hidden or forbidden object answers 404 or 403 before any form
    is shown) and stores it as ``self.parent``; ``get_form`` builds the form; ``save``
    calls the service; ``get_success_url`` says where to go next (by default the page of
    what ``save`` returned). Bad input answers 400 with the messages and saves nothing.
    """

    template_name = ""
    title = ""

    # False where ``save`` says what happened in a message of its own.
    says_saved = True

    def get_parent(self):
        return None

    def get_form(self, data=None):
        raise NotImplementedError

    def save(self, form):
        raise NotImplementedError

    def get_success_url(self, result) -> str:
        return result.get_absolute_url()

    def context(self) -> dict:
        return {}

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except OrganisationNeeded:
            context = {"title": self.title}
            return render(request, "needs_organisation.html", context, status=403)

    def get(self, request, **kwargs):
        self.parent = self.get_parent()
        return self.render(self.get_form())

    def post(self, request, **kwargs):
        self.parent = self.get_parent()
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                result = self.save(form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if self.says_saved:
                    messages.success(request, _("Saved."))
                return redirect(self.get_success_url(result))
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {"form": form, "title": self.title, **self.context()}
        return render(self.request, self.template_name, context, status=status)


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str  # in the reader's language
    status: str  # harambee.translations.Status
    url: str


class TranslationView(LoginRequiredMixin, View):
    """A record's versions in each language, written by people who may edit it.

    Without ``language`` in the URL: the list of languages, which hold a version and which
    do not, the original marked. With it: that language's form below each field's
    original; POST saves through ``translation_save``. The original's language is refused
    here (it is changed on the record's edit page); an unknown language answers 404.

    Subclasses say: ``get_record`` (through the record's access function with write
    rights, so a hidden record answers 404 and a read-only one 403), ``url_name`` (the
    list's URL name; the form's is ``url_name + "_language"``) with ``url_args``, and
    ``get_edit_url`` (where the original is edited).
    """

    url_name = ""

    def get_record(self):
        raise NotImplementedError

    def url_args(self, record) -> list:
        raise NotImplementedError

    def get_edit_url(self, record) -> str:
        raise NotImplementedError

    def get_back_url(self, record) -> str:
        return record.get_absolute_url()

    def get(self, request, **kwargs):
        record = self.get_record()
        language = self._language()
        if language is None:
            return self.render_list(record)
        return self.render_form(record, language, TranslationForm(record=record, language=language))

    def post(self, request, **kwargs):
        record = self.get_record()
        language = self._language()
        if language is None:
            raise Http404
        form = TranslationForm(request.POST, record=record, language=language)
        if language != original_language(record) and form.is_valid():
            try:
                translation_save(instance=record, language=language, values=form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, _field_errors(error, language))
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse(self.url_name, args=self.url_args(record)))
        return self.render_form(record, language, form, status=400)

    def _language(self) -> str | None:
        language = self.kwargs.get("language")
        if language is not None and language not in language_codes():
            raise Http404
        return language

    def context(self, record) -> dict:
        return {
            "record": record,
            "record_name": record_name(record),
            "back_url": self.get_back_url(record),
            "edit_url": self.get_edit_url(record),
            "list_url": reverse(self.url_name, args=self.url_args(record)),
        }

    def render_list(self, record):
        versions = [
            LanguageVersion(
                code,
                get_language_info(code)["name_translated"],
                translation_status(record, code),
                self.get_edit_url(record)
                if code == original_language(record)
                else reverse(f"{self.url_name}_language", args=[*self.url_args(record), code]),
            )
            for code in language_codes()
        ]
        context = {**self.context(record), "versions": versions}
        return render(self.request, "translations/translation_list.html", context)

    def render_form(self, record, language: str, form, *, status: int = 200):
        source = original_language(record)
        fields = [
            (form[name], in_reader_language(record, name, source))
            for name in translated_field_names(record)
        ]
        context = {
            **self.context(record),
            "form": form,
            "fields": fields,
            "language": language,
            "language_name": get_language_info(language)["name_translated"],
            "is_original": language == source,
            "source_name": get_language_info(source)["name_translated"],
        }
        if language == source and self.request.method == "POST":
            status = 400
        return render(self.request, "translations/translation_form.html", context, status=status)


def record_name(record) -> Text | str:
    """What a record is called: its title in the reader's language, or its name."""
    if "title" in translated_field_names(record):
        return in_reader_language(record, "title", get_language())
    return str(record)


def _field_errors(error: ValidationError, language: str) -> ValidationError:
    """The service's errors on ``title_sw`` are the form's errors on ``title``."""
    if not hasattr(error, "error_dict"):
        return error
    suffix = f"_{language}"
    return ValidationError(
        {name.removesuffix(suffix): errors for name, errors in error.error_dict.items()}
    )
