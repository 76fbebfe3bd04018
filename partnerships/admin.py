from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from partnerships.models import (
    Contribution,
    Invitation,
    Milestone,
    Organisation,
    OrganisationMember,
    Partner,
    Partnership,
    Sector,
)


@admin.register(Sector)
class SectorAdmin(TranslationAdmin):
    list_display = ["code", "name", "category"]
    search_fields = ["code", "name"]


class MemberInline(admin.TabularInline):
    model = OrganisationMember
    extra = 0
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "organisation")


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "acronym", "type", "country", "iati_identifier"]
    list_filter = ["type", "country"]
    search_fields = ["name", "acronym", "iati_identifier"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MemberInline]


@admin.register(OrganisationMember)
class OrganisationMemberAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    autocomplete_fields = ["organisation"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "partnership")


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "date", "achieved"]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "status", "visibility", "iati_identifier", "updated_at"]
    list_filter = ["visibility", "status", "sectors"]
    search_fields = ["title", "iati_identifier"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["sectors"]
    inlines = [PartnerInline, MilestoneInline]


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "partnership", "role", "is_lead", "joined_on", "left_on"]
    list_filter = ["role", "is_lead"]
    search_fields = ["organisation__name", "partnership__title"]
    autocomplete_fields = ["organisation", "partnership"]


@admin.register(Contribution)
class ContributionAdmin(SimpleHistoryAdmin):
    list_display = ["partner", "kind", "amount", "currency", "status", "date"]
    list_filter = ["kind", "status", "currency"]
    search_fields = ["partner__organisation__name", "partner__partnership__title"]
    autocomplete_fields = ["partner"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "partnership", "date", "achieved"]
    list_filter = ["achieved"]
    search_fields = ["title", "partnership__title"]
    autocomplete_fields = ["partnership"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "sent_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation"]
    exclude = ["token"]
    autocomplete_fields = ["organisation", "invited_by"]
