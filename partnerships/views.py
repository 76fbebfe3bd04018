"""Pages for browsing and editing organisations and partnerships.

Reads start from ``Partnership.objects.visible_to`` (through the access
functions in permissions.py); writes call services.py.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from harambee.generic import FormPageView, OrganisationNeeded
from harambee.sections import partnership_sections
from partnerships import selectors, services
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
    Partnership,
)
from partnerships.permissions import get_organisation_for_user, get_partnership_for_user


class PartnershipListView(View):
    def get(self, request):
        visible = Partnership.objects.visible_to(request.user)
        codes = selectors.country_codes(visible)
        form = PartnershipFilterForm(request.GET or None, country_codes=codes)
        queryset = (form.filter(visible) if request.GET else visible).for_list()
        page = Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {"form": form, "page": page, "query": query.urlencode()}
        return render(request, "partnerships/partnership_list.html", context)


class PartnershipDetailView(View):
    def get(self, request, slug):
        partnership = get_partnership_for_user(
            request.user, slug, queryset=Partnership.objects.for_detail()
        )
        can_edit = request.user.has_perm("partnerships.edit_partnership", partnership)
        context = {
            "partnership": partnership,
            "timeline": selectors.timeline(partnership),
            "cost_sharing": selectors.cost_sharing(partnership),
            "can_edit": can_edit,
            "can_manage": request.user.has_perm("partnerships.manage_partners", partnership),
            # Partners see each contribution, to correct it or mark it delivered.
            "contributions": selectors.contributions_of(partnership) if can_edit else (),
            "sections": partnership_sections(request, partnership),
        }
        return render(request, "partnerships/partnership_detail.html", context)


class PartnershipsFormPageView(FormPageView):
    template_name = "partnerships/form.html"


class PartnershipCreateView(PartnershipsFormPageView):
    title = gettext_lazy("Start a partnership")

    def get_parent(self):
        if not self.request.user.has_perm("partnerships.create_partnership"):
            raise OrganisationNeeded
        return None

    def get_form(self, data=None):
        return PartnershipForm(data, lead_choices=organisations_of(self.request.user))

    def save(self, form):
        data = dict(form.cleaned_data)
        return services.partnership_create(by=self.request.user, **data)


class PartnershipUpdateView(PartnershipsFormPageView):
    title = gettext_lazy("Edit partnership")

    def get_parent(self):
        return get_partnership_for_user(self.request.user, self.kwargs["slug"], write=True)

    def get_form(self, data=None):
        can_publish = self.request.user.has_perm("partnerships.manage_partners", self.parent)
        return PartnershipForm(data, instance=self.parent, can_publish=can_publish)

    def save(self, form):
        data = dict(form.cleaned_data)
        return services.partnership_update(partnership=self.parent, **data)

    def context(self):
        return {"partnership": self.parent}


class PartnerAddView(PartnershipsFormPageView):
    title = gettext_lazy("Add a partner")

    def get_parent(self):
        return get_partnership_for_user(self.request.user, self.kwargs["slug"], manage=True)

    def get_form(self, data=None):
        return PartnerForm(data, partnership=self.parent)

    def save(self, form):
        services.partner_add(partnership=self.parent, **form.cleaned_data)
        return self.parent

    def context(self):
        return {"partnership": self.parent}


class PartnerUpdateView(PartnershipsFormPageView):
    title = gettext_lazy("Edit partner")

    def get_parent(self):
        partnership = get_partnership_for_user(self.request.user, self.kwargs["slug"], manage=True)
        self.partner = get_object_or_404(partnership.partners, pk=self.kwargs["pk"])
        return partnership

    def get_form(self, data=None):
        return PartnerForm(data, instance=self.partner, partnership=self.parent)

    def save(self, form):
        services.partner_update(partner=self.partner, **form.cleaned_data)
        return self.parent

    def context(self):
        return {"partnership": self.parent, "subject": self.partner.organisation}


class ContributionAddView(PartnershipsFormPageView):
    title = gettext_lazy("Record a contribution")
    template_name = "partnerships/contribution_form.html"

    def get_parent(self):
        return get_partnership_for_user(self.request.user, self.kwargs["slug"], write=True)

    def get_form(self, data=None):
        return ContributionForm(data, partnership=self.parent)

    def save(self, form):
        services.contribution_create(**form.cleaned_data)
        return self.parent

    def context(self):
        return {"partnership": self.parent}


class ContributionUpdateView(ContributionAddView):
    title = gettext_lazy("Edit contribution")

    def get_parent(self):
        partnership = super().get_parent()
        self.contribution = get_object_or_404(
            Contribution, partner__partnership=partnership, pk=self.kwargs["pk"]
        )
        return partnership

    def get_form(self, data=None):
        return ContributionForm(data, instance=self.contribution, partnership=self.parent)

    def save(self, form):
        services.contribution_update(contribution=self.contribution, **form.cleaned_data)
        return self.parent


class MilestoneAddView(PartnershipsFormPageView):
    title = gettext_lazy("Add a milestone")

    def get_parent(self):
        return get_partnership_for_user(self.request.user, self.kwargs["slug"], write=True)

    def get_form(self, data=None):
        return MilestoneForm(data)

    def save(self, form):
        services.milestone_create(partnership=self.parent, **form.cleaned_data)
        return self.parent

    def context(self):
        return {"partnership": self.parent}


class MilestoneUpdateView(MilestoneAddView):
    title = gettext_lazy("Edit milestone")

    def get_parent(self):
        partnership = super().get_parent()
        self.milestone = get_object_or_404(Milestone, partnership=partnership, pk=self.kwargs["pk"])
        return partnership

    def get_form(self, data=None):
        return MilestoneForm(data, instance=self.milestone)

    def save(self, form):
        services.milestone_update(milestone=self.milestone, **form.cleaned_data)
        return self.parent


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


class OrganisationCreateView(PartnershipsFormPageView):
    title = gettext_lazy("Register an organisation")

    def get_form(self, data=None):
        return OrganisationForm(data)

    def save(self, form):
        return services.organisation_create(by=self.request.user, **form.cleaned_data)


class OrganisationUpdateView(PartnershipsFormPageView):
    title = gettext_lazy("Edit organisation")

    def get_parent(self):
        return get_organisation_for_user(self.request.user, self.kwargs["slug"], manage=True)

    def get_form(self, data=None):
        return OrganisationForm(data, instance=self.parent)

    def save(self, form):
        return services.organisation_update(organisation=self.parent, **form.cleaned_data)


class OrganisationMembersView(PartnershipsFormPageView):
    """Administrators see the members and open invitations, and invite people by email."""

    title = gettext_lazy("Members")
    template_name = "partnerships/organisation_members.html"

    def get_parent(self):
        return get_organisation_for_user(self.request.user, self.kwargs["slug"], manage=True)

    def get_form(self, data=None):
        return InvitationForm(data)

    def save(self, form):
        invitation = services.invitation_send(
            organisation=self.parent, by=self.request.user, **form.cleaned_data
        )
        messages.info(
            self.request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
        )
        return invitation

    def get_success_url(self, result) -> str:
        return reverse("partnerships:organisation_members", args=[self.parent.slug])

    def context(self):
        members = self.parent.members.select_related("user").order_by("user__email")
        invitations = self.parent.invitations.filter(accepted_at__isnull=True)
        return {
            "organisation": self.parent,
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
        return redirect("partnerships:organisation_members", organisation.slug)


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
