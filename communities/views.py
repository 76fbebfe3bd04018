"""Pages for logging communities and needs assessments, and the public community side.

Staff pages reach their objects through the access functions in permissions.py
(404 for anyone not working with the community); writes call services.py. The
public page starts from ``Partnership.objects.public()`` and shows validated
assessments only, with participant counts protected by ``communities.disclosure``.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from openpyxl import load_workbook

from communities import columns, services
from communities.dimensions import DIMENSIONS
from communities.disclosure import threshold_for
from communities.forms import (
    AssessmentForm,
    AssetForm,
    CommunityForm,
    ImportForm,
    NeedForm,
    NeedRowForm,
    ParticipantRowForm,
    ParticipantsForm,
    RepresentativeForm,
    ValidationForm,
)
from communities.models import (
    AffectedGroup,
    AssessmentStatus,
    Community,
    Need,
    NeedsAssessment,
)
from communities.permissions import (
    get_assessment_for_user,
    get_asset_for_user,
    get_community_for_user,
    get_need_for_user,
)
from communities.selectors import public_communities
from harambee.forms import add_service_errors
from harambee.generic import FormPageView, OrganisationNeeded, TranslationView
from harambee.i18n import translated_fields
from harambee.tabular import (
    XLSX_CONTENT_TYPE,
    RowError,
    TableError,
    check_headers,
    csv_response,
    escape_cell,
    read_table,
    validate_rows,
    write_xlsx,
    xlsx_response,
)
from partnerships.access import organisations_of
from partnerships.models import Partnership, Sector
from partnerships.permissions import get_partnership_for_user


class CommunityFormPageView(FormPageView):
    template_name = "communities/form.html"


# --- communities -----------------------------------------------------------------------------


class CommunityListView(LoginRequiredMixin, View):
    def get(self, request):
        communities = Community.objects.visible_to(request.user).for_list()
        can_create = request.user.has_perm("communities.create_community")
        context = {"communities": communities, "can_create": can_create}
        return render(request, "communities/community_list.html", context)


class CommunityCreateView(CommunityFormPageView):
    title = gettext_lazy("Add a community")

    def get_parent(self):
        if not self.request.user.has_perm("communities.create_community"):
            raise OrganisationNeeded
        return None

    def get_form(self, data=None):
        return CommunityForm(data, organisation_choices=organisations_of(self.request.user))

    def save(self, form):
        return services.community_create(by=self.request.user, **form.cleaned_data)


class CommunityUpdateView(CommunityFormPageView):
    title = gettext_lazy("Edit community")

    def get_parent(self):
        return get_community_for_user(self.request.user, self.kwargs["slug"], write=True)

    def get_form(self, data=None):
        return CommunityForm(data, instance=self.parent)

    def save(self, form):
        return services.community_update(community=self.parent, **form.cleaned_data)

    def context(self):
        return {"community": self.parent}


class RepresentativeAddView(CommunityUpdateView):
    title = gettext_lazy("Add a representative")

    def get_form(self, data=None):
        return RepresentativeForm(data)

    def save(self, form):
        services.representative_add(community=self.parent, **form.cleaned_data)
        return self.parent


class CommunityDetailView(LoginRequiredMixin, View):
    def get(self, request, slug):
        community = get_community_for_user(request.user, slug)
        # Needs: latest non-draft assessment first, then the community's own rank (Need.ranked).
        needs = list(Need.objects.filter(assessment__community=community).ranked())
        context = {
            "community": community,
            "organisations": community.organisations.all(),
            "assessments": community.assessments.order_by("-date", "-pk"),
            "needs": needs,
            "groups": _group_totals(needs),
            "assets": community.assets.select_related("assessment"),
            "representatives": community.representatives.all(),
        }
        return render(request, "communities/community_detail.html", context)


def _group_totals(needs) -> list[tuple[str, int]]:
    """How many of these needs affect each group, in the order of the group choices."""
    counter = Counter(group for need in needs for group in need.groups_affected)
    return [(label, counter[key]) for key, label in AffectedGroup.choices if counter[key]]


# --- assessments -----------------------------------------------------------------------------


class AssessmentCreateView(CommunityFormPageView):
    title = gettext_lazy("Start a needs assessment")

    def get_parent(self):
        return get_community_for_user(self.request.user, self.kwargs["slug"], write=True)

    def get_form(self, data=None):
        return AssessmentForm(data, user=self.request.user, community=self.parent)

    def save(self, form):
        return services.assessment_create(
            by=self.request.user, community=self.parent, **form.cleaned_data
        )

    def context(self):
        return {"community": self.parent}


class AssessmentUpdateView(CommunityFormPageView):
    title = gettext_lazy("Edit needs assessment")

    def get_parent(self):
        return get_assessment_for_user(self.request.user, self.kwargs["pk"], write=True)

    def get_form(self, data=None):
        return AssessmentForm(
            data, instance=self.parent, user=self.request.user, community=self.parent.community
        )

    def save(self, form):
        return services.assessment_update(assessment=self.parent, **form.cleaned_data)

    def context(self):
        return {"community": self.parent.community}


# The assessment page's forms share field names (a need and an asset both have a title): each
# gets its own ids, so that labels and the error summary's links find the right box.
NEED_IDS = "id_need_%s"
ASSET_IDS = "id_asset_%s"

# The sections of the assessment page by the id of their heading: every action returns to
# its own, on success (the redirect's anchor) and on error (the summary links to it).
SECTIONS = {
    "participants": gettext_lazy("Who took part"),
    "needs": gettext_lazy("Needs, in the community's order"),
    "assets": gettext_lazy("What the community already has"),
    "import-needs": gettext_lazy("Import needs"),
    "import-participants": gettext_lazy("Import participants"),
    "status": gettext_lazy("Progress"),
}


def error_summary(assessment: NeedsAssessment, section: str, *, form=None, texts=()) -> dict:
    """The context of the error summary at the top of the assessment page: the failing
    form's field errors as links to the fields, other problems as text, and a link to the
    form's section. A validated assessment hides its forms: its problems are all text, and
    the link goes to the status section."""
    texts = list(texts)
    if not assessment.is_editable:
        if form is not None:
            texts += [message for errors in form.errors.values() for message in errors]
        form, section = None, "status"
    return {
        "summary_form": form,
        "summary_messages": list(dict.fromkeys(texts)),
        "summary_section": section,
        "summary_section_label": SECTIONS[section],
    }


def done(request, assessment: NeedsAssessment, message: str, section: str):
    """Back to the section the action came from; its message is shown there too, since the
    page's messages at the top are off-screen once the browser jumps to the section."""
    messages.success(request, message, extra_tags=f"section-{section}")
    return redirect(f"{assessment.get_absolute_url()}#{section}")


def render_assessment(request, assessment: NeedsAssessment, *, status: int = 200, **overrides):
    """The assessment page with its forms; ``overrides`` replace forms bound to bad input
    and carry the ``error_summary``."""
    needs = list(assessment.needs.select_related("sector").order_by("priority_rank", "pk"))
    counts = {(c.dimension, c.category): c.count for c in assessment.participant_counts.all()}
    linked = assessment.partnership
    visible = Partnership.objects.visible_to(request.user)
    context = {
        "assessment": assessment,
        "community": assessment.community,
        # Another organisation may have linked a partnership this user may not see.
        "partnership": linked if linked and visible.filter(pk=linked.pk).exists() else None,
        "needs": needs,
        "participants": _participant_rows(counts),
        "assets": assessment.assets.all(),
        "participants_form": ParticipantsForm(assessment=assessment, counts=counts),
        "need_form": NeedForm(auto_id=NEED_IDS),
        "asset_form": AssetForm(auto_id=ASSET_IDS),
        "needs_import_form": ImportForm(prefix="needs"),
        "participants_import_form": ImportForm(prefix="participants"),
        "participant_codes": columns.participant_codes(),
        "import_errors": [],
        "import_kind": "",
        **overrides,
    }
    return render(request, "communities/assessment_detail.html", context, status=status)


def _participant_rows(counts: dict[tuple[str, str], int]) -> list[tuple[str, list]]:
    """Staff view of the raw counts: (dimension label, [(category label, count or None)])."""
    return [
        (d.label, [(label, counts.get((d.key, key))) for key, label in d.categories])
        for d in DIMENSIONS.values()
    ]


class AssessmentDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return render_assessment(request, get_assessment_for_user(request.user, pk))


class AssessmentActionView(LoginRequiredMixin, View):
    """A POST from the assessment page: on bad input the page is shown again (400), with
    the error summary at the top; on success, back to the form's ``section``."""

    form_key = ""
    section = ""

    def get_form(self, assessment: NeedsAssessment):
        raise NotImplementedError

    def save(self, assessment: NeedsAssessment, form) -> str:
        """Call the service; return the success message."""
        raise NotImplementedError

    def post(self, request, pk):
        assessment = get_assessment_for_user(request.user, pk, write=True)
        form = self.get_form(assessment)
        if form.is_valid():
            try:
                message = self.save(assessment, form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return done(request, assessment, message, self.section)
        summary = error_summary(assessment, self.section, form=form)
        return render_assessment(
            request, assessment, status=400, **{self.form_key: form}, **summary
        )


class ParticipantsSetView(AssessmentActionView):
    form_key = "participants_form"
    section = "participants"

    def get_form(self, assessment):
        return ParticipantsForm(self.request.POST, assessment=assessment)

    def save(self, assessment, form):
        services.assessment_set_participants(
            assessment=assessment, total=form.cleaned_data["total"], counts=form.counts()
        )
        return _("Participants saved.")


class NeedAddView(AssessmentActionView):
    form_key = "need_form"
    section = "needs"

    def get_form(self, assessment):
        return NeedForm(self.request.POST, auto_id=NEED_IDS)

    def save(self, assessment, form):
        services.need_add(assessment=assessment, **form.cleaned_data)
        return _("Need added.")


class AssetAddView(AssessmentActionView):
    form_key = "asset_form"
    section = "assets"

    def get_form(self, assessment):
        return AssetForm(self.request.POST, auto_id=ASSET_IDS)

    def save(self, assessment, form):
        services.asset_add(
            community=assessment.community, assessment=assessment, **form.cleaned_data
        )
        return _("Asset added.")


class AssessmentSubmitView(LoginRequiredMixin, View):
    """Draft -> submitted: one button, no form fields."""

    def post(self, request, pk):
        assessment = get_assessment_for_user(request.user, pk, write=True)
        try:
            services.assessment_submit(assessment=assessment)
        except ValidationError as error:
            summary = error_summary(assessment, "status", texts=error.messages)
            return render_assessment(request, assessment, status=400, **summary)
        return done(request, assessment, _("Assessment submitted."), "status")


class AssessmentValidateView(LoginRequiredMixin, View):
    """Validating publishes the assessment and makes it read-only for good, so it has a page
    of its own: GET shows what will be published and asks how and when the community
    confirmed it; POST records that and validates."""

    def get(self, request, pk):
        assessment = get_assessment_for_user(request.user, pk, write=True)
        if assessment.status != AssessmentStatus.SUBMITTED:
            messages.info(
                request,
                _("Only a submitted assessment can be marked as validated with the community."),
            )
            return redirect(assessment.get_absolute_url() + "#status")
        return self.render(assessment, ValidationForm())

    def post(self, request, pk):
        assessment = get_assessment_for_user(request.user, pk, write=True)
        form = ValidationForm(request.POST)
        if form.is_valid():
            try:
                services.assessment_validate(assessment=assessment, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                message = _("Assessment marked as validated with the community.")
                return done(request, assessment, message, "status")
        return self.render(assessment, form, status=400)

    def render(self, assessment: NeedsAssessment, form, *, status: int = 200):
        linked = assessment.partnership
        visible = Partnership.objects.visible_to(self.request.user)
        shown = linked if linked and visible.filter(pk=linked.pk).exists() else None
        context = {
            "assessment": assessment,
            "community": assessment.community,
            "partnership": shown,
            "published": bool(shown and shown.is_public),
            # With "assessment": deferring the foreign key costs a query per need.
            "needs": assessment.needs.order_by("priority_rank", "pk").only(
                "assessment", *translated_fields("title"), "source_language"
            ),
            "asset_count": assessment.assets.count(),
            "form": form,
        }
        return render(self.request, "communities/assessment_validate.html", context, status=status)


# --- imports and exports ---------------------------------------------------------------------


@dataclass(frozen=True)
class ImportSpec:
    form_key: str
    prefix: str
    required: list[str]
    optional: list[str]
    row_form: type
    success: Callable[[int], str]


IMPORTS = {
    "needs": ImportSpec(
        "needs_import_form",
        "needs",
        columns.NEED_REQUIRED_COLUMNS,
        columns.NEED_OPTIONAL_COLUMNS,
        NeedRowForm,
        lambda count: ngettext("Imported %(count)s need.", "Imported %(count)s needs.", count)
        % {"count": count},
    ),
    "participants": ImportSpec(
        "participants_import_form",
        "participants",
        columns.PARTICIPANT_COLUMNS,
        [],
        ParticipantRowForm,
        lambda count: ngettext(
            "Imported %(count)s participant count.", "Imported %(count)s participant counts.", count
        )
        % {"count": count},
    ),
}


def read_import(spec: ImportSpec, upload) -> tuple[list[dict], list[RowError]]:
    """Read, check and validate every row of an upload; nothing is saved here."""
    try:
        table = read_table(upload)
    except TableError as error:
        return [], [RowError(0, "", str(error))]
    errors = check_headers(table, required=spec.required, optional=spec.optional)
    if errors:
        return [], errors
    kwargs = {}
    if spec.row_form is NeedRowForm:
        kwargs["sector_codes"] = frozenset(Sector.objects.values_list("code", flat=True))
    return validate_rows(table, spec.row_form, form_kwargs=kwargs)


class ImportView(LoginRequiredMixin, View):
    kind = ""

    def post(self, request, pk):
        assessment = get_assessment_for_user(request.user, pk, write=True)
        spec = IMPORTS[self.kind]
        section = f"import-{self.kind}"
        form = ImportForm(request.POST, request.FILES, prefix=spec.prefix)
        if not form.is_valid():
            summary = error_summary(assessment, section, form=form)
            return render_assessment(
                request, assessment, status=400, **{spec.form_key: form}, **summary
            )
        rows, errors = read_import(spec, form.cleaned_data["file"])
        if not errors:
            try:
                count = self.save(assessment, rows)
            except ValidationError as error:
                errors = [RowError(0, "", message) for message in error.messages]
        if errors:
            texts = [_("Nothing was imported. Fix these problems and upload the file again.")]
            if not assessment.is_editable:
                texts = [error.message for error in errors]
            context = {spec.form_key: form, "import_errors": errors, "import_kind": self.kind}
            summary = error_summary(assessment, section, texts=texts)
            return render_assessment(request, assessment, status=400, **context, **summary)
        return done(request, assessment, spec.success(count), section)


class NeedsImportView(ImportView):
    kind = "needs"

    def save(self, assessment, rows) -> int:
        return services.needs_import(assessment=assessment, rows=rows)


class ParticipantsImportView(ImportView):
    kind = "participants"

    def save(self, assessment, rows) -> int:
        services.participants_import(assessment=assessment, rows=rows)
        return sum(1 for row in rows if (row["dimension"], row["category"]) != ("total", "total"))


TEMPLATES = {
    "needs": (columns.NEED_COLUMNS, [columns.NEED_EXAMPLE]),
    "participants": (
        columns.PARTICIPANT_COLUMNS,
        [columns.PARTICIPANT_EXAMPLE, columns.PARTICIPANT_TOTAL_ROW],
    ),
}


def import_template(request, kind: str, fmt: str):
    """An empty import file: the column names and example rows. The Excel file for
    participants lists the valid codes on a second sheet, which imports do not read."""
    if kind not in TEMPLATES or fmt not in ("csv", "xlsx"):
        raise Http404
    headers, rows = TEMPLATES[kind]
    filename = f"harambee-{kind}-template.{fmt}"
    if fmt == "csv":
        return csv_response(filename, headers, rows)
    if kind == "participants":
        return _xlsx_with_codes(filename, headers, rows)
    return xlsx_response(filename, headers, rows)


def _xlsx_with_codes(filename: str, headers, rows) -> HttpResponse:
    buffer = io.BytesIO()
    write_xlsx(buffer, headers, rows)
    workbook = load_workbook(buffer)
    codes = workbook.create_sheet(columns.CODES_SHEET)
    codes.append(["dimension", "category", _("Meaning")])
    for row in columns.participant_codes():
        codes.append([escape_cell(value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return HttpResponse(
        output.getvalue(),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


class NeedsExportView(LoginRequiredMixin, View):
    """The assessment's needs as CSV, in the import format (formula cells are escaped)."""

    def get(self, request, pk):
        assessment = get_assessment_for_user(request.user, pk)
        needs = assessment.needs.order_by("priority_rank", "pk")
        rows = (columns.need_to_row(need) for need in needs)
        filename = f"needs-assessment-{assessment.pk}.csv"
        return csv_response(filename, columns.NEED_COLUMNS, rows)


# --- needs -----------------------------------------------------------------------------------


class NeedDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        need = get_need_for_user(request.user, pk)
        outcomes = need.addressing_outcomes()
        context = {"need": need, "assessment": need.assessment, "outcomes": outcomes}
        return render(request, "communities/need_detail.html", context)


class NeedUpdateView(CommunityFormPageView):
    title = gettext_lazy("Edit need")

    def get_parent(self):
        return get_need_for_user(self.request.user, self.kwargs["pk"], write=True)

    def get_form(self, data=None):
        form = NeedForm(data, instance=self.parent)
        if not self.parent.assessment.is_editable:
            # After validation only the status follows what happens next.
            for name in list(form.fields):
                if name != "status":
                    del form.fields[name]
        return form

    def save(self, form):
        return services.need_update(need=self.parent, **form.cleaned_data)

    def context(self):
        return {"community": self.parent.assessment.community}


class NeedMoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        need = get_need_for_user(request.user, pk, write=True)
        try:
            services.need_move(need=need, direction=request.POST.get("direction", ""))
        except ValidationError as error:
            summary = error_summary(need.assessment, "needs", texts=error.messages)
            return render_assessment(request, need.assessment, status=400, **summary)
        return redirect(need.assessment.get_absolute_url() + "#needs")


# --- the public side -------------------------------------------------------------------------


class PartnershipCommunityView(View):
    """The published community side of a partnership, for whoever may see the partnership:
    everyone for a public one, partners and grant holders for the others."""

    def get(self, request, slug):
        partnership = get_partnership_for_user(request.user, slug)
        context = {
            "partnership": partnership,
            "communities": public_communities(partnership),
            "threshold": threshold_for(""),
            "sensitive_threshold": threshold_for("disability"),
        }
        return render(request, "communities/partnership_public.html", context)


# --- translations ----------------------------------------------------------------------------


class CommunityTranslationView(TranslationView):
    url_name = "communities:translations"

    def get_record(self):
        return get_community_for_user(self.request.user, self.kwargs["slug"], write=True)

    def url_args(self, record):
        return [record.slug]

    def get_edit_url(self, record):
        return reverse("communities:edit", args=[record.slug])


class AssessmentTranslationView(TranslationView):
    url_name = "communities:assessment_translations"

    def get_record(self):
        return get_assessment_for_user(self.request.user, self.kwargs["pk"], write=True)

    def url_args(self, record):
        return [record.pk]

    def get_edit_url(self, record):
        return reverse("communities:assessment_edit", args=[record.pk])


class NeedTranslationView(TranslationView):
    url_name = "communities:need_translations"

    def get_record(self):
        return get_need_for_user(self.request.user, self.kwargs["pk"], write=True)

    def url_args(self, record):
        return [record.pk]

    def get_edit_url(self, record):
        return reverse("communities:need_edit", args=[record.pk])


class AssetTranslationView(TranslationView):
    """An asset has no page of its own: it is shown, and its original added, on its
    assessment's page (or its community's)."""

    url_name = "communities:asset_translations"

    def get_record(self):
        return get_asset_for_user(self.request.user, self.kwargs["pk"], write=True)

    def url_args(self, record):
        return [record.pk]

    def get_back_url(self, record):
        return (record.assessment or record.community).get_absolute_url()

    def get_edit_url(self, record):
        return self.get_back_url(record)
