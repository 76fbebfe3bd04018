"""Digits of other scripts in number fields: one rule (harambee.numbers) for pages and imports.

Each input is tried in a page form and in a spreadsheet import (a CSV file and an .xlsx
text cell, through read_table and validate_rows with the real row forms): both give the
same cleaned value or the same refusal, and that answer is the one written down here.
"""

import csv
import io
import sys
import unicodedata
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from communities.forms import NeedForm, NeedRowForm, ParticipantRowForm, ParticipantsForm
from harambee import numbers
from harambee.numbers import apply_digit_rule, normalise_digits
from harambee.tabular import read_table, validate_rows
from partnerships.forms import ContributionForm

MIXED = "Write all the digits of this number in the same script, for example 125 or ١٢٥."
WHOLE = "Enter a whole number."
NUMBER = "Enter a number."
AT_LEAST_0 = "Ensure this value is greater than or equal to 0."
AT_LEAST_1 = "Ensure this value is greater than or equal to 1."

# (typed, what a whole-number field makes of it: the number, or the error message)
WHOLE_NUMBERS = [
    ("123", 123),
    ("１２３", 123),  # full-width
    ("١٢٣", 123),  # Arabic-Indic
    ("۱۲۳", 123),  # Extended Arabic-Indic (Persian, Urdu)
    ("१२३", 123),  # Devanagari
    ("১২৩", 123),  # Bengali
    ("𝟙𝟚𝟛", 123),  # mathematical double-struck, still decimal digits
    (" ١٢ ", 12),
    ("\u00a0१२\u00a0", 12),  # no-break spaces around the number
    ("\u3000１２\u3000", 12),  # ideographic spaces
    ("٣.٠", 3),  # a whole number written with a decimal point, as Django accepts "3.0"
    ("1٢3", MIXED),
    ("１2", MIXED),
    ("١۲", MIXED),  # the two Arabic digit sets, which share most shapes
    ("1৪", MIXED),  # Bengali four looks like an eight
    ("٣٫٥", WHOLE),  # Arabic decimal separator: a decimal, so not a whole number
    ("²", WHOLE),  # superscripts are not digits (NFKC would make "1²" into 12)
    ("1²", WHOLE),
    ("①", WHOLE),
    ("五", WHOLE),
    ("1,234", WHOLE),
    ("12\u00a0345", WHOLE),  # thousands separated by a no-break space
    ("12\u202f345", WHOLE),  # ... by a narrow no-break space
    ("١٢٬٣٤٥", WHOLE),  # Arabic thousands separator
    ("\u22123", WHOLE),  # minus sign
    ("\u200f١٢٣", WHOLE),  # an invisible right-to-left mark stays an error, as before
]
# The limits apply to the number the digits make, whatever their script.
NEED_LIMITS = [
    ("priority_rank", "٠", AT_LEAST_1),
    ("priority_rank", "१००००१", "Ensure this value is less than or equal to 100000."),
    ("people_affected", "-٣", AT_LEAST_0),
]

# (typed, what the contribution amount makes of it)
AMOUNTS = [
    ("1500.50", Decimal("1500.50")),
    ("١٥٠٠٫٥٠", Decimal("1500.50")),
    ("१५००.५", Decimal("1500.5")),
    ("１５００", Decimal("1500")),
    ("1٥00", MIXED),
    ("1,500.50", NUMBER),
    ("1\u00a0500", NUMBER),
    ("½", NUMBER),
]


def outcome(form: forms.BaseForm, name: str):
    """What the form made of one field: its cleaned value, or its error messages."""
    form.is_valid()
    if name in form.errors:
        return form.errors[name]
    return form.cleaned_data[name]


def page_outcome(form: forms.BaseForm, name: str):
    # Page forms get the rule by declaring harambee.numbers fields. apply_digit_rule gives
    # a form not yet switched exactly those fields, and changes nothing on one that is.
    apply_digit_rule(form)
    return outcome(form, name)


def csv_upload(headers, row):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([headers, row])
    return SimpleUploadedFile("import.csv", buffer.getvalue().encode())


def xlsx_upload(headers, row):
    workbook = Workbook()
    workbook.active.append(headers)
    workbook.active.append(row)  # every cell is a text cell, as typed on a phone
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("import.xlsx", buffer.getvalue())


def import_outcome(make_upload, form_class, headers, row, name, **form_kwargs):
    """What the import made of one column of a one-row file."""
    cleaned, errors = validate_rows(
        read_table(make_upload(headers, row)), form_class, form_kwargs=form_kwargs
    )
    messages = [error.message for error in errors if error.column == name]
    return messages if messages else cleaned[0][name]


def expected(answer):
    return [answer] if isinstance(answer, str) else answer


UPLOADS = pytest.mark.parametrize("make_upload", [csv_upload, xlsx_upload], ids=["csv", "xlsx"])


# --------------------------------------------------------------------------- pages and imports


def need_outcomes(make_upload, name, typed):
    """The page's and the import's answer for one number of a need."""
    page = page_outcome(NeedForm(data={name: typed}), name)
    row = {"title": "Water", "priority_rank": "1", "severity": "high", name: typed}
    imported = import_outcome(
        make_upload, NeedRowForm, list(row), list(row.values()), name, sector_codes=frozenset()
    )
    return page, imported


@pytest.mark.django_db
@UPLOADS
@pytest.mark.parametrize(("typed", "answer"), WHOLE_NUMBERS)
@pytest.mark.parametrize("name", ["priority_rank", "people_affected"])
def test_a_need_number_reads_the_same_on_the_page_and_in_an_import(
    make_upload, typed, answer, name
):
    page, imported = need_outcomes(make_upload, name, typed)

    assert page == imported == expected(answer)


@pytest.mark.django_db
@UPLOADS
@pytest.mark.parametrize(("name", "typed", "answer"), NEED_LIMITS)
def test_a_need_number_out_of_range_is_refused_alike_in_any_script(
    make_upload, name, typed, answer
):
    page, imported = need_outcomes(make_upload, name, typed)

    assert page == imported == expected(answer)


@UPLOADS
@pytest.mark.parametrize(("typed", "answer"), WHOLE_NUMBERS)
def test_a_participant_count_reads_the_same_on_the_page_and_in_an_import(
    make_upload, typed, answer
):
    page = page_outcome(ParticipantsForm(data={"total": typed}), "total")
    imported = import_outcome(
        make_upload,
        ParticipantRowForm,
        ["dimension", "category", "count"],
        ["total", "total", typed],
        "count",
    )

    assert page == imported == expected(answer)


class AmountRowForm(forms.Form):
    """A contribution amount as an import would read it: Django's own DecimalField, with
    the limits of Contribution.amount."""

    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal(0))


@pytest.mark.django_db
@UPLOADS
@pytest.mark.parametrize(("typed", "answer"), AMOUNTS)
def test_a_contribution_amount_reads_the_same_on_the_page_and_in_an_import(
    partnership, make_upload, typed, answer
):
    page = page_outcome(ContributionForm(data={"amount": typed}, partnership=partnership), "amount")
    imported = import_outcome(make_upload, AmountRowForm, ["amount"], [typed], "amount")

    assert page == imported == expected(answer)


def test_an_import_leaves_the_digits_of_text_columns_as_they_were_typed():
    upload = csv_upload(["title", "priority_rank", "severity"], ["بئر رقم ٣", "٢", "high"])

    cleaned, errors = validate_rows(
        read_table(upload), NeedRowForm, form_kwargs={"sector_codes": frozenset()}
    )

    assert errors == []
    assert (cleaned[0]["title"], cleaned[0]["priority_rank"]) == ("بئر رقم ٣", 2)


def test_an_import_row_with_mixed_digits_lists_the_other_errors_of_the_row_too():
    upload = csv_upload(
        ["title", "priority_rank", "severity", "people_affected"], ["", "1٢", "high", "-1"]
    )

    _cleaned, errors = validate_rows(
        read_table(upload), NeedRowForm, form_kwargs={"sector_codes": frozenset()}
    )

    assert [(error.column, error.message) for error in errors] == [
        ("title", "This field is required."),
        ("priority_rank", MIXED),
        ("people_affected", AT_LEAST_0),
    ]


# --------------------------------------------------------------------------- the rule


@pytest.mark.parametrize("text", ["", "123", "12 345", "abc", "1,5", "-3.25e2"])
def test_ascii_text_is_returned_unchanged(text):
    assert normalise_digits(text) is text


@pytest.mark.parametrize(
    ("text", "ascii"),
    [
        ("١٢٣", "123"),
        ("۰۹", "09"),
        ("१२", "12"),
        ("１２３", "123"),
        ("٣٫٥", "3.5"),
        ("-١٢", "-12"),
        (" ١٢ ", " 12 "),
        ("١٢ abc", "12 abc"),
        ("٣e٢", "3e2"),
    ],
)
def test_digits_of_one_script_become_ascii_and_nothing_else_changes(text, ascii):
    assert normalise_digits(text) == ascii


@pytest.mark.parametrize(
    ("text", "ascii"),
    [
        ("²", "²"),
        ("1²", "1²"),
        ("①", "①"),
        ("½", "½"),
        ("五", "五"),
        ("Ⅻ", "Ⅻ"),
        ("12\u00a0345", "12\u00a0345"),
        ("١٢٬٣٤٥", "12٬345"),
        ("\u2212٣", "\u22123"),
    ],
)
def test_what_is_not_a_decimal_digit_is_left_for_the_field_to_refuse(text, ascii):
    assert normalise_digits(text) == ascii


@pytest.mark.parametrize("text", ["1٢3", "١۲", "１2", "1৪", "१1"])
def test_digits_from_two_scripts_are_refused(text):
    with pytest.raises(ValidationError) as error:
        normalise_digits(text)

    assert error.value.code == "mixed_digits"
    assert error.value.messages == [MIXED]


def test_every_unicode_decimal_digit_becomes_its_ascii_digit():
    digits = [chr(code) for code in range(sys.maxunicode + 1) if chr(code).isdecimal()]
    assert len(digits) > 600  # some seventy scripts

    for digit in digits:
        value = unicodedata.decimal(digit)
        assert normalise_digits(digit) == str(value)
        # The script is told by its zero: Unicode keeps each script's ten digits in order.
        assert unicodedata.decimal(chr(ord(digit) - value)) == 0


# --------------------------------------------------------------------------- the fields


@pytest.mark.parametrize(
    ("field", "typed", "cleaned"),
    [
        (numbers.IntegerField(), "٤٢", 42),
        (numbers.DecimalField(decimal_places=2), "٤٢٫٥", Decimal("42.5")),
        (numbers.FloatField(), "४२.५", 42.5),
        (numbers.IntegerField(required=False), "", None),
        (numbers.IntegerField(), 42, 42),
    ],
)
def test_the_number_fields_read_digits_of_any_one_script(field, typed, cleaned):
    assert field.clean(typed) == cleaned


def test_the_number_fields_refuse_mixed_digits_with_the_rule_message():
    with pytest.raises(ValidationError) as error:
        numbers.IntegerField().clean("4٢")

    assert error.value.messages == [MIXED]


class LimitedForm(forms.Form):
    class PercentField(forms.IntegerField):
        def clean(self, value):
            return super().clean(value) / 100

    count = forms.IntegerField(min_value=1, max_value=10, error_messages={"invalid": "Digits!"})
    share = forms.DecimalField(max_digits=4, decimal_places=1)
    percent = PercentField()
    title = forms.CharField()


def test_apply_digit_rule_keeps_each_fields_limits_messages_and_own_code():
    form = LimitedForm(data={"count": "١١", "share": "١٫٢٣", "percent": "٥٠", "title": "٣"})

    apply_digit_rule(form)

    assert not form.is_valid()
    assert form.errors["count"] == ["Ensure this value is less than or equal to 10."]
    assert form.errors["share"] == ["Ensure that there are no more than 1 decimal place."]
    assert form.cleaned_data["percent"] == 0.5
    assert form.cleaned_data["title"] == "٣"  # text fields are not number fields
    assert LimitedForm(data={"count": "x"}).errors["count"] == ["Digits!"]


def test_apply_digit_rule_changes_only_the_form_it_is_given_and_only_once():
    form = LimitedForm()

    apply_digit_rule(form)
    classes = {name: type(field) for name, field in form.fields.items()}
    apply_digit_rule(form)

    assert {name: type(field) for name, field in form.fields.items()} == classes
    assert classes["count"] is numbers.IntegerField
    assert issubclass(classes["percent"], LimitedForm.PercentField)
    assert issubclass(classes["percent"], numbers.DigitRuleMixin)
    assert type(LimitedForm.base_fields["count"]) is forms.IntegerField
    assert type(LimitedForm().fields["count"]) is forms.IntegerField


def test_the_app_forms_use_the_digit_rule_fields_for_every_number():
    from communities.forms import (
        CommunityForm,
        NeedForm,
        NeedRowForm,
        ParticipantRowForm,
        ParticipantsForm,
    )
    from partnerships.forms import ContributionForm

    number_fields = {
        CommunityForm: ["population_estimate", "latitude", "longitude"],
        NeedForm: ["priority_rank", "people_affected"],
        NeedRowForm: ["priority_rank", "people_affected"],
        ParticipantRowForm: ["count"],
        ParticipantsForm: ["total"],
        ContributionForm: ["amount"],
    }
    for form_class, names in number_fields.items():
        for name in names:
            field = form_class.base_fields[name]
            assert isinstance(field, numbers.DigitRuleMixin), f"{form_class.__name__}.{name}"
