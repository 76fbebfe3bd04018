"""Lessons' pages: the public "What worked and what did not", and the partners' own.

The public page lists the public lessons of public partnerships only, failures first,
filtered by kind, sector and country, and is cached for visitors (``public_page`` in
``urls_lessons.py``; every lesson change bumps the public version). Staff pages are for
the people inside a partnership (``scorecards.lessons`` says who records, edits and
publishes); every change is a POST through ``services.lesson_*``.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django_countries import countries

from harambee.content import in_reader_language
from harambee.generic import FormPageView, TranslationView
from partnerships.forms import ListFilterForm
from scorecards import lessons as read
from scorecards import services
from scorecards.models import Indicator, Lesson, LessonKind, Outcome

# --- forms -------------------------------------------------------------------------------------


class _TitleChoiceField(forms.ModelChoiceField):
    """Outcomes and indicators named in the reader's language."""

    def label_from_instance(self, obj) -> str:
        return str(in_reader_language(obj, "title", get_language()))


class LessonForm(forms.ModelForm):
    """A lesson's kind, its three texts, what it is about and whether it is public (the
    field is there for the lead's staff only: ``publisher``). Texts are written in the
    author's language; other languages are added on the lesson's translations page."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of lesson"),
        choices=[(kind.value, kind.label) for kind in read.KINDS_IN_ORDER],
        widget=forms.RadioSelect,
    )
    outcome = _TitleChoiceField(
        label=gettext_lazy("Outcome"),
        queryset=Outcome.objects.none(),
        required=False,
        empty_label=gettext_lazy("None"),
    )
    indicator = _TitleChoiceField(
        label=gettext_lazy("Indicator"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=gettext_lazy("None"),
        help_text=gettext_lazy("Link an outcome, one of its indicators, or neither."),
    )

    class Meta:
        model = Lesson
        fields = ["kind", "title", "what_happened", "why", "what_changed", "outcome", "indicator",
                  "is_public"]  # fmt: skip
        widgets = {
            "what_happened": forms.Textarea(attrs={"rows": 5}),
            "why": forms.Textarea(attrs={"rows": 4}),
            "what_changed": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "what_happened": gettext_lazy(
                "Say plainly what happened, a failure as much as a success."
            ),
            "why": gettext_lazy("What the partners think caused it."),
            "what_changed": gettext_lazy("What the partners do differently now, if anything."),
        }

    def __init__(self, *args, partnership, publisher: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = Outcome.objects.of(partnership)
        self.fields["indicator"].queryset = Indicator.objects.of(partnership).order_by(
            "outcome__order", "outcome_id", "order", "pk"
        )
        if not publisher:
            del self.fields["is_public"]


class LessonFilterForm(ListFilterForm):
    """The public page's filters, shaped as the partnership list's."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    sector = forms.ChoiceField(label=gettext_lazy("Sector"), required=False)

    def __init__(self, *args, country_codes=(), sectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            ("", _("Any kind")),
            *((kind.value, kind.label) for kind in read.KINDS_IN_ORDER),
        ]
        names = dict(countries)
        choices = sorted(((c, names[c]) for c in country_codes if c in names), key=lambda c: c[1])
        self.fields["country"].choices = [("", _("Any country")), *choices]
        self.fields["sector"].choices = [
            ("", _("Any sector")),
            *((sector.code, str(sector)) for sector in sectors),
        ]


# --- the public page ---------------------------------------------------------------------------


class LessonListView(View):
    """What worked and what did not, across the public partnerships. A fixed number of
    queries: the filter's countries and sectors, the lessons per kind (which also give
    the total), and one page of lessons with their partnership, outcome and indicator."""

    def get(self, request):
        country_codes, sectors = read.public_filter_choices()
        form = LessonFilterForm(request.GET or None, country_codes=country_codes, sectors=sectors)
        chosen = form.filters()
        lessons = read.filter_public(
            Lesson.objects.public(),
            country=chosen.get("country", ""),
            sector=chosen.get("sector", ""),
        )
        counts = read.kind_counts(lessons)
        kind = chosen.get("kind", "")
        if kind:
            lessons = lessons.filter(kind=kind)
        paginator = Paginator(read.for_list(lessons), settings.PAGE_SIZE)
        paginator.count = counts[kind] if kind else sum(counts.values())
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "form": form,
            "page": paginator.get_page(request.GET.get("page")),
            "query": query.urlencode(),
            "counts": [(LessonKind(key), count) for key, count in counts.items()],
            "kind": kind,
        }
        return render(request, "scorecards/lessons/lesson_list.html", context)


# --- the partners' pages -----------------------------------------------------------------------


def lessons_url(partnership, lesson: Lesson | None = None) -> str:
    url = reverse("scorecards:partnership_lessons", args=[partnership.slug])
    return f"{url}#lesson-{lesson.pk}" if lesson is not None else url


class PartnershipLessonsView(LoginRequiredMixin, View):
    """Every lesson of a partnership, internal ones too, for the people inside it, with
    what each may do (three permission queries, whatever the number of lessons)."""

    def get(self, request, slug):
        user = request.user
        partnership = read.get_lesson_partnership_for_user(user, slug)
        publisher = read.may_publish_lesson(user, partnership.pk)
        recorder = read.may_record_lesson(user, partnership.pk)
        lessons = list(read.for_list(Lesson.objects.filter(partnership=partnership)))
        for lesson in lessons:
            own = lesson.recorded_by_id == user.pk and not lesson.is_public and recorder
            lesson.can_edit = publisher or own
        context = {
            "partnership": partnership,
            "lessons": lessons,
            "can_record": recorder,
            "can_publish": publisher,
        }
        return render(request, "scorecards/lessons/partnership_lessons.html", context)


class LessonFormPageView(FormPageView):
    template_name = "scorecards/lessons/form.html"
    says_saved = False

    def partnership(self):
        return self.parent.partnership

    def get_success_url(self, lesson) -> str:
        return lessons_url(self.partnership(), lesson)

    def context(self) -> dict:
        return {"partnership": self.partnership()}


class LessonCreateView(LessonFormPageView):
    title = gettext_lazy("Record a lesson")

    def get_parent(self):
        return read.get_lesson_partnership_for_user(
            self.request.user, self.kwargs["slug"], record=True
        )

    def partnership(self):
        return self.parent

    def get_form(self, data=None):
        publisher = read.may_publish_lesson(self.request.user, self.parent.pk)
        return LessonForm(
            data, partnership=self.parent, publisher=publisher, initial=self._initial()
        )

    def _initial(self) -> dict:
        """What the "record a lesson" links of "my work" fill in: the kind and the
        outcome (or indicator) that went off track."""
        asked = self.request.GET
        initial = {name: asked[name] for name in ("outcome", "indicator") if asked.get(name)}
        if asked.get("kind") in LessonKind.values:
            initial["kind"] = asked["kind"]
        return initial

    def save(self, form):
        lesson = services.lesson_create(
            partnership=self.parent, by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("Lesson recorded."))
        return lesson


class LessonUpdateView(LessonFormPageView):
    title = gettext_lazy("Edit lesson")

    def get_parent(self):
        return read.get_lesson_for_user(self.request.user, self.kwargs["pk"], edit=True)

    def get_form(self, data=None):
        publisher = read.may_publish_lesson(self.request.user, self.parent.partnership_id)
        return LessonForm(
            data, instance=self.parent, partnership=self.parent.partnership, publisher=publisher
        )

    def save(self, form):
        lesson = services.lesson_update(
            lesson=self.parent, by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("Lesson saved."))
        return lesson

    def context(self) -> dict:
        can_remove = read.may_publish_lesson(self.request.user, self.parent.partnership_id)
        return {**super().context(), "lesson": self.parent, "can_remove": can_remove}


class LessonDeleteView(LoginRequiredMixin, View):
    """Remove a lesson (the lead's staff only)."""

    def post(self, request, pk):
        lesson = read.get_lesson_for_user(request.user, pk, remove=True)
        services.lesson_delete(lesson=lesson)
        messages.success(request, _("Lesson removed."))
        return redirect(lessons_url(lesson.partnership))


class LessonTranslationView(TranslationView):
    url_name = "scorecards:lesson_translations"

    def get_record(self):
        return read.get_lesson_for_user(self.request.user, self.kwargs["pk"], edit=True)

    def url_args(self, record):
        return [record.pk]

    def get_back_url(self, record):
        return lessons_url(record.partnership, record)

    def get_edit_url(self, record):
        return reverse("scorecards:lesson_edit", args=[record.pk])
