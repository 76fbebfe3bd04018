"""Content in the reader's language: their version where there is one, otherwise the
original, marked with its language; and translations written through one service."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from harambee.content import in_reader_language
from harambee.translations import Status, translation_save, translation_status
from partnerships.models import Partnership
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def written_in_french(**columns) -> Partnership:
    written = {
        "title_en": "",
        "problem_en": "",
        "title_fr": "Radio rurale",
        "problem_fr": "Pas de prix.",
    }
    return PartnershipFactory(source_language="fr", **(written | columns))


def render(template: str, **context) -> str:
    return Template("{% load content %}" + template).render(Context(context))


def test_a_reader_gets_their_own_languages_version():
    partnership = written_in_french(title_sw="Redio ya vijijini")

    text = in_reader_language(partnership, "title", "sw")

    assert (text.text, text.language, text.fallback) == ("Redio ya vijijini", "sw", False)


def test_without_a_version_the_reader_gets_the_original_not_english():
    partnership = written_in_french(title_en="Rural radio")

    text = in_reader_language(partnership, "title", "es")

    assert (text.text, text.language, text.fallback) == ("Radio rurale", "fr", True)


def test_old_rows_without_their_original_fall_back_in_the_order_of_the_languages():
    partnership = PartnershipFactory(
        title_en="", title_es="Radio rural", title_sw="Redio", source_language="fr"
    )

    text = in_reader_language(partnership, "title", "fr")

    assert (text.text, text.language, text.fallback) == ("Radio rural", "es", True)


def test_each_field_shows_exactly_one_columns_text():
    partnership = written_in_french(
        problem_fr="Les prix ne parviennent pas aux fermes.", problem_sw="Bei hazifiki."
    )

    title = in_reader_language(partnership, "title", "sw")
    problem = in_reader_language(partnership, "problem", "sw")

    assert (title.text, title.language) == ("Radio rurale", "fr")
    assert (problem.text, problem.language) == ("Bei hazifiki.", "sw")


def test_a_fallback_is_marked_with_its_language_and_a_label():
    partnership = written_in_french()

    with translation.override("en"):
        html = render('{% text partnership "title" %}', partnership=partnership)

    assert (
        html
        == '<span lang="fr">Radio rurale</span> <small class="written-in">written in French</small>'
    )


def test_the_readers_own_version_is_plain_escaped_text():
    partnership = written_in_french(title_en="Radio <b>for</b> farmers")

    with translation.override("en"):
        html = render('{% text partnership "title" %}', partnership=partnership)

    assert html == "Radio &lt;b&gt;for&lt;/b&gt; farmers"


def test_multi_line_fields_keep_their_line_breaks():
    partnership = written_in_french(problem_fr="Pas de prix.\nPas de route.")

    with translation.override("fr"):
        html = render('{% text partnership "problem" linebreaks=True %}', partnership=partnership)

    assert html == "Pas de prix.<br>Pas de route."


def test_a_translation_is_added_then_changed_with_history():
    partnership = written_in_french()

    translation_save(instance=partnership, language="sw", values={"title": "Redio"})
    translation_save(instance=partnership, language="sw", values={"title": "Redio ya vijijini"})

    partnership.refresh_from_db()
    assert (partnership.title_sw, partnership.title_fr) == ("Redio ya vijijini", "Radio rurale")
    assert [row.title_sw for row in partnership.history.order_by("history_id")][-2:] == [
        "Redio",
        "Redio ya vijijini",
    ]


def test_the_original_language_is_refused_and_changes_nothing():
    partnership = written_in_french()

    with pytest.raises(ValidationError):
        translation_save(instance=partnership, language="fr", values={"title": "Autre"})

    partnership.refresh_from_db()
    assert partnership.title_fr == "Radio rurale"


def test_a_translation_over_the_fields_length_changes_nothing():
    partnership = written_in_french()
    history = partnership.history.count()

    with pytest.raises(ValidationError) as error:
        translation_save(instance=partnership, language="sw", values={"title": "x" * 500})

    assert "title_sw" in error.value.error_dict
    partnership.refresh_from_db()
    assert (partnership.title_sw or "", partnership.history.count()) == ("", history)


def test_the_status_says_which_languages_hold_a_version():
    partnership = written_in_french(problem_fr="Pas de prix.", title_sw="Redio")

    statuses = {code: translation_status(partnership, code) for code in ("en", "fr", "es", "sw")}

    assert statuses == {
        "en": Status.MISSING,
        "fr": Status.ORIGINAL,
        "es": Status.MISSING,
        "sw": Status.PARTIAL,
    }
