"""Pages for browsing and editing organisations and partnerships.

Reads start from ``Partnership.objects.visible_to`` (through the access
functions in permissions.py); writes call services.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from partnerships import services
from partnerships.access import organisations_of
from partnerships.forms import (
    ContributionForm,
    InvitationForm,
    MemberRoleForm,
    MilestoneForm,
    OrganisationFilterForm,
    OrganisationForm,
    PartnerForm,
    PartnershipFilterForm,
    PartnershipForm,
)
from partnerships.models import (
    Contribution,
    Invitation,
    Milestone,
    Organisation,
    OrganisationMember,
    Partner,
    Partnership,
    Visibility,
)
from partnerships.permissions import get_organisation_for_user, get_partnership_for_user


def home(request):
    public = Partnership.objects.public()
    figures = public.aggregate(
        partnerships=Count("pk"),
        in_implementation=Count("pk", filter=Q(status=2)),
        closed=Count("pk", filter=Q(status=4)),
    )
    figures["organisations"] = (
        Partner.objects.filter(partnership__visibility=Visibility.PUBLIC)
        .values("organisation_id")
        .distinct()
        .count()
    )
    figures["countries"] = len(_country_codes(public))
    latest = public.for_list().order_by("-updated_at")[:5]
    return render(request, "partnerships/home.html", {"figures": figures, "latest": latest})


def _country_codes(queryset) -> set[str]:
    """Every recipient country used in these partnerships (one query)."""
    codes: set[str] = set()
    for value in queryset.order_by().values_list("recipient_countries", flat=True).distinct():
        codes.update(code for code in str(value).split(",") if code)
    return codes


class PartnershipListView(View):
    def get(self, request):
        visible = Partnership.objects.visible_to(request.user)
        form = PartnershipFilterForm(request.GET or None, country_codes=_country_codes(visible))
        queryset = (form.filter(visible) if request.GET else visible).for_list()
        page = Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {"form": form, "page": page, "query": query.urlencode()}
        return render(request, "partnerships/partnership_list.html", context)


@dataclass(frozen=True)
class TimelineEvent:
    date: date
    kind: str
    text: str
    done: bool = True
    milestone_id: int | None = None


def _timeline(partnership: Partnership) -> list[TimelineEvent]:
    """Milestones and partners joining and leaving, in date order."""
    events = [
        TimelineEvent(m.date, "milestone", m.title, m.achieved, milestone_id=m.pk)
        for m in partnership.milestones.all()
    ]
    for partner in partnership.all_partners:
        name = str(partner.organisation)
        events.append(
            TimelineEvent(partner.joined_on, "joined", _("%(name)s joined") % {"name": name})
        )
        if partner.left_on:
            events.append(
                TimelineEvent(partner.left_on, "left", _("%(name)s left") % {"name": name})
            )
    return sorted(events, key=lambda e: e.date)


def _cost_sharing(partnership: Partnership) -> list[dict]:
    """Pledged and delivered per partner and currency, in partner order."""
    rows = Contribution.objects.filter(partner__partnership=partnership).cost_sharing()
    by_partner: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_partner[row["partner_id"]].append(row)
    return [
        {"partner": partner, "rows": by_partner[partner.pk]}
        for partner in partnership.all_partners
        if partner.pk in by_partner
    ]


class PartnershipDetailView(View):
    def get(self, request, slug):
        partnership = get_partnership_for_user(
            request.user, slug, queryset=Partnership.objects.for_detail()
        )
        can_edit = request.user.has_perm("partnerships.edit_partnership", partnership)
        context = {
            "partnership": partnership,
            "timeline": _timeline(partnership),
            "cost_sharing": _cost_sharing(partnership),
            "can_edit": can_edit,
            "can_manage": request.user.has_perm("partnerships.manage_partners", partnership),
            # Partners see each contribution, to correct it or mark it delivered.
            "contributions": (
                Contribution.objects.filter(partner__partnership=partnership)
                .select_related("partner__organisation")
                .order_by("partner__organisation__name", "date", "pk")
                if can_edit
                else ()
            ),
        }
        return render(request, "partnerships/partnership_detail.html", context)


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: by its field when the form has that field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class FormPageView(LoginRequiredMixin, View):
    """A logged-in page with one form: GET shows it, POST validates and calls a service.

    Subclasses give the form, the service call and where to go next. Bad input
    answers 400 with the messages and saves nothing.
    """

    template_name = "partnerships/form.html"
    title = ""

    def get_object(self):
        return None

    def get_form(self, data=None):
        raise NotImplementedError

    def save(self, form):
        raise NotImplementedError

    def context(self) -> dict:
        return {}

    def get(self, request, **kwargs):
        self.object = self.get_object()
        return self.render(self.get_form())

    def post(self, request, **kwargs):
        self.object = self.get_object()
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                result = self.save(form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(result.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {"form": form, "title": self.title, **self.context()}
        return render(self.request, self.template_name, context, status=status)


class PartnershipCreateView(FormPageView):
    title = gettext_lazy("Start a partnership")

    def get_object(self):
        if not self.request.user.has_perm("partnerships.create_partnership"):
            raise PermissionDenied
        return None

    def get_form(self, data=None):
        return PartnershipForm(data, lead_choices=organisations_of(self.request.user))

    def save(self, form):
        data = dict(form.cleaned_data)
        return services.partnership_create(by=self.request.user, **data)


class PartnershipUpdateView(FormPageView):
    title = gettext_lazy("Edit partnership")

    def get_object(self):
        return get_partnership_for_user(self.request.user, self.kwargs["slug"], write=True)

    def get_form(self, data=None):
        can_publish = self.request.user.has_perm("partnerships.manage_partners", self.object)
        return PartnershipForm(data, instance=self.object, can_publish=can_publish)

    def save(self, form):
        data = dict(form.cleaned_data)
        return services.partnership_update(partnership=self.object, **data)

    def context(self):
        return {"partnership": self.object}


class PartnerAddView(FormPageView):
    title = gettext_lazy("Add a partner")

    def get_object(self):
        return get_partnership_for_user(self.request.user, self.kwargs["slug"], manage=True)

    def get_form(self, data=None):
        return PartnerForm(data, partnership=self.object)

    def save(self, form):
        services.partner_add(partnership=self.object, **form.cleaned_data)
        return self.object

    def context(self):
        return {"partnership": self.object}


class PartnerUpdateView(FormPageView):
    title = gettext_lazy("Edit partner")

    def get_object(self):
        partnership = get_partnership_for_user(self.request.user, self.kwargs["slug"], manage=True)
        self.partner = get_object_or_404(partnership.partners, pk=self.kwargs["pk"])
        return partnership

    def get_form(self, data=None):
        return PartnerForm(data, instance=self.partner, partnership=self.object)

    def save(self, form):
        services.partner_update(partner=self.partner, **form.cleaned_data)
        return self.object

    def context(self):
        return {"partnership": self.object, "subject": self.partner.organisation}


class ContributionAddView(FormPageView):
    title = gettext_lazy("Record a contribution")
    template_name = "partnerships/contribution_form.html"

    def get_object(self):
        return get_partnership_for_user(self.request.user, self.kwargs["slug"], write=True)

    def get_form(self, data=None):
        return ContributionForm(data, partnership=self.object)

    def save(self, form):
        services.contribution_create(**form.cleaned_data)
        return self.object

    def context(self):
        return {"partnership": self.object}


class ContributionUpdateView(ContributionAddView):
    title = gettext_lazy("Edit contribution")

    def get_object(self):
        partnership = super().get_object()
        self.contribution = get_object_or_404(
            Contribution, partner__partnership=partnership, pk=self.kwargs["pk"]
        )
        return partnership

    def get_form(self, data=None):
        return ContributionForm(data, instance=self.contribution, partnership=self.object)

    def save(self, form):
        services.contribution_update(contribution=self.contribution, **form.cleaned_data)
        return self.object


class MilestoneAddView(FormPageView):
    title = gettext_lazy("Add a milestone")

    def get_object(self):
        return get_partnership_for_user(self.request.user, self.kwargs["slug"], write=True)

    def get_form(self, data=None):
        return MilestoneForm(data)

    def save(self, form):
        services.milestone_create(partnership=self.object, **form.cleaned_data)
        return self.object

    def context(self):
        return {"partnership": self.object}


class MilestoneUpdateView(MilestoneAddView):
    title = gettext_lazy("Edit milestone")

    def get_object(self):
        partnership = super().get_object()
        self.milestone = get_object_or_404(Milestone, partnership=partnership, pk=self.kwargs["pk"])
        return partnership

    def get_form(self, data=None):
        return MilestoneForm(data, instance=self.milestone)

    def save(self, form):
        services.milestone_update(milestone=self.milestone, **form.cleaned_data)
        return self.object


class OrganisationListView(View):
    def get(self, request):
        form = OrganisationFilterForm(request.GET or None)
        queryset = form.filter(Organisation.objects.for_list()) if request.GET else None
        queryset = queryset if queryset is not None else Organisation.objects.for_list()
        page = Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {"form": form, "page": page, "query": query.urlencode()}
        return render(request, "partnerships/organisation_list.html", context)


class OrganisationDetailView(View):
    def get(self, request, slug):
        organisation = get_organisation_for_user(request.user, slug)
        visible = Partnership.objects.visible_to(request.user)
        roles = (
            organisation.partner_roles.filter(partnership__in=visible)
            .select_related("partnership")
            .order_by("-joined_on")
        )
        context = {
            "organisation": organisation,
            "roles": roles,
            "can_edit": request.user.has_perm("partnerships.edit_organisation", organisation),
        }
        return render(request, "partnerships/organisation_detail.html", context)


class OrganisationCreateView(FormPageView):
    title = gettext_lazy("Register an organisation")

    def get_form(self, data=None):
        return OrganisationForm(data)

    def save(self, form):
        return services.organisation_create(by=self.request.user, **form.cleaned_data)


class OrganisationUpdateView(FormPageView):
    title = gettext_lazy("Edit organisation")

    def get_object(self):
        return get_organisation_for_user(self.request.user, self.kwargs["slug"], manage=True)

    def get_form(self, data=None):
        return OrganisationForm(data, instance=self.object)

    def save(self, form):
        return services.organisation_update(organisation=self.object, **form.cleaned_data)


class OrganisationMembersView(FormPageView):
    """Administrators see the members and open invitations, and invite people by email."""

    title = gettext_lazy("Members")
    template_name = "partnerships/organisation_members.html"

    def get_object(self):
        return get_organisation_for_user(self.request.user, self.kwargs["slug"], manage=True)

    def get_form(self, data=None):
        return InvitationForm(data)

    def save(self, form):
        invitation = services.invitation_send(
            organisation=self.object, by=self.request.user, **form.cleaned_data
        )
        messages.info(
            self.request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
        )
        return MembersPage(self.object)

    def context(self):
        members = self.object.members.select_related("user").order_by("user__email")
        invitations = self.object.invitations.filter(accepted_at__isnull=True)
        return {
            "organisation": self.object,
            "members": [
                (member, MemberRoleForm(initial={"role": member.role})) for member in members
            ],
            "invitations": invitations,
        }


class OrganisationMemberActionView(LoginRequiredMixin, View):
    """A POST from the members page by an administrator; problems come back as messages."""

    def post(self, request, slug, pk):
        organisation = get_organisation_for_user(request.user, slug, manage=True)
        try:
            self.act(organisation, pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
        return redirect(MembersPage(organisation).get_absolute_url())


class OrganisationMemberRemoveView(OrganisationMemberActionView):
    def act(self, organisation, pk):
        member = get_object_or_404(OrganisationMember, organisation=organisation, pk=pk)
        services.organisation_member_remove(member=member)


class OrganisationMemberRoleView(OrganisationMemberActionView):
    def act(self, organisation, pk):
        member = get_object_or_404(OrganisationMember, organisation=organisation, pk=pk)
        form = MemberRoleForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose administrator or staff."))
        services.organisation_member_set_role(member=member, role=form.cleaned_data["role"])


class InvitationRevokeView(OrganisationMemberActionView):
    def act(self, organisation, pk):
        invitation = get_object_or_404(Invitation, organisation=organisation, pk=pk)
        services.invitation_revoke(invitation=invitation)


class InvitationView(LoginRequiredMixin, View):
    """The page an invitation email links to: the invited person accepts it here."""

    def get(self, request, token):
        invitation = get_object_or_404(
            Invitation.objects.select_related("organisation"), token=token
        )
        return render(request, "partnerships/invitation.html", {"invitation": invitation})

    def post(self, request, token):
        invitation = get_object_or_404(
            Invitation.objects.select_related("organisation"), token=token
        )
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            context = {"invitation": invitation, "errors": error.messages}
            return render(request, "partnerships/invitation.html", context, status=400)
        messages.success(
            request, _("You are now a member of %(name)s.") % {"name": invitation.organisation.name}
        )
        return redirect(invitation.organisation.get_absolute_url())


@dataclass(frozen=True)
class MembersPage:
    organisation: Organisation

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("partnerships:organisation_members", args=[self.organisation.slug])
