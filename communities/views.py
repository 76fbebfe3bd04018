"""Pages for logging communities and needs assessments, and the public community side.

Staff pages reach their objects through the access functions in permissions.py
(404 for anyone not working with the community); writes call services.py. The
public page starts from ``Partnership.objects.public()`` and shows validated
assessments only, with participant counts protected by ``communities.disclosure``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

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
)
from communities.models import (
    AffectedGroup,
    Community,
    Need,
    NeedsAssessment,
)
from communities.permissions import (
    get_assessment_for_user,
    get_community_for_user,
    get_need_for_user,
)
from communities.selectors import public_communities
from harambee.generic import FormPageView, OrganisationNeeded
from harambee.tabular import (
    RowError,
    TableError,
    check_headers,
    csv_response,
    read_table,
    validate_rows,
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


def render_assessment(request, assessment: NeedsAssessment, *, status: int = 200, **overrides):
    """The assessment page with its forms; ``overrides`` replace forms bound to bad input."""
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
        "need_form": NeedForm(),
        "asset_form": AssetForm(),
        "needs_import_form": ImportForm(prefix="needs"),
        "participants_import_form": ImportForm(prefix="participants"),
        "import_errors": [],
        "action_errors": [],
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
    """A POST from the assessment page: on bad input the page is shown again (400)."""

    form_key = ""
    anchor = ""

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
                if not assessment.is_editable:
                    # The forms are hidden on a read-only page: say why at the top.
                    return render_assessment(
                        request, assessment, status=400, action_errors=error.messages
                    )
                form.add_error(None, error.messages)
            else:
                messages.success(request, message)
                return redirect(assessment.get_absolute_url() + self.anchor)
        return render_assessment(request, assessment, status=400, **{self.form_key: form})


class ParticipantsSetView(AssessmentActionView):
    form_key = "participants_form"
    anchor = "#participants"

    def get_form(self, assessment):
        return ParticipantsForm(self.request.POST, assessment=assessment)

    def save(self, assessment, form):
        services.assessment_set_participants(
            assessment=assessment, total=form.cleaned_data["total"], counts=form.counts()
        )
        return _("Participants saved.")


class NeedAddView(AssessmentActionView):
    form_key = "need_form"
    anchor = "#needs"

    def get_form(self, assessment):
        return NeedForm(self.request.POST)

    def save(self, assessment, form):
        services.need_add(assessment=assessment, **form.cleaned_data)
        return _("Need added.")


class AssetAddView(AssessmentActionView):
    form_key = "asset_form"
    anchor = "#assets"

    def get_form(self, assessment):
        return AssetForm(self.request.POST)

    def save(self, assessment, form):
        services.asset_add(
            community=assessment.community, assessment=assessment, **form.cleaned_data
        )
        return _("Asset added.")


class AssessmentTransitionView(LoginRequiredMixin, View):
    """Submit, or mark validated: one button each, no form fields."""

    service = None
    message = ""

    def post(self, request, pk):
        assessment = get_assessment_for_user(request.user, pk, write=True)
        try:
            type(self).service(assessment=assessment)
        except ValidationError as error:
            return render_assessment(request, assessment, status=400, action_errors=error.messages)
        messages.success(request, self.message)
        return redirect(assessment.get_absolute_url())


class AssessmentSubmitView(AssessmentTransitionView):
    service = services.assessment_submit
    message = gettext_lazy("Assessment submitted.")


class AssessmentValidateView(AssessmentTransitionView):
    service = services.assessment_validate
    message = gettext_lazy("Assessment marked as validated with the community.")


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
        form = ImportForm(request.POST, request.FILES, prefix=spec.prefix)
        if not form.is_valid():
            return render_assessment(request, assessment, status=400, **{spec.form_key: form})
        rows, errors = read_import(spec, form.cleaned_data["file"])
        if not errors:
            try:
                count = self.save(assessment, rows)
            except ValidationError as error:
                errors = [RowError(0, "", message) for message in error.messages]
        if errors:
            context = {spec.form_key: form, "import_errors": errors}
            if not assessment.is_editable:
                context["action_errors"] = [error.message for error in errors]
            return render_assessment(request, assessment, status=400, **context)
        messages.success(request, spec.success(count))
        return redirect(assessment.get_absolute_url())


class NeedsImportView(ImportView):
    kind = "needs"

    def save(self, assessment, rows) -> int:
        return services.needs_import(assessment=assessment, rows=rows)


class ParticipantsImportView(ImportView):
    kind = "participants"

    def save(self, assessment, rows) -> int:
        services.participants_import(assessment=assessment, rows=rows)
        return len(rows)


TEMPLATES = {
    "needs": (columns.NEED_COLUMNS, [columns.NEED_EXAMPLE]),
    "participants": (
        columns.PARTICIPANT_COLUMNS,
        [columns.PARTICIPANT_EXAMPLE, columns.PARTICIPANT_TOTAL_ROW],
    ),
}


def import_template(request, kind: str, fmt: str):
    """An empty import file: the column names and one example row."""
    if kind not in TEMPLATES or fmt not in ("csv", "xlsx"):
        raise Http404
    headers, rows = TEMPLATES[kind]
    response = csv_response if fmt == "csv" else xlsx_response
    return response(f"harambee-{kind}-template.{fmt}", headers, rows)


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
            return render_assessment(
                request, need.assessment, status=400, action_errors=error.messages
            )
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
