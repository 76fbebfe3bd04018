"""Admin helpers shared by every app: read-only admins for the rows services guard, and
repair actions that call those services.

The admin is where superusers look things up. It writes nothing that a service guards:
a model form checks one row's fields, not what the services check across rows (a
participant count against its assessment's total, one lead partner, an administrator
left in every organisation, a validated assessment that no longer changes). Repairs are
admin actions that call the service, so they keep its checks and land in the history
with the acting admin (``HistoryRequestMiddleware``) and, where asked, a reason.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from harambee.transitions import CHANGE_REASON_MAX_LENGTH

# django-simple-history keeps the change reason in a 100-character column.
REASON_MAX_LENGTH = CHANGE_REASON_MAX_LENGTH
# Sent by the reason page only, so the first post from the change list shows the page.
APPLY_FIELD = "apply_with_reason"


class ReadOnlyMixin:
    """No add, change or delete; viewing stays. For model admins and inlines alike."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """A model admin for rows only services write: list, search and detail, nothing else.

    Without the delete permission Django also drops the "delete selected" action. Repair
    actions declare ``permissions=["repair"]``.
    """

    def has_repair_permission(self, request: HttpRequest) -> bool:
        """Who may run repair actions: holders of the model's change permission (superusers
        among them), although the change form itself stays closed."""
        codename = get_permission_codename("change", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")


class ReadOnlyHistoryAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """``ReadOnlyAdmin`` with the change history viewable and its "revert" closed."""

    def has_change_history_permission(self, request, obj=None) -> bool:
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history saves a POST to this page (a revert) after checking only
        # the view permission, which would write past the services.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def run_service(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    obj: Model,
    call: Callable[[], object],
    *,
    done: str,
) -> bool:
    """Run one service call for ``obj`` in its own transaction and report the outcome.

    A ``ValidationError`` rolls back that call only and is shown with ``obj``'s name;
    otherwise ``done`` is shown. Returns whether the call succeeded.
    """
    try:
        with transaction.atomic():
            call()
    except ValidationError as error:
        problem = _("“%(object)s”: %(problem)s") % {
            "object": obj,
            "problem": " ".join(error.messages),
        }
        modeladmin.message_user(request, problem, level=messages.ERROR)
        return False
    modeladmin.message_user(request, done, level=messages.SUCCESS)
    return True


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("Kept in the change history, with your name."),
        error_messages={
            "required": gettext_lazy("Give a reason: it is kept in the change history.")
        },
    )


def with_reason(*, title: str) -> Callable:
    """Make an admin action ask for a reason on an intermediate page before it runs.

    The decorated action is called as ``action(modeladmin, request, queryset, reason)``
    once the page is sent back with a reason; an empty one is refused with a message and
    the page is shown again. The selected rows are carried through the page as ids.
    """

    def decorate(action: Callable) -> Callable:
        @functools.wraps(action)
        def ask_then_run(
            modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
        ) -> HttpResponse | None:
            form = ReasonForm(request.POST if APPLY_FIELD in request.POST else None)
            if form.is_valid():
                return action(modeladmin, request, queryset, form.cleaned_data["reason"])
            if form.is_bound:
                for error in form.errors.get("reason", []):
                    modeladmin.message_user(request, error, level=messages.ERROR)
            page = {"form": form, "title": title, "action": action.__name__}
            return _reason_page(modeladmin, request, queryset, page)

        return ask_then_run

    return decorate


def _reason_page(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    page: dict,
) -> TemplateResponse:
    opts = modeladmin.opts
    context = {
        **modeladmin.admin_site.each_context(request),
        **page,
        "opts": opts,
        "objects": list(queryset),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "apply_field": APPLY_FIELD,
        "changelist_url": reverse(
            f"admin:{opts.app_label}_{opts.model_name}_changelist",
            current_app=modeladmin.admin_site.name,
        ),
    }
    return TemplateResponse(request, "admin/harambee/action_reason.html", context)
