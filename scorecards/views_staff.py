"""The staff side of scorecards: what the partners define, report and verify.

Signed-in pages for the people inside a partnership (its partners' staff and grant
holders): anyone else gets 404, as for a hidden partnership, since visitors have the
public scorecard. Inside, the access functions and rules of ``scorecards.permissions``
decide: the lead's staff define outcomes, indicators, baselines and targets; the
indicator's reporting partner (and the lead) report; the lead's staff verify and return,
never the reporter (a funder where the lead's only staff member reported); funders and
grant holders read. A read-only person gets 403 on a write. Every change is a POST
through a service; bad input answers 400 with the messages and saves nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from communities.dimensions import DIMENSIONS
from harambee.forms import add_service_errors
from harambee.generic import FormPageView, TranslationView
from scorecards import selectors, services, status
from scorecards.forms import (
    BaselineForm,
    EvidenceVisibilityForm,
    IndicatorForm,
    OutcomeForm,
    ReadingForm,
    ReturnForm,
    TargetForm,
    TargetRemoveForm,
)
from scorecards.models import Evidence, Indicator, Outcome, Reading, ReadingStatus, Target
from scorecards.permissions import (
    get_evidence_for_user,
    get_indicator_for_user,
    get_outcome_for_user,
    get_reading_for_user,
    get_scorecard_partnership_for_user,
    verification_refusal,
)
from scorecards.services.common import plain

# --- reaching the objects ----------------------------------------------------------------------
#
# First the access function (404 for what the user may not see), then the inside check
# (404 for visitors of a public partnership: this is not their page), then the right to
# change it (403). The order keeps an outsider from telling "exists" from "forbidden".


def _inside(user, partnership) -> None:
    if not user.has_perm("scorecards.read_internal", partnership):
        raise Http404


def _require(user, permission: str, obj) -> None:
    if not user.has_perm(permission, obj):
        raise PermissionDenied


def partnership_for(user, slug: str, *, define: bool = False):
    partnership = get_scorecard_partnership_for_user(user, slug)
    _inside(user, partnership)
    if define:
        _require(user, "scorecards.define", partnership)
    return partnership


def outcome_for(user, pk: int, *, define: bool = False) -> Outcome:
    outcome = get_outcome_for_user(user, pk)
    _inside(user, outcome.partnership)
    if define:
        _require(user, "scorecards.define", outcome.partnership)
    return outcome


def indicator_for(user, pk: int, *, define: bool = False, report: bool = False) -> Indicator:
    indicator = get_indicator_for_user(user, pk)
    _inside(user, indicator.outcome.partnership)
    if define:
        _require(user, "scorecards.define", indicator.outcome.partnership)
    if report:
        _require(user, "scorecards.report", indicator)
    return indicator


def reading_for(user, pk: int, **wanted: bool) -> Reading:
    """``wanted``: edit, verify or correct, as ``get_reading_for_user``."""
    reading = get_reading_for_user(user, pk)
    _inside(user, reading.indicator.outcome.partnership)
    permissions = {
        "edit": "scorecards.edit_reading",
        "verify": "scorecards.verify_reading",
        "correct": "scorecards.correct_reading",
    }
    for name, asked in wanted.items():
        if asked:
            _require(user, permissions[name], reading)
    return reading


def evidence_for(user, pk: int) -> Evidence:
    evidence = get_evidence_for_user(user, pk)
    reading = reading_for(user, evidence.reading_id)
    _require(user, "scorecards.manage_evidence", evidence)
    evidence.reading = reading
    return evidence


def target_for(user, pk: int) -> Target:
    indicator_id = get_object_or_404(Target.objects.values_list("indicator_id", flat=True), pk=pk)
    indicator = indicator_for(user, indicator_id, define=True)
    target = next(target for target in indicator.targets.all() if target.pk == pk)
    target.indicator = indicator
    return target


def manage_url(partnership) -> str:
    return reverse("scorecards:manage", args=[partnership.slug])


def indicator_url(indicator: Indicator, anchor: str = "") -> str:
    url = reverse("scorecards:indicator_detail", args=[indicator.pk])
    return f"{url}#{anchor}" if anchor else url


def reading_url(reading: Reading, anchor: str = "") -> str:
    url = reverse("scorecards:reading_detail", args=[reading.pk])
    return f"{url}#{anchor}" if anchor else url


# --- errors in the right place -----------------------------------------------------------------


# Messages of ``scorecards.status`` about a target's date; its other messages are about values.
def _date_messages() -> set[str]:
    return {
        _("A target must be dated after the baseline date."),
        _("Two targets cannot share a date."),
    }


def on_fields(error: ValidationError, *, date: str, value: str, rename=None) -> ValidationError:
    """The services report target problems on "targets" (and ``rename``'s names): put
    them on this form's date or value field, as each message is about one or the other."""
    if not hasattr(error, "error_dict"):
        return error
    rename = rename or {}
    dates = _date_messages()
    moved: dict[str, list] = {}
    for name, errors in error.error_dict.items():
        for item in errors:
            message = " ".join(item.messages)
            if name == "targets":
                field = date if message in dates else value
            else:
                field = rename.get(name, name)
            moved.setdefault(field, []).append(message)
    return ValidationError(moved)


def renamed(error: ValidationError, names: dict[str, str]) -> ValidationError:
    """The service's errors with its field names turned into this form's."""
    if not hasattr(error, "error_dict"):
        return error
    moved: dict[str, list] = {}
    for name, errors in error.error_dict.items():
        moved.setdefault(names.get(name, name), []).extend(errors)
    return ValidationError(moved)


# --- the management page -----------------------------------------------------------------------


class ManageView(LoginRequiredMixin, View):
    """Every outcome of the partnership with its indicators, their status and the readings
    waiting; what the lead may define from here. A fixed number of queries: the scorecard
    read model, the permission checks, and nothing per row."""

    def get(self, request, slug):
        partnership = partnership_for(request.user, slug)
        card = selectors.scorecard(partnership, user=request.user)
        for indicator in card.indicators:
            indicator.status_label = status.STATUS_LABELS[indicator.status.status]
            indicator.waiting = sum(
                1 for reading in indicator.readings if reading.status == ReadingStatus.SUBMITTED
            )
            indicator.returned = sum(
                1 for reading in indicator.readings if reading.status == ReadingStatus.RETURNED
            )
        context = {
            "partnership": partnership,
            "scorecard": card,
            "rollup": [(status.STATUS_LABELS[key], n) for key, n in card.rollup.counts.items()],
            "can_define": request.user.has_perm("scorecards.define", partnership),
        }
        return render(request, "scorecards/staff/manage.html", context)


class StaffFormPageView(FormPageView):
    template_name = "scorecards/staff/form.html"
    says_saved = False
    saved_message = ""

    def partnership(self):
        return self.parent.partnership

    def context(self) -> dict:
        return {"partnership": self.partnership()}

    def saved(self, message: str | None = None) -> None:
        messages.success(self.request, message or self.saved_message)


# --- outcomes --------------------------------------------------------------------------------


class OutcomeCreateView(StaffFormPageView):
    title = gettext_lazy("Add an outcome")
    saved_message = gettext_lazy("Outcome added.")
    template_name = "scorecards/staff/outcome_form.html"

    def get_parent(self):
        return partnership_for(self.request.user, self.kwargs["slug"], define=True)

    def partnership(self):
        return self.parent

    def get_form(self, data=None):
        return OutcomeForm(data, partnership=self.parent)

    def save(self, form):
        outcome = services.outcome_create(
            partnership=self.parent, by=self.request.user, **form.cleaned_data
        )
        self.saved()
        return outcome

    def get_success_url(self, outcome) -> str:
        return f"{manage_url(outcome.partnership)}#outcome-{outcome.pk}"


class OutcomeUpdateView(StaffFormPageView):
    title = gettext_lazy("Edit outcome")
    saved_message = gettext_lazy("Outcome saved.")
    template_name = "scorecards/staff/outcome_form.html"

    def get_parent(self):
        return outcome_for(self.request.user, self.kwargs["pk"], define=True)

    def get_form(self, data=None):
        return OutcomeForm(data, instance=self.parent, partnership=self.parent.partnership)

    def save(self, form):
        outcome = services.outcome_update(outcome=self.parent, **form.cleaned_data)
        self.saved()
        return outcome

    def get_success_url(self, outcome) -> str:
        return f"{manage_url(outcome.partnership)}#outcome-{outcome.pk}"

    def context(self) -> dict:
        return {**super().context(), "outcome": self.parent}


class OutcomeDeleteView(LoginRequiredMixin, View):
    """Remove an outcome defined by mistake (refused once it has readings)."""

    def post(self, request, pk):
        outcome = outcome_for(request.user, pk, define=True)
        try:
            services.outcome_delete(outcome=outcome)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("scorecards:outcome_edit", pk=outcome.pk)
        messages.success(request, _("Outcome removed."))
        return redirect(manage_url(outcome.partnership))


# --- indicators --------------------------------------------------------------------------------


class IndicatorCreateView(StaffFormPageView):
    title = gettext_lazy("Add an indicator")
    template_name = "scorecards/staff/indicator_form.html"

    def get_parent(self):
        return outcome_for(self.request.user, self.kwargs["pk"], define=True)

    def get_form(self, data=None):
        return IndicatorForm(data, partnership=self.parent.partnership)

    def save(self, form):
        try:
            indicator = services.indicator_create(
                outcome=self.parent,
                targets=[form.target()],
                levels=form.levels(),
                **form.indicator_fields(),
            )
        except ValidationError as error:
            raise on_fields(
                error, date="target_date", value="target_value", rename={"levels": "level_1"}
            ) from error
        self.saved(_("Indicator added."))
        return indicator

    def get_success_url(self, indicator) -> str:
        return indicator_url(indicator)

    def context(self) -> dict:
        return {**super().context(), "outcome": self.parent}


class IndicatorUpdateView(StaffFormPageView):
    title = gettext_lazy("Edit indicator")
    template_name = "scorecards/staff/indicator_form.html"

    def get_parent(self):
        indicator = indicator_for(self.request.user, self.kwargs["pk"], define=True)
        self.read = services.has_readings(indicator)
        return indicator

    def partnership(self):
        return self.parent.outcome.partnership

    def get_form(self, data=None):
        return IndicatorForm(
            data, instance=self.parent, partnership=self.partnership(), read=self.read
        )

    def save(self, form):
        levels = None
        if form.has_rubric_fields:
            current = [
                {"number": level.number, "label": level.label, "description": level.description}
                for level in self.parent.levels.all()
            ]
            if form.levels() != current:
                levels = form.levels()
        try:
            indicator = services.indicator_update(
                indicator=self.parent, levels=levels, **form.indicator_fields()
            )
        except ValidationError as error:
            raise renamed(error, {"targets": "higher_is_better", "levels": "level_1"}) from error
        self.saved(_("Indicator saved."))
        return indicator

    def get_success_url(self, indicator) -> str:
        return indicator_url(indicator)

    def context(self) -> dict:
        return {**super().context(), "outcome": self.parent.outcome, "indicator": self.parent}


class IndicatorDetailView(LoginRequiredMixin, View):
    """An indicator's plan, baseline, targets, rubric, revisions and readings, with what
    the viewer may do next."""

    def get(self, request, pk):
        indicator = indicator_for(request.user, pk)
        facts = selectors.facts_for(Indicator.objects.filter(pk=indicator.pk))
        found = selectors.statuses_of(facts)[indicator.pk]
        readings = selectors.with_evidence_strength(
            Reading.objects.visible_to(request.user)
            .filter(indicator=indicator)
            .select_related("level", "reported_by", "reported_for")
            .order_by("-period_end", "-pk")
        )
        partnership = indicator.outcome.partnership
        targets = list(indicator.targets.all())
        context = {
            "partnership": partnership,
            "outcome": indicator.outcome,
            "indicator": indicator,
            "found": found,
            "status_label": status.STATUS_LABELS[found.status],
            "final_target": targets[-1] if targets else None,
            "readings": readings,
            "dimension_labels": [
                DIMENSIONS[key].label for key in indicator.dimensions if key in DIMENSIONS
            ],
            "revisions": indicator.revisions.select_related("target").order_by("at", "pk"),
            "can_define": request.user.has_perm("scorecards.define", partnership),
            "can_report": request.user.has_perm("scorecards.report", indicator),
        }
        return render(request, "scorecards/staff/indicator_detail.html", context)


# --- baseline and targets ----------------------------------------------------------------------


class IndicatorPlanView(StaffFormPageView):
    """A change to the baseline or a target: with a reason once readings exist."""

    def get_parent(self):
        indicator = indicator_for(self.request.user, self.kwargs["pk"], define=True)
        self.with_reason = services.has_readings(indicator)
        return indicator

    def indicator(self) -> Indicator:
        return self.parent

    def partnership(self):
        return self.indicator().outcome.partnership

    def get_success_url(self, result) -> str:
        return indicator_url(self.indicator(), "plan")

    def context(self) -> dict:
        indicator = self.indicator()
        return {
            **super().context(),
            "outcome": indicator.outcome,
            "indicator": indicator,
            "with_reason": self.with_reason,
        }


class BaselineChangeView(IndicatorPlanView):
    title = gettext_lazy("Change the baseline")
    template_name = "scorecards/staff/plan_form.html"

    def get_form(self, data=None):
        indicator = self.parent
        initial = {
            "baseline_value": ""
            if indicator.baseline_value is None
            else plain(indicator.baseline_value),
            "baseline_date": indicator.baseline_date,
            "baseline_comment": indicator.baseline_comment,
        }
        return BaselineForm(data, initial=initial, with_reason=self.with_reason)

    def save(self, form):
        data = form.cleaned_data
        try:
            services.baseline_change(
                indicator=self.parent,
                by=self.request.user,
                value=data["baseline_value"],
                date=data["baseline_date"],
                comment=data["baseline_comment"],
                **form.reason_fields(),
            )
        except ValidationError as error:
            raise on_fields(error, date="baseline_date", value="baseline_value") from error
        self.saved(_("Baseline changed."))
        return self.parent


class TargetAddView(IndicatorPlanView):
    title = gettext_lazy("Add a target")
    template_name = "scorecards/staff/plan_form.html"

    def get_form(self, data=None):
        return TargetForm(data, with_reason=self.with_reason)

    def save(self, form):
        data = form.cleaned_data
        target = services.target_add(
            indicator=self.parent,
            by=self.request.user,
            date=data["date"],
            value=data["value"],
            comment=data["comment"],
            **form.reason_fields(),
        )
        self.saved(_("Target added."))
        return target


class TargetUpdateView(IndicatorPlanView):
    title = gettext_lazy("Change a target")
    template_name = "scorecards/staff/target_form.html"

    def get_parent(self):
        target = target_for(self.request.user, self.kwargs["pk"])
        self.with_reason = services.has_readings(target.indicator)
        return target

    def indicator(self) -> Indicator:
        return self.parent.indicator

    def get_form(self, data=None):
        target = self.parent
        initial = {
            "value": "" if target.value is None else plain(target.value),
            "date": target.date,
            "comment": target.comment,
        }
        return TargetForm(data, initial=initial, with_reason=self.with_reason)

    def save(self, form):
        data = form.cleaned_data
        target = services.target_change(
            target=self.parent,
            by=self.request.user,
            date=data["date"],
            value=data["value"],
            comment=data["comment"],
            **form.reason_fields(),
        )
        self.saved(_("Target changed."))
        return target

    def context(self) -> dict:
        context = super().context()
        if len(self.indicator().targets.all()) > 1:
            context["remove_form"] = TargetRemoveForm(prefix="remove", with_reason=self.with_reason)
        return {**context, "target": self.parent}


class TargetRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        target = target_for(request.user, pk)
        indicator = target.indicator
        with_reason = services.has_readings(indicator)
        form = TargetRemoveForm(request.POST, prefix="remove", with_reason=with_reason)
        if form.is_valid():
            try:
                services.target_remove(target=target, by=request.user, **form.reason_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Target removed."))
                return redirect(indicator_url(indicator, "plan"))
        view = TargetUpdateView(request=request, kwargs={"pk": pk})
        view.parent, view.with_reason = target, with_reason
        context = {**view.context(), "remove_form": form}
        context.update(form=view.get_form(), title=view.title)
        return render(request, view.template_name, context, status=400)


# --- readings --------------------------------------------------------------------------------


def add_evidence(reading: Reading, form: ReadingForm, by) -> None:
    """The evidence typed into a reading form, each problem on its own field."""
    for field, arguments in form.evidence():
        try:
            services.evidence_add(reading=reading, by=by, **arguments)
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from error


class ReadingFormPageView(StaffFormPageView):
    template_name = "scorecards/staff/reading_form.html"
    multipart = True

    def indicator(self) -> Indicator:
        return self.parent.indicator

    def partnership(self):
        return self.indicator().outcome.partnership

    def initial(self) -> dict:
        return {}

    def get_form(self, data=None):
        files = self.request.FILES if data is not None else None
        return ReadingForm(data, files, indicator=self.indicator(), initial=self.initial())

    def get_success_url(self, reading) -> str:
        return reading_url(reading)

    def context(self) -> dict:
        indicator = self.indicator()
        return {**super().context(), "outcome": indicator.outcome, "indicator": indicator}


class ReadingCreateView(ReadingFormPageView):
    title = gettext_lazy("Record a reading")

    def get_parent(self):
        return indicator_for(self.request.user, self.kwargs["pk"], report=True)

    def indicator(self) -> Indicator:
        return self.parent

    def initial(self) -> dict:
        """The next period: from the day after the last one reported (or the baseline
        date) to the due date, once that has passed."""
        indicator = self.parent
        facts = selectors.facts_for(Indicator.objects.filter(pk=indicator.pk))[indicator.pk]
        start = indicator.baseline_date
        if facts.last_reported_end and facts.last_reported_end >= start:
            start = facts.last_reported_end + timedelta(days=1)
        initial = {"period_start": start}
        due = status.due_date(facts, timezone.localdate())
        if due and start <= due <= timezone.localdate():
            initial["period_end"] = due
        return initial

    def save(self, form):
        with transaction.atomic():
            reading = services.reading_create(
                indicator=self.parent,
                by=self.request.user,
                disaggregations=form.disaggregations(),
                **form.reading_fields(),
            )
            add_evidence(reading, form, self.request.user)
        self.saved(_("Reading saved as a draft. Submit it for verification when it is complete."))
        return reading


class ReadingUpdateView(ReadingFormPageView):
    title = gettext_lazy("Edit reading")

    def get_parent(self):
        return reading_for(self.request.user, self.kwargs["pk"], edit=True)

    def initial(self) -> dict:
        return ReadingForm.initial_from(self.parent)

    def save(self, form):
        with transaction.atomic():
            services.reading_update(
                reading=self.parent,
                disaggregations=form.disaggregations() if form.cells else None,
                **form.reading_fields(),
            )
            add_evidence(self.parent, form, self.request.user)
        self.saved(_("Reading saved. Submit it for verification when it is complete."))
        return self.parent

    def context(self) -> dict:
        return {**super().context(), "reading": self.parent}


class ReadingCorrectView(ReadingFormPageView):
    """A verified reading is never edited: its correction is a new reading, which
    supersedes it once verified."""

    title = gettext_lazy("Correct a verified reading")

    def get_parent(self):
        return reading_for(self.request.user, self.kwargs["pk"], correct=True)

    def initial(self) -> dict:
        return ReadingForm.initial_from(self.parent)

    def save(self, form):
        with transaction.atomic():
            correction = services.reading_correct(
                reading=self.parent,
                by=self.request.user,
                disaggregations=form.disaggregations(),
                **form.reading_fields(),
            )
            add_evidence(correction, form, self.request.user)
        self.saved(
            _(
                "Correction saved as a draft. Once it is submitted and verified, it replaces "
                "the verified reading."
            )
        )
        return correction

    def context(self) -> dict:
        return {**super().context(), "corrected": self.parent}


def render_reading(request, reading: Reading, *, status_code: int = 200, **overrides):
    """The reading page: its value, breakdown, evidence, who reported and verified it,
    every return with its reason, and the actions open to the viewer."""
    user = request.user
    returns = selectors.reading_returns(reading)
    ids = {item["by_id"] for item in returns if item["by_id"]}
    names = (
        {person.pk: person for person in get_user_model().objects.filter(pk__in=ids)} if ids else {}
    )
    for item in returns:
        item["by"] = names.get(item["by_id"])
    corrections = Reading.objects.visible_to(user).filter(supersedes=reading).order_by("pk")
    can_verify = user.has_perm("scorecards.verify_reading", reading)
    refusal = None
    if reading.status == ReadingStatus.SUBMITTED and not can_verify:
        refusal = verification_refusal(user, reading)
    breakdown = [
        (
            DIMENSIONS[cell.dimension].label,
            DIMENSIONS[cell.dimension].category_label(cell.category),
            cell.value,
            cell.people,
        )
        for cell in reading.disaggregations.all()
        if cell.dimension in DIMENSIONS
    ]
    context = {
        "partnership": reading.indicator.outcome.partnership,
        "breakdown": breakdown,
        "verify_label": _("Next steps"),
        "outcome": reading.indicator.outcome,
        "indicator": reading.indicator,
        "reading": reading,
        "returns": returns,
        "corrections": list(corrections),
        "can_edit": user.has_perm("scorecards.edit_reading", reading),
        "can_verify": can_verify,
        "refusal": refusal,
        "can_correct": user.has_perm("scorecards.correct_reading", reading),
        "can_manage_evidence": user.has_perm("scorecards.report", reading.indicator),
        "return_form": ReturnForm(),
        "errors": [],
        **overrides,
    }
    return render(request, "scorecards/staff/reading_detail.html", context, status=status_code)


class ReadingDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return render_reading(request, reading_for(request.user, pk))


class ReadingActionView(LoginRequiredMixin, View):
    """A button on the reading page (POST only). On a refusal the page is shown again
    (400) with the service's message."""

    wanted: dict[str, bool] = {}

    def act(self, reading: Reading) -> str:
        raise NotImplementedError

    def post(self, request, pk):
        reading = reading_for(request.user, pk, **self.wanted)
        try:
            message = self.act(reading)
        except ValidationError as error:
            reading = reading_for(request.user, pk)
            return render_reading(request, reading, status_code=400, errors=error.messages)
        messages.success(request, message)
        return redirect(self.next_url(reading))

    def next_url(self, reading: Reading) -> str:
        return reading_url(reading)


class ReadingSubmitView(ReadingActionView):
    wanted = {"edit": True}

    def act(self, reading):
        services.reading_submit(reading=reading, by=self.request.user)
        return _("Submitted for verification. The lead partner's staff are told.")


class ReadingVerifyView(ReadingActionView):
    wanted = {"verify": True}

    def act(self, reading):
        services.reading_verify(reading=reading, by=self.request.user)
        if reading.supersedes_id:
            return _("Reading verified. It replaces the reading it corrects.")
        return _("Reading verified.")


class ReadingDeleteView(ReadingActionView):
    wanted = {"edit": True}

    def act(self, reading):
        services.reading_delete(reading=reading)
        return _("Draft discarded.")

    def next_url(self, reading):
        return indicator_url(reading.indicator)


class ReadingReturnView(LoginRequiredMixin, View):
    """Back to the reporter, with a reason (required; it stays in the history)."""

    def post(self, request, pk):
        reading = reading_for(request.user, pk, verify=True)
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                services.reading_return(
                    reading=reading, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Reading returned to the reporter with your reason."))
                return redirect(reading_url(reading))
        return render_reading(request, reading, status_code=400, return_form=form)


# --- evidence --------------------------------------------------------------------------------


class EvidenceVisibilityView(LoginRequiredMixin, View):
    """Mark a piece of evidence public (once the people in it agreed) or internal."""

    def post(self, request, pk):
        evidence = evidence_for(request.user, pk)
        form = EvidenceVisibilityForm(request.POST)
        form.is_valid()
        is_public = form.cleaned_data.get("is_public", False)
        services.evidence_set_public(evidence=evidence, is_public=is_public)
        if is_public:
            message = _(
                "This evidence is now public: visitors see it once the reading is verified."
            )
        else:
            message = _("This evidence is now internal: only people inside the partnership see it.")
        messages.success(request, message)
        return redirect(reading_url(evidence.reading, "evidence"))


class EvidenceRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        evidence = evidence_for(request.user, pk)
        try:
            services.evidence_remove(evidence=evidence)
        except ValidationError as error:
            return render_reading(request, evidence.reading, status_code=400, errors=error.messages)
        messages.success(request, _("Evidence removed."))
        return redirect(reading_url(evidence.reading, "evidence"))


# --- translations ----------------------------------------------------------------------------


class OutcomeTranslationView(TranslationView):
    url_name = "scorecards:outcome_translations"

    def get_record(self):
        return outcome_for(self.request.user, self.kwargs["pk"], define=True)

    def url_args(self, record):
        return [record.pk]

    def get_back_url(self, record):
        return f"{manage_url(record.partnership)}#outcome-{record.pk}"

    def get_edit_url(self, record):
        return reverse("scorecards:outcome_edit", args=[record.pk])


class IndicatorTranslationView(TranslationView):
    url_name = "scorecards:indicator_translations"

    def get_record(self):
        return indicator_for(self.request.user, self.kwargs["pk"], define=True)

    def url_args(self, record):
        return [record.pk]

    def get_back_url(self, record):
        return indicator_url(record)

    def get_edit_url(self, record):
        return reverse("scorecards:indicator_edit", args=[record.pk])
