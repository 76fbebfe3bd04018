"""Forms validate input; the services in services.py do the saving."""

from __future__ import annotations

import html

from django import forms
from django.db.models import Q
from django.forms import ModelChoiceField
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from harambee import numbers
from harambee.forms import DateInput
from partnerships.codelists import (
    ActivityStatus,
    OrganisationType,
    currency_choices,
    find_currency,
)
from partnerships.models import (
    Contribution,
    MemberRole,
    Milestone,
    Organisation,
    Partner,
    PartnerInvitation,
    Partnership,
)


class EmptyIsNoneMixin:
    """Blank optional identifiers are stored as NULL so that uniqueness ignores them."""

    none_if_blank: tuple[str, ...] = ("iati_identifier",)

    def clean(self):
        cleaned = super().clean()
        for name in self.none_if_blank:
            if name in cleaned and not cleaned[name]:
                cleaned[name] = None
        return cleaned


class OrganisationForm(EmptyIsNoneMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "acronym", "type", "iati_identifier", "country", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.STAFF)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)


class PartnershipForm(EmptyIsNoneMixin, forms.ModelForm):
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("Your organisation that is accountable for the partnership."),
    )

    class Meta:
        model = Partnership
        fields = [
            "title",
            "problem",
            "summary",
            "sectors",
            "recipient_countries",
            "status",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "iati_identifier",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "sectors": forms.SelectMultiple(attrs={"size": 8}),
            "planned_start": DateInput,
            "planned_end": DateInput,
            "actual_start": DateInput,
            "actual_end": DateInput,
        }

    def __init__(self, *args, lead_choices=None, can_publish: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_publish:
            # The IATI identifier is the lead partner's decision, like publishing (which has its
            # own action, PartnershipVisibilityView): it lies in the lead's namespace, and an
            # answer about a clash there would tell another partner about the lead's other
            # partnerships.
            self.fields["iati_identifier"].disabled = True
            self.fields["iati_identifier"].help_text = _("Only the lead partner can change this.")
        if lead_choices is None:
            del self.fields["lead_organisation"]
        else:
            self.fields["lead_organisation"].queryset = lead_choices
            if len(lead_choices) == 1:
                self.fields["lead_organisation"].initial = lead_choices[0]

    def validate_unique(self):
        # The model's "already exists" for an IATI identifier would confirm a partnership the
        # user may not see; the service checks the identifier within the lead's namespace.
        exclude = {*self._get_validation_exclusions(), "iati_identifier"}
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


class PartnerForm(forms.ModelForm):
    """A current partner's role, responsibilities and dates, changed by the lead partner.

    New partners are invited (``PartnerInvitationForm``) and join when they accept.
    """

    class Meta:
        model = Partner
        fields = ["role", "responsibilities", "joined_on", "left_on", "is_lead"]
        widgets = {
            "joined_on": DateInput,
            "left_on": DateInput,
            "responsibilities": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.instance.partnership = partnership

    def _get_validation_exclusions(self):
        # Handing over the lead unsets the old lead first; the service checks the one-lead rule.
        return {*super()._get_validation_exclusions(), "is_lead"}

    def validate_unique(self):
        # The partnership is set by the view, not the form, so check the pair here.
        try:
            self.instance.validate_unique()
        except forms.ValidationError as error:
            self._update_errors(error)


class PartnerInvitationForm(forms.ModelForm):
    """Invite an organisation in one role; the service refuses what could never join."""

    class Meta:
        model = PartnerInvitation
        fields = ["organisation", "role", "responsibilities"]
        widgets = {"responsibilities": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        # The lead's own organisation cannot be invited, so it is not offered.
        lead = partnership.partners.filter(is_lead=True).values("organisation_id")
        self.fields["organisation"].queryset = Organisation.objects.exclude(pk__in=lead)
        self.fields["organisation"].help_text = _(
            "Its administrators are asked by email; it becomes a partner once one of them accepts."
        )


class ContributionForm(forms.ModelForm):
    currency = forms.CharField(
        label=_("Currency"),
        max_length=100,
        help_text=_(
            "Its ISO 4217 code or its name, for example KES or Kenyan shilling. The code is stored."
        ),
        widget=forms.TextInput(attrs={"list": "currencies", "autocomplete": "off"}),
    )

    class Meta:
        model = Contribution
        fields = ["partner", "kind", "description", "amount", "currency", "status", "date"]
        widgets = {"date": DateInput}
        field_classes = {"amount": numbers.DecimalField}

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partnership.partners.select_related("organisation")

    def clean_currency(self) -> str:
        return find_currency(self.cleaned_data["currency"])

    @staticmethod
    def currencies():
        return currency_choices()


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "date", "description", "achieved"]
        widgets = {"date": DateInput, "description": forms.Textarea(attrs={"rows": 3})}


class FilterSelect(forms.Select):
    """A select whose options are written here rather than by a template each: the same
    markup, for the list filters, which offer every sector and every country to each
    visitor of a list page (a template render per option cost more than the rest of the
    form). Choices in groups are left to Django."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        if any(isinstance(label, list | tuple) for _value, label in self.choices):
            return super().render(name, value, attrs, renderer)
        wanted = set(self.format_value(value))
        options = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            # As Django does: a single select marks its first matching option only.
            selected = option_value in wanted
            if selected:
                wanted = set()
            options.append(
                f'<option value="{html.escape(option_value)}"{" selected" if selected else ""}>'
                f"{html.escape(str(label))}</option>"
            )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        # Every value and label is escaped above.
        options_html = mark_safe("\n".join(options))  # noqa: S308
        return format_html('<select name="{}"{}>\n{}\n</select>', name, attributes, options_html)


class ListFilterForm(forms.Form):
    """The filters of a list page, from its query string."""

    def filters(self) -> dict:
        """The filters given, when all are valid (invalid ones are shown as errors, and then
        none applies): empty for the plain list, whose total is a site-wide figure."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class PartnershipFilterForm(ListFilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=FilterSelect)
    sector = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        widget=FilterSelect,
        # Said as the model choice it was, without echoing the value back.
        error_messages={
            "invalid_choice": ModelChoiceField.default_error_messages["invalid_choice"]
        },
    )
    status = forms.TypedChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *ActivityStatus.choices],
        coerce=int,
        required=False,
        empty_value=None,
        widget=FilterSelect,
    )
    organisation = forms.CharField(
        label=_("Partner organisation"),
        required=False,
        max_length=100,
        help_text=_("Name or acronym."),
    )

    def __init__(self, *args, countries=(), sectors=(), **kwargs):
        """``countries`` and ``sectors`` are the choices offered, (code, name) pairs in the
        reader's language (``selectors.filter_choices``)."""
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country")), *countries]
        self.fields["sector"].choices = [("", _("Any sector")), *sectors]

    def filter(self, queryset):
        """Apply the valid filters; invalid ones are shown as errors and ignored."""
        data = self.filters()
        if data.get("q"):
            queryset = queryset.search(data["q"])
        if data.get("country"):
            queryset = queryset.in_country(data["country"])
        if data.get("sector"):
            queryset = queryset.filter(sectors=data["sector"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("organisation"):
            queryset = queryset.filter(
                pk__in=Partner.objects.filter(
                    Q(organisation__slug=data["organisation"])
                    | Q(organisation__name__icontains=data["organisation"])
                    | Q(organisation__acronym__iexact=data["organisation"])
                ).values("partnership_id")
            )
        return queryset


class OrganisationFilterForm(ListFilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    type = forms.TypedChoiceField(
        label=_("Type"),
        choices=[("", _("Any type")), *OrganisationType.choices],
        coerce=int,
        required=False,
        empty_value=None,
        widget=FilterSelect,
    )

    def filter(self, queryset):
        data = self.filters()
        if data.get("q"):
            q = data["q"]
            queryset = queryset.filter(Q(name__icontains=q) | Q(acronym__iexact=q))
        if data.get("type"):
            queryset = queryset.filter(type=data["type"])
        return queryset
