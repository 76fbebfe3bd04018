"""Communities, assessments, needs and assets in the admin: viewable, written only by services.

``communities.services`` guards all of it (counts within the assessment's total, validated
assessments read-only, the community's own priority order), so nothing is added, changed or
deleted here. Repairs are actions that call the services.
"""

from functools import partial

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from communities import services
from communities.models import (
    Community,
    CommunityAsset,
    CommunityRepresentative,
    Need,
    NeedsAssessment,
    ParticipantCount,
)
from harambee.admin import (
    ReadOnlyAdmin,
    ReadOnlyHistoryAdmin,
    ReadOnlyMixin,
    run_service,
    with_reason,
)


class RepresentativeInline(ReadOnlyMixin, admin.TabularInline):
    model = CommunityRepresentative
    extra = 0


class AssetInline(ReadOnlyMixin, TranslationTabularInline):
    model = CommunityAsset
    extra = 0
    fields = ["kind", "title", "assessment"]


@admin.register(Community)
class CommunityAdmin(ReadOnlyHistoryAdmin, TranslationAdmin):
    list_display = ["name", "country", "admin_area", "population_estimate", "updated_at"]
    list_filter = ["country"]
    search_fields = ["name", "admin_area"]
    inlines = [RepresentativeInline, AssetInline]


@admin.register(CommunityRepresentative)
class CommunityRepresentativeAdmin(ReadOnlyAdmin):
    list_display = ["name", "role", "community"]
    list_select_related = ["community"]
    search_fields = ["name", "community__name"]


class ParticipantCountInline(ReadOnlyMixin, admin.TabularInline):
    model = ParticipantCount
    extra = 0


class NeedInline(ReadOnlyMixin, TranslationTabularInline):
    model = Need
    extra = 0
    fields = ["priority_rank", "title", "severity", "status"]


@admin.register(NeedsAssessment)
class NeedsAssessmentAdmin(ReadOnlyHistoryAdmin, TranslationAdmin):
    list_display = ["title", "community", "date", "method", "status", "participants_total"]
    list_filter = ["status", "method", "led_by_community", "consent_recorded"]
    list_select_related = ["community"]
    search_fields = ["title", "community__name"]
    inlines = [ParticipantCountInline, NeedInline]
    actions = ["withdraw_validation"]

    @admin.action(
        description=gettext_lazy("Withdraw the validation (asks for a reason)"),
        permissions=["repair"],
    )
    @with_reason(title=gettext_lazy("Withdraw the validation of these assessments"))
    def withdraw_validation(self, request, queryset, reason):
        """Validated -> submitted, for a validation recorded by mistake; each on its own."""
        for assessment in queryset:
            withdraw = partial(
                services.assessment_validation_withdraw, assessment=assessment, reason=reason
            )
            done = _("“%(assessment)s”: validation withdrawn, the assessment is submitted again.")
            run_service(self, request, assessment, withdraw, done=done % {"assessment": assessment})


@admin.register(ParticipantCount)
class ParticipantCountAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "dimension", "category", "count"]
    list_filter = ["dimension"]
    list_select_related = ["assessment"]


@admin.register(Need)
class NeedAdmin(ReadOnlyHistoryAdmin, TranslationAdmin):
    list_display = ["title", "assessment", "priority_rank", "severity", "status"]
    list_filter = ["severity", "status"]
    list_select_related = ["assessment"]
    search_fields = ["title", "assessment__title", "assessment__community__name"]


@admin.register(CommunityAsset)
class CommunityAssetAdmin(ReadOnlyAdmin, TranslationAdmin):
    list_display = ["title", "kind", "community", "assessment"]
    list_filter = ["kind"]
    list_select_related = ["community", "assessment"]
    search_fields = ["title", "community__name"]
