"""Pages for browsing and editing organisations and partnerships.

Reads start from ``Partnership.objects.visible_to`` (through the access
functions in permissions.py); writes call services.py.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from harambee import pagecache
from harambee.content import in_reader_language
from harambee.generic import FormPageView, OrganisationNeeded, TranslationView
from harambee.sections import (
    add_section_figures,
    partnership_section_annotations,
    partnership_sections,
)
from harambee.urls_absolute import absolute_url
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
    PartnerInvitationForm,
    PartnershipFilterForm,
    PartnershipForm,
)
from partnerships.models import (
    Contribution,
    Invitation,
    Milestone,
    Organisation,
    OrganisationMember,
    PartnerInvitation,
    Partnership,
    Visibility,
    detail_prefetches,
)
from partnerships.permissions import get_organisation_for_user, get_partnership_for_user

_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")


class _KeysFirst:
    """``rows`` for the paginator, read a later page's keys first: ``rows[980:1000]`` is
    one query whose subquery takes the page's keys from the ordering's index alone
    (skipping 980 index entries, not 980 rows), and whose outer query reads those 20 rows
    by key. A plain OFFSET reads and drops every row before the page."""

    ordered = True  # the paginator's check: ``rows`` come in their list's order

    def __init__(self, rows):
        self.rows = rows

    def count(self) -> int:
        return self.rows.count()

    def __getitem__(self, window: slice):
        if not window.start:
            return self.rows[window]
        return self.rows.filter(pk__in=self.rows.values("pk")[window])


def _page(request, rows, *, count: int | None = None) -> Page:
    """The requested page of ``rows``. ``count``, when the total is known (a site-wide
    figure), spares the paginator counting every row; so does a first page that holds
    them all (its rows are read with one more, to know)."""
    size = settings.PAGE_SIZE
    paginator = Paginator(_KeysFirst(rows), size)
    if count is not None:
        paginator.count = count  # a cached property: set, it is never computed
    elif request.GET.get("page", "1") == "1":
        first = list(rows[: size + 1])
        if len(first) <= size:
            paginator.count = len(first)
        page = paginator.page(1)
        page.object_list = first[:size]
        return page
    return paginator.get_page(request.GET.get("page"))


def _filters_sent(request):
    """The query string without the page number, or None: a later page of the plain list
    gets the plain list's unbound form, nothing to validate."""
    query = request.GET.copy()
    query.pop("page", None)
    return query or None


def _query_without_page(request) -> str:
    query = _filters_sent(request)
    return query.urlencode() if query else ""


class PartnershipListView(View):
    def get(self, request):
        user = request.user
        choices = selectors.filter_choices(user)
        form = PartnershipFilterForm(
            _filters_sent(request), countries=choices.countries, sectors=choices.sectors
        )
        visible = Partnership.objects.visible_to(user)
        rows = form.filter(visible) if form.filters() else visible
        # The public ones from the site-wide figures, if they say it, and the user's own
        # others, counted from their own rows; otherwise the paginator counts.
        total = selectors.public_count(form.filters())
        if total is not None and user.is_authenticated:
            total += form.filter(selectors.hidden_visible_to(user)).count()
        page = _page(request, rows.for_list(), count=total)
        context = {"form": form, "page": page, "query": _query_without_page(request)}
        return render(request, "partnerships/partnership_list.html", context)


class PartnershipDetailView(View):
    """A partnership's page. Its body is the same for every reader who may not edit it:
    for a public partnership, those readers' body is kept under the public version (one
    for visitors, one for signed-in readers, in each language), and the page reads only
    the partnership's row to apply the visibility rule. Its editors' body is rendered on
    every request."""

    body_template = "partnerships/_partnership_body.html"

    def get(self, request, slug):
        kept = pagecache.fragments_enabled()
        if kept and not request.user.is_authenticated:
            # A visitor never edits: the body is kept, and only the row is needed for it.
            rows = Partnership.objects.all()
        else:
            # The sections' per-partnership figures come with the partnership's row.
            rows = Partnership.objects.annotate(**partnership_section_annotations())
        partnership = get_partnership_for_user(request.user, slug, queryset=rows)
        can_edit = request.user.has_perm("partnerships.edit_partnership", partnership)
        can_manage = request.user.has_perm("partnerships.manage_partners", partnership)

        def body() -> str:
            context = self.body_context(request, partnership, can_edit, can_manage)
            return render_to_string(self.body_template, context, request)

        if kept and partnership.is_public and not (can_edit or can_manage):
            reader = "signed-in" if request.user.is_authenticated else "visitor"
            name = f"partnership-body:{get_language()}:{reader}:{partnership.pk}"
            html = pagecache.remember(name, body)
        else:
            html = body()
        context = {"partnership": partnership, "body": mark_safe(html)}  # noqa: S308 - rendered above
        return render(request, "partnerships/partnership_detail.html", context)

    @staticmethod
    def body_context(request, partnership, can_edit: bool, can_manage: bool) -> dict:
        prefetch_related_objects([partnership], *detail_prefetches())
        add_section_figures(partnership)
        return {
            "partnership": partnership,
            "sectors": selectors.sectors_of(partnership),
            "timeline": selectors.timeline(partnership),
            "cost_sharing": selectors.cost_sharing(partnership),
            "can_edit": can_edit,
            "can_manage": can_manage,
            # Partners see each contribution, to correct it or mark it delivered.
            "contributions": selectors.contributions_of(partnership) if can_edit else (),
            # The lead sees whom it invited and may withdraw; nobody else learns of them.
            "pending_invitations": (
                partnership.partner_invitations.pending().for_list() if can_manage else ()
            ),
            "sections": partnership_sections(request, partnership),
        }


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
    """The lead partner invites an organisation: it becomes a partner only once one of its
    administrators accepts (``PartnerInvitationAcceptView``)."""

    says_saved = False

    title = gettext_lazy("Invite a partner")
    template_name = "partnerships/partner_invite.html"

    def get_parent(self):
        return get_partnership_for_user(self.request.user, self.kwargs["slug"], manage=True)

    def get_form(self, data=None):
        return PartnerInvitationForm(data, partnership=self.parent)

    def save(self, form):
        invitation = services.partner_invite(
            partnership=self.parent, by=self.request.user, **form.cleaned_data
        )
        messages.info(
            self.request,
            _(
                "%(organisation)s is invited. Its administrators have been emailed; it becomes "
                "a partner once one of them accepts."
            )
            % {"organisation": invitation.organisation.name},
        )
        return self.parent

    def context(self):
        return {"partnership": self.parent}


class PartnerInvitationWithdrawView(LoginRequiredMixin, View):
    """The lead partner takes back an invitation nobody has answered yet."""

    def post(self, request, slug, pk):
        partnership = get_partnership_for_user(request.user, slug, manage=True)
        invitation = get_object_or_404(
            partnership.partner_invitations.select_related("organisation"), pk=pk
        )
        try:
            services.partner_invitation_withdraw(invitation=invitation, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The invitation to %(organisation)s is withdrawn.")
                % {"organisation": invitation.organisation.name},
            )
        return redirect(partnership)


def _addressed_invitation(user, pk: int) -> PartnerInvitation:
    """The invitation, if the user administers the invited organisation; else 404, so
    nobody else learns that it, or the partnership, exists."""
    invitations = PartnerInvitation.objects.addressed_to(user).for_list()
    return get_object_or_404(invitations, pk=pk)


def _render_invitation(request, invitation, *, errors=(), status=200):
    # Once answered or withdrawn, an invitation no longer shows the partnership (read live:
    # it may have been renamed since) to those who may not see it.
    visible = Partnership.objects.visible_to(request.user).filter(pk=invitation.partnership_id)
    show_partnership = invitation.is_pending or visible.exists()
    context = {"invitation": invitation, "errors": errors, "show_partnership": show_partnership}
    return render(request, "partnerships/partner_invitation.html", context, status=status)


class PartnerInvitationView(LoginRequiredMixin, View):
    """What the invited organisation's administrators see before they answer: the
    partnership's title, its lead organisation, the role and responsibilities offered.
    Nothing else of a partnership they may not see yet."""

    def get(self, request, pk):
        return _render_invitation(request, _addressed_invitation(request.user, pk))


class PartnerInvitationAnswerView(LoginRequiredMixin, View):
    """A POST from the invitation page; a refusal comes back on that page with 400."""

    def post(self, request, pk):
        invitation = _addressed_invitation(request.user, pk)
        try:
            return self.answer(invitation)
        except ValidationError as error:
            invitation = _addressed_invitation(request.user, pk)  # as stored now
            return _render_invitation(request, invitation, errors=error.messages, status=400)

    def answer(self, invitation):
        raise NotImplementedError


class PartnerInvitationAcceptView(PartnerInvitationAnswerView):
    def answer(self, invitation):
        services.partner_invitation_accept(invitation=invitation, by=self.request.user)
        names = {
            "organisation": invitation.organisation.name,
            "title": in_reader_language(invitation.partnership, "title", get_language()).text,
        }
        messages.success(
            self.request, _("%(organisation)s is now a partner in “%(title)s”.") % names
        )
        return redirect(invitation.partnership)


class PartnerInvitationDeclineView(PartnerInvitationAnswerView):
    def answer(self, invitation):
        services.partner_invitation_decline(invitation=invitation, by=self.request.user)
        messages.success(self.request, _("You declined the invitation."))
        return redirect(invitation)


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


class PartnershipVisibilityView(LoginRequiredMixin, View):
    """Make a partnership public, private or a draft again: the lead partner's decision.

    GET is the confirmation page (what becomes public, or the warning that public data may
    already have been copied); POST does it. ``visibility`` is set per address in urls.py.
    """

    visibility = Visibility.PUBLIC

    def get(self, request, slug):
        partnership = get_partnership_for_user(
            request.user, slug, manage=True, queryset=Partnership.objects.for_detail()
        )
        context = {
            "partnership": partnership,
            "target": self.visibility,
            "target_label": Visibility(self.visibility).label,
        }
        return render(request, "partnerships/visibility_confirm.html", context)

    def post(self, request, slug):
        partnership = get_partnership_for_user(request.user, slug, manage=True)
        before = partnership.visibility
        services.partnership_set_visibility(
            partnership=partnership, visibility=self.visibility, by=request.user
        )
        messages.success(request, self.done_message(partnership, changed=before != self.visibility))
        return redirect(partnership)

    def done_message(self, partnership: Partnership, *, changed: bool) -> str:
        names = {"title": in_reader_language(partnership, "title", get_language()).text}
        if not changed:
            return _("Nothing changed: “%(title)s” already had this visibility.") % names
        if self.visibility == Visibility.PUBLIC:
            url = absolute_url(partnership.get_absolute_url())
            sentence = _(
                "“%(title)s” is now public: everyone can see it, and it is published as open "
                "data. Its public page is %(url)s"
            )
            # The address is a link to follow or share; the sentence and the title are
            # escaped here, so the message can be marked safe as a whole.
            link = format_html('<a href="{}">{}</a>', url, url)
            return mark_safe(  # noqa: S308
                escape(sentence) % {"title": escape(names["title"]), "url": link}
            )
        if self.visibility == Visibility.PRIVATE:
            return (
                _("“%(title)s” is now private: only its partners and people given access see it.")
                % names
            )
        return (
            _("“%(title)s” is a draft again: only its partners and people given access see it.")
            % names
        )


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
        form = OrganisationFilterForm(_filters_sent(request))
        organisations = Organisation.objects.for_list()
        if form.filters():
            rows, total = form.filter(organisations), None
        else:
            rows, total = organisations, selectors.organisation_count()
        page = _page(request, rows, count=total)
        context = {"form": form, "page": page, "query": _query_without_page(request)}
        return render(request, "partnerships/organisation_list.html", context)


class OrganisationDetailView(View):
    """An organisation's page: what it is, and its roles in the partnerships the reader
    sees. Visitors all see the same (its roles in public partnerships): their body is kept
    under the public version, per language and page number. A signed-in reader's roles
    include their own partnerships': rendered on every request."""

    body_template = "partnerships/_organisation_body.html"

    def get(self, request, slug):
        organisation = get_organisation_for_user(request.user, slug)
        can_edit = request.user.has_perm("partnerships.edit_organisation", organisation)

        def body() -> str:
            visible = Partnership.objects.visible_to(request.user)
            roles = organisation.partner_roles.filter(partnership__in=visible).for_roles()
            context = {
                "organisation": organisation,
                "page": _page(request, roles),
                "query": "",
                "can_edit": can_edit,
            }
            return render_to_string(self.body_template, context, request)

        number = request.GET.get("page", "1")
        # A page number as the pagination links write it (others are shown, not kept).
        keep = not request.user.is_authenticated and _PAGE_NUMBER.fullmatch(number)
        if keep and not can_edit and pagecache.fragments_enabled():
            name = f"organisation-body:{get_language()}:{organisation.pk}:{int(number)}"
            html = pagecache.remember(name, body)
        else:
            html = body()
        context = {"organisation": organisation, "body": mark_safe(html)}  # noqa: S308 - rendered above
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

    says_saved = False
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


class PartnershipTranslationView(TranslationView):
    url_name = "partnerships:translations"

    def get_record(self):
        return get_partnership_for_user(self.request.user, self.kwargs["slug"], write=True)

    def url_args(self, record):
        return [record.slug]

    def get_edit_url(self, record):
        return reverse("partnerships:edit", args=[record.slug])


class MilestoneTranslationView(TranslationView):
    url_name = "partnerships:milestone_translations"

    def get_record(self):
        partnership = get_partnership_for_user(self.request.user, self.kwargs["slug"], write=True)
        milestone = get_object_or_404(Milestone, partnership=partnership, pk=self.kwargs["pk"])
        milestone.partnership = partnership
        return milestone

    def url_args(self, record):
        return [record.partnership.slug, record.pk]

    def get_edit_url(self, record):
        return reverse("partnerships:milestone_edit", args=self.url_args(record))

    def get_back_url(self, record):
        return record.partnership.get_absolute_url()


class OrganisationTranslationView(TranslationView):
    url_name = "partnerships:organisation_translations"

    def get_record(self):
        return get_organisation_for_user(self.request.user, self.kwargs["slug"], manage=True)

    def url_args(self, record):
        return [record.slug]

    def get_edit_url(self, record):
        return reverse("partnerships:organisation_edit", args=[record.slug])
