"""``requested_language``: ``?locale=``, else ``Accept-Language``, else the default language.

No test here may touch the database (pytest-django refuses it without the ``db`` fixture): the
negotiation runs on every API request and must not cost a query.
"""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from kokreative_wagtail.request_language import (
    accepted_language,
    content_language,
    requested_language,
)

TWO_LANGUAGES = [("de", "Deutsch"), ("en", "English")]

pytestmark = pytest.mark.usefixtures("two_languages")


@pytest.fixture
def two_languages():
    with override_settings(
        LANGUAGE_CODE="de", LANGUAGES=TWO_LANGUAGES, WAGTAIL_CONTENT_LANGUAGES=TWO_LANGUAGES
    ):
        yield


def language(query: dict | None = None, header: str | None = None) -> str:
    extra = {} if header is None else {"HTTP_ACCEPT_LANGUAGE": header}
    return requested_language(RequestFactory().get("/api/kokreative/v1/offers", query, **extra))


def test_without_a_wish_the_default_language():
    assert language() == "de"
    assert language(header="") == "de"


@pytest.mark.parametrize("value", ["en", "EN", "En", "en-GB", "en_gb", " en "])
def test_locale_parameter_names_a_content_language_in_any_case_or_region(value):
    assert language({"locale": value}) == "en"


def test_locale_parameter_wins_over_the_header():
    assert language({"locale": "de"}, header="en") == "de"


@pytest.mark.parametrize("value", ["xx", "fr", "*", "", "e" * 200, "en\x00", "ënglish", "1"])
def test_an_unknown_locale_parameter_is_ignored_here(value):
    assert language({"locale": value}) == "de"
    assert language({"locale": value}, header="en") == "en"


@pytest.mark.parametrize(
    "header, expected",
    [
        ("en", "en"),
        ("en-US,en;q=0.9,de;q=0.8", "en"),
        ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "en"),
        ("de;q=0.3, en;q=0.7", "en"),  # by q-value, not by order
        ("en;q=0, de", "de"),  # q=0: not acceptable
        ("en;q=0", "de"),
        ("*", "de"),  # anything: the default
        ("fr, it;q=0.5", "de"),  # nothing we have
        ("EN-gb", "en"),
    ],
)
def test_accept_language_best_match(header, expected):
    assert language(header=header) == expected


@pytest.mark.parametrize(
    "header",
    [
        "en;q=2",  # out of range
        "en;;q=1",
        "en,,,",
        "\x00\x01\x02",
        "en;q=abc",
        "x" * 10_000,  # one huge range
        ",".join(["fr"] * 5_000) + ",en",  # huge: cut at the parser's limit, before "en"
        "ü",
    ],
)
def test_malformed_or_huge_headers_give_the_default(header):
    assert language(header=header) == "de"


def test_a_long_header_is_read_up_to_the_limit():
    header = "en-GB, " + ", ".join(["fr;q=0.5"] * 2_000)
    assert language(header=header) == "en"


def test_helpers_answer_none_for_nothing_usable():
    assert content_language(None) is None
    assert content_language("xx") is None
    assert accepted_language("") is None
    assert accepted_language("xx, yy;q=0.4") is None


def test_region_only_content_languages_are_found_from_the_bare_language():
    languages = [("de", "Deutsch"), ("pt-br", "Português (Brasil)")]
    with override_settings(LANGUAGES=languages, WAGTAIL_CONTENT_LANGUAGES=languages):
        assert language({"locale": "pt"}) == "pt-br"
        assert language({"locale": "PT-BR"}) == "pt-br"
        assert language(header="pt-PT, de;q=0.5") == "pt-br"
