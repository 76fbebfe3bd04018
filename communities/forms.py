"""Forms validate input (pages and spreadsheet rows); services.py does the saving."""

from __future__ import annotations

import functools

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from communities.breakdown import breakdown_problems
from communities.dimensions import DIMENSIONS, all_cells, is_known
from communities.models import (
    MAX_PEOPLE,
    MAX_RANK,
    TITLE_MAX_LENGTH,
    AffectedGroup,
    Community,
    CommunityAsset,
    CommunityRepresentative,
    Need,
    NeedsAssessment,
    NeedStatus,
    Severity,
    ValidationMethod,
)
from harambee import numbers
from harambee.forms import DateInput
from harambee.i18n import find_language, find_languages, language_names_text, language_suggestions
from partnerships.access import organisations_of, partnerships_of
from partnerships.models import Organisation, Partnership


class LanguageListField(forms.CharField):
    """Languages by name (in the page's language or English) or ISO 639 code, separated by
    commas, cleaned to their codes in the order given: "Swahili, Giryama" -> "sw,nyf".

    A text box rather than a list to pick from: it keeps the order (the first language is
    the one assessments default to), and the ~7,900 ISO 639-3 names are searched on the
    server instead of being sent to every phone.
    """

    def clean(self, value) -> str:
        value = super().clean(value)
        return ",".join(find_languages(value)) if value else ""


class LanguageField(forms.CharField):
    """One language by name or ISO 639 code, cleaned to its code: "Kiswahili" -> "sw"."""

    def clean(self, value) -> str:
        value = super().clean(value)
        return find_language(value) if value else ""


class CommunityForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Your organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("The organisation you work for that works with this community."),
    )
    languages = LanguageListField(
        label=_("Languages"),
        required=False,
        max_length=500,
        help_text=_(
            "Their names or ISO 639 codes, the main language first, separated by commas: "
            "for example Swahili, Giryama."
        ),
    )

    class Meta:
        model = Community
        fields = [
            "name",
            "country",
            "admin_area",
            "languages",
            "population_estimate",
            "latitude",
            "longitude",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        field_classes = {
            "population_estimate": numbers.IntegerField,
            "latitude": numbers.DecimalField,
            "longitude": numbers.DecimalField,
        }

    def __init__(self, *args, organisation_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.languages:
            self.initial["languages"] = language_names_text(self.instance.languages.split(","))
        if organisation_choices is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisation_choices
            if len(organisation_choices) == 1:
                self.fields["organisation"].initial = organisation_choices[0]


class RepresentativeForm(forms.ModelForm):
    class Meta:
        model = CommunityRepresentative
        fields = ["name", "role", "phone", "email"]


class AssessmentForm(forms.ModelForm):
    language = LanguageField(
        label=_("Language"),
        max_length=100,
        help_text=_("The language the assessment was held in: its name or ISO 639 code."),
        widget=forms.TextInput(attrs={"list": "languages", "autocomplete": "off"}),
    )

    class Meta:
        model = NeedsAssessment
        fields = [
            "title",
            "date",
            "method",
            "facilitating_organisation",
            "partnership",
            "language",
            "led_by_community",
            "consent_recorded",
            "internal_notes",
        ]
        widgets = {"date": DateInput, "internal_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.community = community
        mine = organisations_of(user)
        current = Organisation.objects.filter(pk=self.instance.facilitating_organisation_id)
        organisations = (mine | community.organisations.all() | current).distinct()
        self.fields["facilitating_organisation"].queryset = organisations
        if not self.instance.pk:
            self._preselect(mine, community)
        elif self.instance.language:
            self.initial["language"] = language_names_text([self.instance.language])
        linked = self.instance.partnership_id
        if linked and not Partnership.objects.visible_to(user).filter(pk=linked).exists():
            # Linked by another organisation to a partnership this user may not see: keep
            # the link, and neither show nor offer it.
            del self.fields["partnership"]
        else:
            choices = partnerships_of(user) | Partnership.objects.filter(pk=linked)
            self.fields["partnership"].queryset = choices.distinct()

    def _preselect(self, mine, community: Community) -> None:
        """A new assessment: the user's only organisation facilitates it, in the community's
        first language, unless they say otherwise."""
        # model_to_dict put the new instance's empty values in self.initial.
        if len(mine) == 1 and not self.initial.get("facilitating_organisation"):
            self.initial["facilitating_organisation"] = mine[0].pk
        if community.languages and not self.initial.get("language"):
            first = community.languages.split(",")[0]
            self.initial["language"] = language_names_text([first])

    def language_suggestions(self) -> list[str]:
        """The names the language box suggests: the community's languages, then common ones."""
        return language_suggestions(self.instance.community.languages.split(","))


class ParticipantsForm(forms.Form):
    """The participant grid: the total, then one number per dimension and category.

    A blank box means "not recorded"; 0 means nobody in that category took part.
    """

    total = numbers.IntegerField(label=_("People who took part"), min_value=0, max_value=MAX_PEOPLE)

    def __init__(self, *args, assessment: NeedsAssessment | None = None, counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        counts = counts or {}
        if assessment is not None:
            self.fields["total"].initial = assessment.participants_total
        for dimension, category in all_cells():
            self.fields[self.field_name(dimension, category)] = numbers.IntegerField(
                label=DIMENSIONS[dimension].category_label(category),
                min_value=0,
                max_value=MAX_PEOPLE,
                required=False,
                initial=counts.get((dimension, category)),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            )

    @staticmethod
    def field_name(dimension: str, category: str) -> str:
        return f"{dimension}__{category}"

    def groups(self):
        """(dimension label, [bound fields]) for the template grid."""
        return [
            (d.label, [self[self.field_name(d.key, c)] for c in d.category_keys()])
            for d in DIMENSIONS.values()
        ]

    def counts(self) -> dict[tuple[str, str], int]:
        return {
            (d, c): self.cleaned_data[self.field_name(d, c)]
            for d, c in all_cells()
            if self.cleaned_data.get(self.field_name(d, c)) is not None
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("total") is not None:
            for problem in breakdown_problems(cleaned["total"], self.counts()):
                self.add_error(None, problem)
        return cleaned


class NeedForm(forms.ModelForm):
    groups_affected = forms.MultipleChoiceField(
        label=_("Groups affected"),
        choices=AffectedGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Need
        fields = [
            "title",
            "description",
            "priority_rank",
            "severity",
            "groups_affected",
            "people_affected",
            "sector",
            "status",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {
            "priority_rank": numbers.IntegerField,
            "people_affected": numbers.IntegerField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's PositiveIntegerField allows 0; ranks start at 1, as imports say.
        self.fields["priority_rank"].min_value = 1
        if not self.instance.pk:
            self.fields["priority_rank"].required = False
            self.fields["priority_rank"].help_text = _(
                "The community's own ranking, 1 is the most important. Leave empty to add it last."
            )


class AssetForm(forms.ModelForm):
    class Meta:
        model = CommunityAsset
        fields = ["kind", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ValidationForm(forms.Form):
    """How and when the community confirmed an assessment: asked before it is validated."""

    validation_method = forms.ChoiceField(
        label=_("How the community confirmed the needs and their order"),
        choices=ValidationMethod.choices,
        widget=forms.RadioSelect,
    )
    validated_on = forms.DateField(
        label=_("Date the community confirmed them"),
        widget=DateInput,
        help_text=_("It may be earlier than today."),
    )
    validation_note = forms.CharField(
        label=_("Validation note (internal)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Internal: who confirmed it and what they changed. Never published."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("A CSV file (UTF-8) or an Excel workbook (.xlsx)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


# --- spreadsheet rows ------------------------------------------------------------------------


@functools.cache
def _choice_lookup(choices_class, language: str | None) -> dict[str, str]:
    # Built once per language: import files run this for every cell of 10,000 rows.
    lookup = {str(label).lower(): key for key, label in choices_class.choices}
    lookup.update({key: key for key in choices_class.values})
    return lookup


def _choice(value: str, choices_class) -> str:
    """Accept a choice by its key or by its (translated) label, in any case; "" if unknown."""
    return _choice_lookup(choices_class, get_language()).get(value.strip().lower(), "")


class NeedRowForm(forms.Form):
    """One row of a needs spreadsheet. ``sector_codes`` avoids a query per row."""

    title = forms.CharField(max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(required=False)
    sector = forms.CharField(required=False, max_length=5)
    priority_rank = numbers.IntegerField(min_value=1, max_value=MAX_RANK)
    severity = forms.CharField()
    groups_affected = forms.CharField(required=False)
    people_affected = numbers.IntegerField(min_value=0, max_value=MAX_PEOPLE, required=False)
    status = forms.CharField(required=False)

    def __init__(self, *args, sector_codes: frozenset[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.sector_codes = sector_codes

    def clean_sector(self) -> str | None:
        code = self.cleaned_data["sector"].strip()
        if not code:
            return None
        if code not in self.sector_codes:
            raise forms.ValidationError(
                _("“%(code)s” is not a known OECD DAC sector code (five digits, e.g. 22040)."),
                params={"code": code},
            )
        return code

    def clean_severity(self) -> str:
        severity = _choice(self.cleaned_data["severity"], Severity)
        if not severity:
            raise forms.ValidationError(
                _("Use one of: %(choices)s.") % {"choices": ", ".join(Severity.values)}
            )
        return severity

    def clean_status(self) -> str:
        if not self.cleaned_data["status"].strip():
            return NeedStatus.OPEN
        status = _choice(self.cleaned_data["status"], NeedStatus)
        if not status:
            raise forms.ValidationError(
                _("Use one of: %(choices)s.") % {"choices": ", ".join(NeedStatus.values)}
            )
        return status

    def clean_groups_affected(self) -> list[str]:
        groups, unknown = [], []
        for part in self.cleaned_data["groups_affected"].split(";"):
            if part.strip():
                group = _choice(part, AffectedGroup)
                (groups if group else unknown).append(group or part.strip())
        if unknown:
            raise forms.ValidationError(
                _("Unknown group(s): %(groups)s. Use: %(choices)s, separated by ;.")
                % {"groups": ", ".join(unknown), "choices": ", ".join(AffectedGroup.values)}
            )
        return list(dict.fromkeys(groups))


class ParticipantRowForm(forms.Form):
    """One row of a participants spreadsheet; ``total,total,N`` gives the number who took part."""

    dimension = forms.CharField()
    category = forms.CharField()
    count = numbers.IntegerField(min_value=0, max_value=MAX_PEOPLE)

    def clean(self):
        cleaned = super().clean()
        dimension = cleaned.get("dimension", "").strip().lower()
        category = cleaned.get("category", "").strip().lower()
        if "dimension" not in cleaned or "category" not in cleaned:
            return cleaned
        cleaned["dimension"], cleaned["category"] = dimension, category
        if (dimension, category) == ("total", "total"):
            return cleaned
        if dimension not in DIMENSIONS:
            self.add_error(
                "dimension",
                _("Unknown dimension. Use one of: %(choices)s, or total.")
                % {"choices": ", ".join(DIMENSIONS)},
            )
        elif not is_known(dimension, category):
            self.add_error(
                "category",
                _("Unknown category for %(dimension)s. Use one of: %(choices)s.")
                % {
                    "dimension": dimension,
                    "choices": ", ".join(DIMENSIONS[dimension].category_keys()),
                },
            )
        return cleaned
