"""Input hygiene: NUL, lone surrogates, control characters and deeply nested JSON are a clear 400
(or a form error) naming the field on every JSON endpoint and the HTML form, never a 500, and
never stored; tab and line breaks pass in multi-line fields only."""

from __future__ import annotations

import json
import time
import unicodedata

import pytest
from cookie_consent.models import LogItem
from django.test import Client
from wagtail.contrib.forms.models import FormSubmission

from kokreative_wagtail.consent.models import ConsentRecord
from kokreative_wagtail.hygiene import (
    MAX_JSON_DEPTH,
    JSONTooDeepError,
    TextHygieneValidator,
    bad_strings,
    character_problem,
    find_bad_character,
    json_depth,
    loads_bounded,
)

from ..consultations.factories import (
    create_consultation_page,
    field_names,
    old_token,
    valid_post,
    valid_values,
)

pytestmark = pytest.mark.django_db

API = "/api/kokreative/v1"

#: Characters no text may hold, by the name tests show.
BAD = {
    "nul": "\x00",
    "surrogate": "\ud800",
    "soh": "\x01",
    "vertical_tab": "\x0b",
}
#: Whitespace allowed in multi-line fields only.
LINE_BREAKS = {"tab": "\t", "lf": "\n", "crlf": "\r\n"}
#: The measured attack: 2 KB of nesting that made ``json.loads`` raise a RecursionError.
DEEP = '{"fields":' + "[" * 1000 + "]" * 1000 + ',"token":"x"}'


# hygiene.py: pure functions -------------------------------------------------------------------


def test_exactly_categories_cc_and_cs_are_refused():
    everything = "".join(map(chr, range(0x110000)))
    bad = {c for c in everything if unicodedata.category(c) in {"Cc", "Cs"}}
    assert {c for c in bad if find_bad_character(c)} == bad
    assert {c for c in bad if find_bad_character(c, multiline=True)} == bad - {"\t", "\n", "\r"}
    # one search over all code points finds the first bad one: nothing outside Cc/Cs is refused
    good = "".join(c for c in everything if c not in bad)
    assert find_bad_character(good) is None


@pytest.mark.parametrize(
    ("text", "multiline", "message"),
    [
        ("Kim\x00", True, "NUL"),
        ("Kim\ud800", True, "surrogates"),
        ("Kim\x01", True, "control characters"),
        ("Kim\x0bMuster", True, "control characters"),
        ("Kim\x85", True, "control characters"),
        ("Kim\tMuster", False, "line breaks or tabs"),
        ("Kim\nMuster", False, "line breaks or tabs"),
        ("Kim\tMuster\r\nZeile 2", True, None),
        ("Kim Müller 🙂 \u00a0\u200b", False, None),
        ("", False, None),
    ],
)
def test_character_problem(text, multiline, message):
    from django.utils import translation

    with translation.override("en"):
        problem = character_problem(text, multiline=multiline)
    if message is None:
        assert problem is None
    else:
        assert message in problem


def test_validator_compares_by_mode_and_ignores_non_text():
    assert TextHygieneValidator() == TextHygieneValidator()
    assert TextHygieneValidator() != TextHygieneValidator(multiline=True)
    TextHygieneValidator()(42)


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("1", 0),
        ("[]", 1),
        ('{"a": [1, {"b": []}]}', 4),
        ('{"a": "[[[[{{{{"}', 1),
        ('["\\"[[[", "\\\\", []]', 2),
        ("]]]]][", 1),
        (DEEP, 1001),
    ],
)
def test_json_depth_ignores_brackets_in_strings(text, depth):
    assert json_depth(text) == depth


def test_loads_bounded_refuses_deep_nesting_before_parsing():
    ok = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert loads_bounded(ok) is not None
    with pytest.raises(JSONTooDeepError):
        loads_bounded("[" + ok + "]")
    with pytest.raises(JSONTooDeepError):
        loads_bounded(("[" * 100_000).encode())
    assert loads_bounded(b'{"a": "\xed\xa0\x80"}') == {"a": "\ud800"}  # encoded surrogate


def test_depth_scan_is_linear_even_for_unterminated_strings():
    text = '"\\"' * 200_000  # a string that never ends: a naive scan restarts at every quote
    start = time.perf_counter()
    assert json_depth(text) == 0
    assert time.perf_counter() - start < 1


def test_bad_strings_names_the_path_and_checks_keys():
    data = {"fields": {"name": "Kim\x00", "ok": ["a", "b\x01"], "bad\ud800key": 1}, "token": "x"}
    found = dict(bad_strings(data))
    assert set(found) == {("fields", "name"), ("fields", "ok"), ("fields",)}


# JSON: POST forms/{id}/submissions ------------------------------------------------------------


@pytest.fixture
def form_page(site_root):
    return create_consultation_page(site_root, to_address="team@example.org")


def submit(page, body: str | bytes):
    return Client().post(
        f"{API}/forms/{page.pk}/submissions", body, content_type="application/json"
    )


def submission_body(page, **fields) -> dict:
    values = valid_values(page)
    values.update(fields)
    return {"fields": values, "token": old_token(page), "honeypot": ""}


def assert_rejected(response, field: str) -> dict:
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["detail"]
    assert field in data["errors"], data
    assert all(isinstance(m, str) and m for m in data["errors"][field])
    assert not FormSubmission.objects.exists()
    return data


@pytest.mark.parametrize("char", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize("field", ["name", "email", "message", "time"])
def test_submission_with_a_bad_character_is_400_naming_the_field(form_page, field, char):
    name = field_names(form_page)[field]
    body = submission_body(form_page, **{name: f"Kim{char}Muster"})
    assert_rejected(submit(form_page, json.dumps(body)), name)


@pytest.mark.parametrize("char", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize("key", ["token", "honeypot"])
def test_bad_character_in_token_or_honeypot_is_400(form_page, key, char):
    body = submission_body(form_page)
    body[key] = f"x{char}y"
    assert_rejected(submit(form_page, json.dumps(body)), key)


def test_bad_character_in_a_field_name_or_a_list_value_is_400(form_page):
    body = submission_body(form_page)
    body["fields"]["na\x00me"] = "Kim"
    assert_rejected(submit(form_page, json.dumps(body)), "fields")
    topic = field_names(form_page)["topic"]
    body = submission_body(form_page, **{topic: ["a", "b\ud800"]})
    assert_rejected(submit(form_page, json.dumps(body)), topic)


def test_surrogate_encoded_in_the_raw_bytes_is_400(form_page):
    name = field_names(form_page)["name"]
    body = json.dumps(submission_body(form_page, **{name: "KIM"})).encode()
    assert_rejected(submit(form_page, body.replace(b"KIM", b"K\xed\xa0\x80M")), name)


@pytest.mark.parametrize("body", [DEEP, "[" * 50_000, '{"fields": {"a": ' + "{" * 40 + "}" * 41])
def test_deeply_nested_submission_is_400_on_the_body(form_page, body):
    data = assert_rejected(submit(form_page, body), "body")
    assert "zu tief verschachtelt" in data["errors"]["body"][0]  # the site's German


@pytest.mark.parametrize("char", LINE_BREAKS.values(), ids=LINE_BREAKS.keys())
def test_line_breaks_and_tabs_pass_in_multi_line_fields_only(form_page, char):
    n = field_names(form_page)
    message = f"Zeile 1{char}Zeile 2"
    response = submit(form_page, json.dumps(submission_body(form_page, **{n["message"]: message})))
    assert response.status_code == 201, response.content
    assert FormSubmission.objects.get().form_data[n["message"]] == message
    FormSubmission.objects.all().delete()

    body = submission_body(form_page, **{n["name"]: f"Kim{char}Muster"})
    data = assert_rejected(submit(form_page, json.dumps(body)), n["name"])
    assert "ohne Zeilenumbrüche oder Tabulatoren" in data["errors"][n["name"]][0]


# HTML form ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "char", [c for c in BAD.values() if c != "\ud800"], ids=[k for k in BAD if k != "surrogate"]
)
@pytest.mark.parametrize("field", ["name", "email", "message", "time"])
def test_html_form_shows_an_error_for_a_bad_character(client, form_page, field, char):
    name = field_names(form_page)[field]
    response = client.post(form_page.url, valid_post(form_page, **{name: f"Kim{char}Muster"}))
    html = response.content.decode()
    assert f'id="id_{name}_error"' in html
    assert not FormSubmission.objects.exists()


@pytest.mark.parametrize("field", ["name", "email", "message", "time"])
def test_html_form_refuses_a_surrogate(form_page, field):
    # A browser cannot post one (Django decodes form data with replacement characters), but the
    # form is the rule both ways share: it refuses what it never should get.
    name = field_names(form_page)[field]
    form = form_page.get_form(valid_post(form_page, **{name: "Kim\ud800Muster"}), page=form_page)
    assert not form.is_valid()
    assert name in form.errors


@pytest.mark.parametrize("char", LINE_BREAKS.values(), ids=LINE_BREAKS.keys())
def test_html_form_allows_line_breaks_in_the_message_only(client, form_page, char):
    n = field_names(form_page)
    response = client.post(form_page.url, valid_post(form_page, **{n["name"]: f"Kim{char}M"}))
    assert f'id="id_{n["name"]}_error"' in response.content.decode()
    assert not FormSubmission.objects.exists()

    message = f"Zeile 1{char}Zeile 2"
    response = client.post(form_page.url, valid_post(form_page, **{n["message"]: message}))
    assert response.status_code == 200
    assert FormSubmission.objects.get().form_data[n["message"]] == message


# JSON: POST consent ----------------------------------------------------------------------------


def consent_client():
    client = Client(enforce_csrf_checks=True)
    token = client.get(f"{API}/consent/status").json()["csrf_token"]
    return client, token


def post_consent(body: str | bytes):
    client, token = consent_client()
    return client.post(
        f"{API}/consent", body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )


def assert_consent_rejected(response, field: str) -> dict:
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["detail"] and field in data["errors"], data
    assert "cookie_consent" not in response.cookies
    assert not ConsentRecord.objects.exists()
    assert not LogItem.objects.exists()
    return data


@pytest.mark.parametrize("char", [*BAD.values(), "\t", "\n"], ids=[*BAD.keys(), "tab", "lf"])
@pytest.mark.parametrize(
    ("make_body", "field"),
    [
        (lambda c: {"action": "accept_group", "group": f"statistics{c}"}, "group"),
        (lambda c: {"action": "save", "groups": {f"statistics{c}": True}}, "groups"),
        (lambda c: {"action": f"accept_all{c}"}, "action"),
    ],
    ids=["group", "groups", "action"],
)
def test_consent_with_a_bad_character_is_400_naming_the_field(make_body, field, char):
    assert_consent_rejected(post_consent(json.dumps(make_body(char))), field)


@pytest.mark.parametrize(
    "body",
    [
        DEEP,
        "[" * 50_000,
        '{"action": "save", "groups": ' + "{" * 40 + "}" * 40 + "}",
    ],
)
def test_deeply_nested_consent_is_400_on_the_body(body):
    data = assert_consent_rejected(post_consent(body), "body")
    assert "zu tief verschachtelt" in data["errors"]["body"][0]  # the site's German


def test_valid_consent_still_passes():
    response = post_consent(json.dumps({"action": "accept_group", "group": "statistics"}))
    assert response.status_code == 200, response.content
    assert ConsentRecord.objects.count() == 1
