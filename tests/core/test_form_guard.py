"""What the visitors' forms share (``form_guard``): one rate-limit budget, the spam guard's
messages with a form's own wording where it differs, the form token used once."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.test import RequestFactory, override_settings
from django.utils import translation

from kokreative_wagtail import form_guard, spam
from kokreative_wagtail.spam import Verdict

REQUEST_HONEYPOT = (
    "Your request was not sent: a field that must stay empty was filled in, probably by a "
    "form-filling tool. Please empty the field “Leave this field empty” and send the form again."
)


@translation.override("en")
def test_verdict_messages_are_the_shared_texts_unless_a_form_words_them():
    assert form_guard.verdict_message(Verdict.HONEYPOT) == REQUEST_HONEYPOT
    own = "Your registration was not sent."
    wording = {Verdict.HONEYPOT: own}
    assert form_guard.verdict_message(Verdict.HONEYPOT, wording) == own
    too_fast = form_guard.verdict_message(Verdict.TOO_FAST)
    assert form_guard.verdict_message(Verdict.TOO_FAST, wording) == too_fast
    assert too_fast.startswith("The form was sent faster than a person")
    messages = {form_guard.verdict_message(verdict) for verdict in Verdict}
    assert len(messages) == len(Verdict)  # each verdict says what went wrong


@override_settings(KOKREATIVE={"FORM_RATE_LIMIT": 2, "FORM_RATE_LIMIT_WINDOW": 60})
@translation.override("en")
def test_one_rate_limit_budget_per_client():
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.7")
    other = RequestFactory().post("/", REMOTE_ADDR="192.0.2.8")
    assert form_guard.client_allowed(request) and form_guard.client_allowed(request)
    assert not form_guard.client_allowed(request)
    assert form_guard.client_allowed(other)
    assert 1 <= form_guard.retry_after() <= 60
    assert "Too many requests" in form_guard.rate_limit_message()


def test_a_token_is_used_once_released_again_and_renewed_for_a_form_shown_again():
    token = spam.make_token(7, issued_at=0)
    data = QueryDict(mutable=True)
    data[spam.TOKEN_FIELD] = token
    assert form_guard.check(7, data) is Verdict.EXPIRED  # issued 1970
    assert form_guard.consume_token(data)
    assert not form_guard.consume_token(data)
    form_guard.release_token(data)
    assert form_guard.consume_token(data)

    form = forms.Form(data)
    form_guard.renew_token(form, 7)
    assert form.data[spam.TOKEN_FIELD] != token
    assert spam.read_token(form.data[spam.TOKEN_FIELD]).page_id == 7
    assert data[spam.TOKEN_FIELD] == token  # the request's data stays as sent


@translation.override("en")
def test_form_errors_name_the_form_wide_errors_non_field_errors():
    class Form(forms.Form):
        name = forms.CharField()

        def clean(self):
            raise forms.ValidationError("wrong")

    form = Form({})
    assert not form.is_valid()
    assert form_guard.form_errors(form) == {
        "name": ["This field is required."],
        "non_field_errors": ["wrong"],
    }
