from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from communities.models import (
    Community,
    CommunityAsset,
    CommunityRepresentative,
    Need,
    NeedsAssessment,
    ParticipantCount,
)


class RepresentativeInline(admin.TabularInline):
    model = CommunityRepresentative
    extra = 0


class AssetInline(TranslationTabularInline):
    model = CommunityAsset
    extra = 0
    fields = ["kind", "title", "assessment"]
    autocomplete_fields = ["assessment"]


@admin.register(Community)
class CommunityAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "country", "admin_area", "population_estimate", "updated_at"]
    list_filter = ["country"]
    search_fields = ["name", "admin_area"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["organisations"]
    inlines = [RepresentativeInline, AssetInline]


@admin.register(CommunityRepresentative)
class CommunityRepresentativeAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "community"]
    search_fields = ["name", "community__name"]
    autocomplete_fields = ["community"]


class ParticipantCountInline(admin.TabularInline):
    model = ParticipantCount
    extra = 0


class NeedInline(TranslationTabularInline):
    model = Need
    extra = 0
    fields = ["priority_rank", "title", "severity", "status"]


@admin.register(NeedsAssessment)
class NeedsAssessmentAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "community", "date", "method", "status", "participants_total"]
    list_filter = ["status", "method", "led_by_community", "consent_recorded"]
    search_fields = ["title", "community__name"]
    autocomplete_fields = ["community", "partnership", "facilitating_organisation"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [ParticipantCountInline, NeedInline]


@admin.register(ParticipantCount)
class ParticipantCountAdmin(admin.ModelAdmin):
    list_display = ["assessment", "dimension", "category", "count"]
    list_filter = ["dimension"]
    autocomplete_fields = ["assessment"]


@admin.register(Need)
class NeedAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "assessment", "priority_rank", "severity", "status"]
    list_filter = ["severity", "status"]
    search_fields = ["title", "assessment__title", "assessment__community__name"]
    autocomplete_fields = ["assessment", "sector"]


@admin.register(CommunityAsset)
class CommunityAssetAdmin(TranslationAdmin):
    list_display = ["title", "kind", "community", "assessment"]
    list_filter = ["kind"]
    search_fields = ["title", "community__name"]
    autocomplete_fields = ["community", "assessment"]
