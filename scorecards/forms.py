"""Forms of the scorecards staff pages: they take input as people type it; the services
in ``scorecards.services`` check it and save it.

Numbers (values, baselines, targets, group sizes) arrive as text: ``services.parse_number``
is the one rule for them, so "N/A" and words get its message, at the field.
"""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from communities.dimensions import DIMENSIONS, dimension_choices
from harambee import numbers
from harambee.forms import DateInput
from partnerships.models import Partner, Partnership
from scorecards import evidence, services
from scorecards.models import (
    NUMERIC_MEASURES,
    VALUE_MEASURES,
    Indicator,
    IndicatorMeasure,
    Outcome,
    Reading,
    RevisionReason,
)
from scorecards.selectors import eligible_needs
from scorecards.services.common import plain

RUBRIC_ROWS = 5


def number_input(**attrs) -> forms.TextInput:
    """A text box for a number: a phone shows its number keyboard, and "N/A" still
    reaches the service, which says why it is refused."""
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", **attrs})


def _partners(partnership: Partnership):
    return (
        Partner.objects.current()
        .filter(partnership=partnership)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


class NeedChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, need) -> str:
        return f"{need.title} · {need.assessment.community.name}"


class OutcomeForm(forms.ModelForm):
    """An outcome's text, level and intention, its partners and the needs it addresses.

    Its title and description are written in the author's language (the services record
    it as the original); other languages are added on its translations page."""

    needs = NeedChoiceField(
        label=_("Community needs addressed"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Outcome
        fields = ["title", "description", "level", "intention", "responsible_partners", "needs"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "intention": forms.RadioSelect,
            "responsible_partners": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_partners"].queryset = _partners(partnership)
        needs = eligible_needs(partnership).select_related("assessment__community")
        self.fields["needs"].queryset = needs.order_by(
            "assessment__community__name", "priority_rank", "pk"
        )
        self.fields["needs"].help_text = _(
            "Needs of the assessments validated with the community and linked to this "
            "partnership. An outcome that addresses no need is shown as a gap."
        )


class IndicatorForm(forms.ModelForm):
    """What an indicator measures, how, and who reports it. A new one also takes its
    baseline, its first target and, for ordinal and qualitative indicators, its rubric.

    On an existing indicator the baseline and targets change on their own pages (with a
    reason once readings exist); once readings exist the measure, direction, cumulation,
    band and rubric stay as they are (``read`` removes those fields)."""

    dimensions = forms.MultipleChoiceField(
        label=_("Disaggregation dimensions"),
        choices=dimension_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The groups each reading breaks its value down by, with each group's size."),
    )
    baseline_value = forms.CharField(
        label=_("Baseline value"),
        required=False,
        max_length=40,
        widget=number_input(),
        help_text=_("For ordinal indicators, the number of the rubric level."),
    )
    target_value = forms.CharField(
        label=_("Target value"),
        required=False,
        max_length=40,
        widget=number_input(),
        help_text=_("Add more dated targets on the indicator's page."),
    )
    target_date = forms.DateField(label=_("Target date"), widget=DateInput)
    target_comment = forms.CharField(
        label=_("Target comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Indicator
        fields = [
            "title",
            "measure",
            "unit_label",
            "higher_is_better",
            "cumulative",
            "baseline_date",
            "baseline_comment",
            "cadence_months",
            "band",
            "reporting_partner",
            "dimensions",
            "definition",
            "data_source",
            "means_of_verification",
            "collection_method",
        ]
        widgets = {
            "baseline_date": DateInput,
            "baseline_comment": forms.Textarea(attrs={"rows": 2}),
            "definition": forms.Textarea(attrs={"rows": 3}),
            "data_source": forms.Textarea(attrs={"rows": 2}),
            "means_of_verification": forms.Textarea(attrs={"rows": 2}),
            "collection_method": forms.Textarea(attrs={"rows": 2}),
            "band": number_input(),
        }
        field_classes = {"band": numbers.DecimalField}

    field_order = [
        "title",
        "measure",
        "unit_label",
        "higher_is_better",
        "cumulative",
        "baseline_value",
        "baseline_date",
        "baseline_comment",
        "target_value",
        "target_date",
        "target_comment",
        "cadence_months",
        "band",
        "reporting_partner",
        "dimensions",
    ]
    NEW_ONLY = ("baseline_value", "baseline_date", "baseline_comment", "target_value")
    NEW_ONLY += ("target_date", "target_comment")
    FIXED_ONCE_READ = ("measure", "higher_is_better", "cumulative", "band")

    def __init__(self, *args, partnership: Partnership, read: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reporting_partner"].queryset = _partners(partnership)
        self.fields["band"].widget.attrs["inputmode"] = "decimal"
        editing = self.instance.pk is not None
        if editing:
            for name in self.NEW_ONLY:
                del self.fields[name]
        if read:
            for name in self.FIXED_ONCE_READ:
                del self.fields[name]
        else:
            self._add_rubric()
        if editing and not read:
            for level in self.instance.levels.all():
                if 1 <= level.number <= RUBRIC_ROWS:
                    self.initial[f"level_{level.number}"] = level.label
                    self.initial[f"level_{level.number}_description"] = level.description

    def _add_rubric(self) -> None:
        for number in range(1, RUBRIC_ROWS + 1):
            label = forms.CharField(
                label=_("Rubric level %(number)s") % {"number": number},
                required=False,
                max_length=120,
            )
            if number == 1:
                label.help_text = _(
                    "Ordinal and qualitative indicators only: name each level, from the "
                    "lowest (1) up. Leave the rest empty."
                )
            self.fields[f"level_{number}"] = label
            self.fields[f"level_{number}_description"] = forms.CharField(
                label=_("Description of level %(number)s") % {"number": number},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    SECTIONS = (
        (
            _("What is measured"),
            ("title", "measure", "unit_label", "higher_is_better", "cumulative"),
        ),
        (
            _("Baseline and first target"),
            NEW_ONLY,
        ),
        (
            _("Reporting"),
            ("cadence_months", "band", "reporting_partner", "dimensions"),
        ),
        (
            _("Plan"),
            ("definition", "data_source", "means_of_verification", "collection_method"),
        ),
    )

    def sections(self) -> list[tuple[str, list]]:
        """The form's fields in the page's sections, without those this form lacks."""
        sections = []
        for title, names in self.SECTIONS:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                sections.append((title, fields))
        return sections

    def rubric_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith("level_")]

    @property
    def rubric_open(self) -> bool:
        """Show the rubric unfolded where it matters: an ordinal or qualitative
        indicator, or a problem with the rubric."""
        measure = self["measure"].value() if "measure" in self.fields else None
        scored = str(measure) in (str(IndicatorMeasure.ORDINAL), str(IndicatorMeasure.QUALITATIVE))
        return scored or any(field.errors for field in self.rubric_fields())

    @property
    def has_rubric_fields(self) -> bool:
        return "level_1" in self.fields

    def levels(self) -> list[dict]:
        """The rubric levels typed in, numbered by their row."""
        data = self.cleaned_data
        return [
            {
                "number": number,
                "label": data[f"level_{number}"].strip(),
                "description": data[f"level_{number}_description"].strip(),
            }
            for number in range(1, RUBRIC_ROWS + 1)
            if data.get(f"level_{number}", "").strip()
        ]

    def indicator_fields(self) -> dict:
        """What the services take besides the targets and levels."""
        rubric = {f"level_{n}" for n in range(1, RUBRIC_ROWS + 1)}
        rubric |= {f"{name}_description" for name in rubric}
        skip = {"target_value", "target_date", "target_comment", *rubric}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}

    def target(self) -> dict:
        data = self.cleaned_data
        return {
            "date": data["target_date"],
            "value": data["target_value"],
            "comment": data["target_comment"],
        }


class RevisionReasonMixin(forms.Form):
    """Why a baseline or a target changes: required once readings exist (the service
    says so), and the change is shown on the public scorecard."""

    reason = forms.ChoiceField(
        label=_("Reason for the change"),
        choices=[("", _("Choose a reason")), *RevisionReason.choices],
        required=False,
        help_text=_("Readings exist, so the change is kept and shown on the public scorecard."),
    )
    reason_text = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the reason is “Other”."),
    )

    def __init__(self, *args, with_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_reason:
            del self.fields["reason"]
            del self.fields["reason_text"]

    def reason_fields(self) -> dict:
        return {
            "reason": self.cleaned_data.get("reason", ""),
            "reason_text": self.cleaned_data.get("reason_text", ""),
        }


class BaselineForm(RevisionReasonMixin):
    baseline_value = forms.CharField(
        label=_("Baseline value"), required=False, max_length=40, widget=number_input()
    )
    baseline_date = forms.DateField(label=_("Baseline date"), widget=DateInput)
    baseline_comment = forms.CharField(
        label=_("Baseline comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    field_order = ["baseline_value", "baseline_date", "baseline_comment"]


class TargetForm(RevisionReasonMixin):
    value = forms.CharField(label=_("Target value"), required=False, max_length=40)
    date = forms.DateField(label=_("Target date"), widget=DateInput)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    field_order = ["value", "date", "comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].widget = number_input()


class TargetRemoveForm(RevisionReasonMixin):
    pass


class ReturnForm(forms.Form):
    # Not required here: the service refuses an empty reason with a message that says why.
    reason = forms.CharField(
        label=_("Reason for returning"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reporter reads this; it stays in the reading's history."),
    )


class EvidenceVisibilityForm(forms.Form):
    is_public = forms.BooleanField(required=False)


def _level_label(level) -> str:
    text = f"{level.number}. {level.label}"
    return f"{text} — {level.description}" if level.description else text


class ReadingForm(forms.Form):
    """One period's reading of ``indicator``, shaped by its measure: a number (with its
    breakdown by the indicator's dimensions), a rubric level, or a narrative; or no
    value, said so. Evidence (a file, a link, a video link) may come with it."""

    period_start = forms.DateField(label=_("Period start"), widget=DateInput)
    period_end = forms.DateField(label=_("Period end"), widget=DateInput)

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        measure = indicator.measure
        if indicator.uses_levels:
            self.fields["level"] = forms.ChoiceField(
                label=_("Rubric level"),
                choices=[
                    (str(level.number), _level_label(level)) for level in indicator.levels.all()
                ],
                required=False,
                widget=forms.RadioSelect,
            )
        elif measure in VALUE_MEASURES:
            self.fields["value"] = forms.CharField(
                label=_("Value"),
                required=False,
                max_length=40,
                widget=number_input(),
                help_text=self._value_help(),
            )
        else:
            self.fields["narrative"] = forms.CharField(
                label=_("Narrative"),
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=_("What changed in this period, in a few sentences."),
            )
        self.fields["value_missing"] = forms.BooleanField(
            label=_("No value for this period"),
            required=False,
            help_text=_("The value could not be collected: say why in the comment."),
        )
        self.cells = []
        if measure in NUMERIC_MEASURES and indicator.dimensions:
            self._add_breakdown()
        self.fields["comment"] = forms.CharField(
            label=_("Comment"),
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self._add_evidence()

    def _value_help(self):
        if self.indicator.measure == IndicatorMeasure.PERCENTAGE:
            return _("A percentage, from 0 to 100. Numbers only.")
        if self.indicator.unit_label:
            return _("In %(unit)s. Numbers only, for example 42 or 12.5.") % {
                "unit": self.indicator.unit_label
            }
        return _("Numbers only, for example 42 or 12.5.")

    def _add_breakdown(self) -> None:
        self.fields["people"] = forms.CharField(
            label=_("People the value is about"),
            required=False,
            max_length=20,
            widget=number_input(inputmode="numeric"),
            help_text=_(
                "Needed to break the value down: the groups hold no more people than this."
            ),
        )
        for key in self.indicator.dimensions:
            dimension = DIMENSIONS.get(key)
            if dimension is None:
                continue
            for category, label in dimension.categories:
                value_name, people_name = f"cell_{key}_{category}", f"cell_{key}_{category}_people"
                self.fields[value_name] = forms.CharField(
                    label=_("%(group)s: value") % {"group": label},
                    required=False,
                    max_length=40,
                    widget=number_input(),
                )
                self.fields[people_name] = forms.CharField(
                    label=_("%(group)s: people in the group") % {"group": label},
                    required=False,
                    max_length=20,
                    widget=number_input(inputmode="numeric"),
                )
                self.cells.append((key, category, value_name, people_name))

    def _add_evidence(self) -> None:
        types = ", ".join(evidence.allowed_extensions())
        self.fields["evidence_file"] = forms.FileField(
            label=_("Evidence file"),
            required=False,
            widget=forms.ClearableFileInput(
                attrs={"accept": ",".join(f".{ext}" for ext in evidence.allowed_extensions())}
            ),
            help_text=_(
                "Up to %(size)s: %(types)s. Files stay internal unless you mark them public."
            )
            % {"size": filesizeformat(evidence.max_bytes()), "types": types},
        )
        self.fields["evidence_link"] = forms.CharField(
            label=_("Link to evidence"),
            required=False,
            max_length=500,
            widget=forms.URLInput(attrs={"autocomplete": "url"}),
            help_text=_("A web address starting with https://, for example a shared report."),
        )
        self.fields["evidence_video"] = forms.CharField(
            label=_("Video link"),
            required=False,
            max_length=500,
            widget=forms.URLInput(attrs={"autocomplete": "url"}),
        )

    def breakdown_fields(self):
        """(dimension label, [(value field, people field)]) for the template."""
        groups: dict[str, list] = {}
        for key, _category, value_name, people_name in self.cells:
            groups.setdefault(key, []).append((self[value_name], self[people_name]))
        return [(DIMENSIONS[key].label, pairs) for key, pairs in groups.items()]

    def clean(self):
        cleaned = super().clean()
        # Which group's number is not a number: the service's rule, said at that box.
        for _key, _category, value_name, people_name in self.cells:
            for name in (value_name, people_name):
                try:
                    services.parse_number(cleaned.get(name), field=name)
                except forms.ValidationError as error:
                    self.add_error(name, error.messages)
        return cleaned

    def reading_fields(self) -> dict:
        """What ``reading_create`` and ``reading_update`` take, as typed."""
        data = self.cleaned_data
        fields = {
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "value_missing": data["value_missing"],
            "comment": data["comment"],
        }
        for name in ("value", "level", "narrative", "people"):
            if name in self.fields:
                fields[name] = data[name]
        return fields

    def disaggregations(self) -> list[dict]:
        data = self.cleaned_data
        rows = []
        for key, category, value_name, people_name in self.cells:
            value, people = data.get(value_name, ""), data.get(people_name, "")
            if value.strip() or people.strip():
                rows.append(
                    {"dimension": key, "category": category, "value": value, "people": people}
                )
        return rows

    def evidence(self) -> list[tuple[str, dict]]:
        """The evidence to add: (form field, ``evidence_add`` arguments)."""
        data = self.cleaned_data
        pieces = []
        if data.get("evidence_link", "").strip():
            pieces.append(("evidence_link", {"url": data["evidence_link"], "kind": "link"}))
        if data.get("evidence_video", "").strip():
            pieces.append(("evidence_video", {"url": data["evidence_video"], "kind": "video"}))
        # The file last: a refused link then leaves no stored file behind.
        if data.get("evidence_file"):
            pieces.append(("evidence_file", {"file": data["evidence_file"]}))
        return pieces

    @classmethod
    def initial_from(cls, reading: Reading) -> dict:
        """A reading's values as the form shows them (to edit or to correct it)."""
        initial = {
            "period_start": reading.period_start,
            "period_end": reading.period_end,
            "value": "" if reading.value is None else plain(reading.value),
            "level": str(reading.level.number) if reading.level_id else "",
            "narrative": reading.narrative,
            "people": "" if reading.people is None else str(reading.people),
            "value_missing": reading.value_missing,
            "comment": reading.comment,
        }
        for cell in reading.disaggregations.all():
            name = f"cell_{cell.dimension}_{cell.category}"
            initial[name] = "" if cell.value is None else plain(cell.value)
            initial[f"{name}_people"] = str(cell.people)
        return initial
