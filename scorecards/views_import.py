"""Importing readings from a spreadsheet (CSV or XLSX), and its template.

For the people inside a partnership who report at least one of its indicators (the
lead's staff, the reporting partners' staff): anyone else inside gets 403, anyone
outside 404. The file is read with ``harambee.tabular``, its column names checked
(unknown and missing ones named), every row read by ``import_columns.ReadingRowForm``,
then ``services.readings_import`` applies the reading rules to all of them: if any row
fails, nothing is imported and the page lists each problem with its row and column.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from communities.forms import ImportForm
from harambee.tabular import (
    RowError,
    TableError,
    check_headers,
    csv_response,
    read_table,
    validate_rows,
    xlsx_response,
)
from partnerships.models import Partnership
from scorecards import import_columns as columns
from scorecards.models import Indicator
from scorecards.permissions import get_scorecard_partnership_for_user, is_inside
from scorecards.services.imports import ImportRefused, readings_import, reportable_indicators


def partnership_for_import(user, slug: str) -> tuple[Partnership, list[Indicator]]:
    """The partnership and the indicators the user reports in it: 404 when hidden or
    for people outside it, 403 for those inside who report none (funders, grant holders)."""
    partnership = get_scorecard_partnership_for_user(user, slug)
    if not is_inside(user, partnership.pk):
        raise Http404
    indicators = list(
        reportable_indicators(user, partnership)
        .select_related("outcome")
        .order_by("outcome__order", "outcome_id", "order", "pk")
    )
    if not indicators:
        raise PermissionDenied
    return partnership, indicators


def read_readings(upload) -> tuple[list[dict], list[RowError]]:
    """Read and check every row of an upload; nothing is saved here."""
    try:
        table = read_table(upload)
    except TableError as error:
        return [], [RowError(0, "", str(error))]
    groups = set(columns.group_columns())
    optional = [*columns.OPTIONAL_COLUMNS, *(name for name in table.headers if name in groups)]
    errors = check_headers(table, required=columns.REQUIRED_COLUMNS, optional=optional)
    if errors:
        if any(error.column not in columns.REQUIRED_COLUMNS for error in errors):
            errors.append(RowError(1, "", columns.group_columns_help()))
        return [], errors
    cleaned, errors = validate_rows(
        table, columns.ReadingRowForm, form_kwargs={"columns": table.headers}
    )
    if errors:
        return [], errors
    # Every row passed the form, so the cleaned rows are the table's rows in order.
    return [
        {"row": number, **columns.reading_fields_from_row(row)}
        for (number, _cells), row in zip(table.rows, cleaned, strict=True)
    ], []


def _dimensions(indicators: list[Indicator]) -> list[str]:
    return list(dict.fromkeys(d for indicator in indicators for d in indicator.dimensions))


class ReadingsImportView(LoginRequiredMixin, View):
    template_name = "scorecards/lessons/readings_import.html"

    def get(self, request, slug):
        partnership, indicators = partnership_for_import(request.user, slug)
        return self.render(partnership, indicators, ImportForm())

    def post(self, request, slug):
        partnership, indicators = partnership_for_import(request.user, slug)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(partnership, indicators, form, status=400)
        rows, errors = read_readings(form.cleaned_data["file"])
        if not errors:
            try:
                count = readings_import(partnership=partnership, by=request.user, rows=rows)
            except ImportRefused as refused:
                errors = refused.row_errors
        if errors:
            return self.render(partnership, indicators, form, errors=errors, status=400)
        messages.success(
            request,
            ngettext("Imported %(count)s reading.", "Imported %(count)s readings.", count)
            % {"count": count},
        )
        return redirect(reverse("scorecards:manage", args=[partnership.slug]))

    def render(self, partnership, indicators, form, *, errors=(), status=200):
        context = {
            "partnership": partnership,
            "indicators": indicators,
            "form": form,
            "import_errors": errors,
            "group_columns": columns.group_columns(_dimensions(indicators)),
            "columns": columns.READING_COLUMNS,
            "title": _("Import readings"),
        }
        return render(self.request, self.template_name, context, status=status)


class ReadingsTemplateView(LoginRequiredMixin, View):
    """An empty import file for this partnership: every column its indicators use, and
    one row per indicator the user reports, with its number filled in."""

    def get(self, request, slug, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        partnership, indicators = partnership_for_import(request.user, slug)
        headers = [*columns.READING_COLUMNS, *columns.group_columns(_dimensions(indicators))]
        rows = [[indicator.pk, *[""] * (len(headers) - 1)] for indicator in indicators]
        filename = f"harambee-readings-{partnership.slug}.{fmt}"
        respond = csv_response if fmt == "csv" else xlsx_response
        return respond(filename, headers, rows)
