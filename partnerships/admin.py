"""Organisations and partnerships in the admin: viewable, written only by the services.

Sectors are a code list and stay editable. Everything else here is guarded by
``partnerships.services`` (one lead partner, an administrator left in every organisation,
grants written and revoked in one place), so it is read-only, with repairs as actions
that call those services. Organisations are read-only too: superusers edit them on the
site, through ``organisation_update``.
"""

from functools import partial

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TranslationAdmin

from harambee import pagecache
from harambee.admin import ReadOnlyAdmin, ReadOnlyHistoryAdmin, ReadOnlyMixin, run_service
from partnerships import services
from partnerships.models import (
    AccessGrant,
    Contribution,
    Invitation,
    MemberRole,
    Milestone,
    Organisation,
    OrganisationMember,
    Partner,
    PartnerInvitation,
    Partnership,
    Sector,
)


@admin.register(Sector)
class SectorAdmin(TranslationAdmin):
    """Sectors are a code list edited here, not through a service: each change replaces the
    cached public pages, which show sector names and the list's sector filter."""

    list_display = ["code", "name", "category"]
    search_fields = ["code", "name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        pagecache.bump()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        pagecache.bump()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        pagecache.bump()


class MemberInline(ReadOnlyMixin, admin.TabularInline):
    model = OrganisationMember
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "organisation")


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyHistoryAdmin, TranslationAdmin):
    list_display = ["name", "acronym", "type", "country", "iati_identifier"]
    list_filter = ["type", "country"]
    search_fields = ["name", "acronym", "iati_identifier"]
    inlines = [MemberInline]
    # As on the site's organisation form (Django 6 makes https the default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(OrganisationMember)
class OrganisationMemberAdmin(ReadOnlyHistoryAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "organisation__name"]
    actions = ["make_administrator"]

    @admin.action(
        description=gettext_lazy("Make administrator of their organisation"),
        permissions=["repair"],
    )
    def make_administrator(self, request, queryset):
        """For an organisation whose only administrator has left."""
        for member in queryset:
            if member.role == MemberRole.ADMIN:
                already = _("“%(member)s” is already an administrator.") % {"member": member}
                self.message_user(request, already, level=messages.INFO)
                continue
            set_role = partial(
                services.organisation_member_set_role, member=member, role=MemberRole.ADMIN
            )
            done = _("“%(member)s” is now an administrator.") % {"member": member}
            run_service(self, request, member, set_role, done=done)


class PartnerInline(ReadOnlyMixin, admin.TabularInline):
    model = Partner
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "partnership")


class MilestoneInline(ReadOnlyMixin, admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "date", "achieved"]


@admin.register(Partnership)
class PartnershipAdmin(ReadOnlyHistoryAdmin, TranslationAdmin):
    list_display = ["title", "status", "visibility", "iati_identifier", "updated_at"]
    list_filter = ["visibility", "status", "sectors"]
    search_fields = ["title", "iati_identifier"]
    inlines = [PartnerInline, MilestoneInline]


@admin.register(Partner)
class PartnerAdmin(ReadOnlyHistoryAdmin):
    list_display = ["organisation", "partnership", "role", "is_lead", "joined_on", "left_on"]
    list_filter = ["role", "is_lead"]
    list_select_related = ["organisation", "partnership"]
    search_fields = ["organisation__name", "partnership__title"]
    actions = ["make_lead"]

    @admin.action(description=gettext_lazy("Make the lead partner"), permissions=["repair"])
    def make_lead(self, request, queryset):
        """Hand the partnership's lead to the one selected partner."""
        if queryset.count() != 1:
            refusal = _("Select exactly one partner to make the lead. Nothing was changed.")
            self.message_user(request, refusal, level=messages.ERROR)
            return
        partner = queryset.get()
        if partner.is_lead:
            already = _("“%(partner)s” already leads “%(partnership)s”.")
            self.message_user(request, already % _names(partner), level=messages.INFO)
            return
        hand_over = partial(services.partner_update, partner=partner, is_lead=True)
        done = _("“%(partner)s” now leads “%(partnership)s”.") % _names(partner)
        run_service(self, request, partner, hand_over, done=done)


def _names(partner: Partner) -> dict[str, object]:
    return {"partner": partner, "partnership": partner.partnership}


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["partner", "kind", "amount", "currency", "status", "date"]
    list_filter = ["kind", "status", "currency"]
    list_select_related = ["partner__organisation"]
    search_fields = ["partner__organisation__name", "partner__partnership__title"]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyHistoryAdmin, TranslationAdmin):
    list_display = ["title", "partnership", "date", "achieved"]
    list_filter = ["achieved"]
    list_select_related = ["partnership"]
    search_fields = ["title", "partnership__title"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "organisation", "role", "sent_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation"]
    # The token accepts the invitation: it is never shown, not even to superusers.
    exclude = ["token"]


@admin.register(PartnerInvitation)
class PartnerInvitationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["organisation", "partnership", "role", "status", "sent_at"]
    list_filter = ["status", "role"]
    search_fields = ["organisation__name", "partnership__title"]
    list_select_related = ["organisation", "partnership"]


@admin.register(AccessGrant)
class AccessGrantAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "partnership",
        "user",
        "organisation",
        "capacity",
        "granted_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["capacity", "revoked_at"]
    list_select_related = ["partnership", "user", "organisation"]
    search_fields = ["partnership__title", "user__email", "organisation__name"]
    actions = ["revoke"]

    @admin.action(description=gettext_lazy("Revoke the selected grants"), permissions=["repair"])
    def revoke(self, request, queryset):
        """End the grants now; each keeps who revoked it."""
        for grant in queryset:
            if grant.revoked_at is not None:
                already = _("“%(grant)s” was already revoked.") % {"grant": grant}
                self.message_user(request, already, level=messages.INFO)
                continue
            revoke = partial(services.grant_revoke, grant=grant, by=request.user)
            done = _("“%(grant)s” is revoked.") % {"grant": grant}
            run_service(self, request, grant, revoke, done=done)
