"""View code every app shares."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from harambee.forms import add_service_errors


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
                messages.success(request, _("Saved."))
                return redirect(self.get_success_url(result))
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {"form": form, "title": self.title, **self.context()}
        return render(self.request, self.template_name, context, status=status)
