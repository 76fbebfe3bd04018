"""Outcomes, indicators, readings and evidence in the admin: viewable, written only by services.

``scorecards.services`` guards all of it (targets on the right side of the baseline,
revisions with reasons, the maker/checker rule, verified readings never edited in
place), so nothing is added, changed or deleted here. The one repair is an action that
calls the service: returning a submitted reading stuck with a verifier, with a reason
kept in its history. Evidence files are not linked from here: they have no address
(``scorecards.storage``); the download view serves them.
"""

from functools import partial

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from harambee.admin import (
    ReadOnlyAdmin,
    ReadOnlyHistoryAdmin,
    ReadOnlyMixin,
    run_service,
    with_reason,
)
from scorecards import services
from scorecards.models import (
    DigestOutbox,
    DisaggregatedValue,
    Evidence,
    Indicator,
    IndicatorTransition,
    Lesson,
    Outcome,
    Reading,
    Revision,
    RubricLevel,
    ScorecardSnapshot,
    Target,
)


class IndicatorInline(ReadOnlyMixin, TranslationTabularInline):
    model = Indicator
    extra = 0
    fields = ["title", "measure", "reporting_partner", "baseline_value", "baseline_date"]


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyHistoryAdmin, TranslationAdmin):
    list_display = ["title", "partnership", "level", "intention", "order"]
    list_filter = ["level", "intention"]
    list_select_related = ["partnership"]
    search_fields = ["title", "partnership__title"]
    inlines = [IndicatorInline]


class TargetInline(ReadOnlyMixin, admin.TabularInline):
    model = Target
    extra = 0


class RubricLevelInline(ReadOnlyMixin, TranslationTabularInline):
    model = RubricLevel
    extra = 0
    fields = ["number", "label", "description"]


class RevisionInline(ReadOnlyMixin, admin.TabularInline):
    model = Revision
    extra = 0
    fields = ["kind", "old_value", "old_date", "new_value", "new_date", "reason", "by", "at"]
    readonly_fields = ["at"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyHistoryAdmin, TranslationAdmin):
    list_display = ["title", "outcome", "measure", "cumulative", "cadence_months"]
    list_filter = ["measure", "cumulative", "higher_is_better", "cadence_months"]
    list_select_related = ["outcome"]
    search_fields = ["title", "outcome__title", "outcome__partnership__title"]
    inlines = [TargetInline, RubricLevelInline, RevisionInline]


@admin.register(Target)
class TargetAdmin(ReadOnlyHistoryAdmin):
    list_display = ["indicator", "date", "value"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__title"]


@admin.register(RubricLevel)
class RubricLevelAdmin(ReadOnlyHistoryAdmin, TranslationAdmin):
    list_display = ["indicator", "number", "label"]
    list_select_related = ["indicator"]
    search_fields = ["label", "indicator__title"]


class DisaggregatedValueInline(ReadOnlyMixin, admin.TabularInline):
    model = DisaggregatedValue
    extra = 0


# Read-only, but Django still builds the form: say which scheme a bare address gets.
HTTPS_BY_DEFAULT = {models.URLField: {"assume_scheme": "https"}}


class EvidenceInline(ReadOnlyMixin, admin.TabularInline):
    model = Evidence
    extra = 0
    formfield_overrides = HTTPS_BY_DEFAULT
    fields = ["kind", "title", "original_name", "content_type", "size", "url", "is_public"]


@admin.register(Reading)
class ReadingAdmin(ReadOnlyHistoryAdmin):
    list_display = ["indicator", "period_end", "status", "value", "reported_for", "verified_at"]
    list_filter = ["status", "value_missing"]
    list_select_related = ["indicator", "reported_for"]
    search_fields = ["indicator__title", "reported_for__name"]
    inlines = [DisaggregatedValueInline, EvidenceInline]
    actions = ["return_reading"]

    @admin.action(
        description=gettext_lazy("Return to the reporter (asks for a reason)"),
        permissions=["repair"],
    )
    @with_reason(title=gettext_lazy("Return these readings to their reporters"))
    def return_reading(self, request, queryset, reason):
        """Submitted -> returned, through the service (so its checker rule holds); each
        reading on its own."""
        for reading in queryset:
            call = partial(services.reading_return, reading=reading, by=request.user, reason=reason)
            done = _("“%(reading)s”: returned to the reporter.") % {"reading": reading}
            run_service(self, request, reading, call, done=done)


@admin.register(DisaggregatedValue)
class DisaggregatedValueAdmin(ReadOnlyAdmin):
    list_display = ["reading", "dimension", "category", "value", "people"]
    list_filter = ["dimension"]
    list_select_related = ["reading__indicator"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "reading", "kind", "is_public", "size", "added_at"]
    list_filter = ["kind", "is_public"]
    list_select_related = ["reading__indicator"]
    search_fields = ["title", "original_name", "url"]
    formfield_overrides = HTTPS_BY_DEFAULT
    # The file has no address to link to (scorecards.storage): name it instead.
    fields = [
        "reading",
        "kind",
        "title",
        "original_name",
        "content_type",
        "size",
        "url",
        "is_public",
        "added_by",
        "added_at",
    ]
    readonly_fields = ["added_at"]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["indicator", "kind", "old_value", "new_value", "reason", "at"]
    list_filter = ["kind", "reason"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__title", "reason_text"]


@admin.register(Lesson)
class LessonAdmin(ReadOnlyHistoryAdmin, TranslationAdmin):
    list_display = ["title", "partnership", "kind", "is_public", "created_at"]
    list_filter = ["kind", "is_public"]
    list_select_related = ["partnership"]
    search_fields = ["title", "partnership__title"]


# Written by the daily recheck only: looked up here, never changed.
@admin.register(ScorecardSnapshot)
class ScorecardSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "day", "worst"]
    list_filter = ["day"]
    list_select_related = ["partnership"]


@admin.register(IndicatorTransition)
class IndicatorTransitionAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "day", "kind", "from_status", "to_status", "due"]
    list_filter = ["kind", "day"]
    list_select_related = ["indicator"]


@admin.register(DigestOutbox)
class DigestOutboxAdmin(ReadOnlyAdmin):
    list_display = ["user", "day", "subject", "sent_at"]
    list_filter = ["day"]
    list_select_related = ["user"]
    exclude = ["body"]
