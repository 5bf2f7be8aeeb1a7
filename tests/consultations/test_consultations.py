"""Consultation forms: default fields, the HTML form with its spam guard, e-mails through tasks,
submissions in Wagtail's "Forms" area with its permissions, and the purge command."""

from __future__ import annotations

import logging
import re
import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core import checks
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils.form_data import querydict_from_html

from kokreative_wagtail import ratelimit, spam
from kokreative_wagtail.checks import check_capability_apps, check_settings
from kokreative_wagtail.consultations.models import ConsultationFormField, ConsultationFormPage
from kokreative_wagtail.consultations.tasks import send_submission_emails
from kokreative_wagtail.models import KokreativeSettings

from ..factories import ElementFactory, add_page
from .factories import create_consultation_page, editor, field_names, old_token, valid_post

pytestmark = pytest.mark.django_db

FAILING_BACKEND = "tests.consultations.factories.FailingEmailBackend"


@pytest.fixture
def form_page(site_root):
    return create_consultation_page(site_root, to_address="team@example.org")


def post(client, page, data, **extra):
    return client.post(page.url, data, **extra)


# Default fields ---------------------------------------------------------------------------------


def test_new_page_starts_with_the_default_fields(db):
    ElementFactory(name="Kultureller Wandel", sort_order=1)
    ElementFactory(name="Raumstrukturen", sort_order=2)
    fields = ConsultationFormPage().get_default_form_fields()
    assert [(f.field_type, f.required) for f in fields] == [
        ("singleline", True),  # name
        ("singleline", True),  # municipality or organisation
        ("singleline", False),  # role
        ("email", True),
        ("singleline", False),  # phone, optional
        ("dropdown", False),  # topic: the elements
        ("multiline", True),  # message
        ("singleline", False),  # preferred time
    ]
    topic = fields[5]
    assert topic.choices.splitlines()[:2] == ["Kultureller Wandel", "Raumstrukturen"]
    assert all(isinstance(f, ConsultationFormField) for f in fields)


def add_url(parent):
    return reverse(
        "wagtailadmin_pages:add",
        args=("kokreative_consultations", "consultationformpage", parent.pk),
    )


def test_editor_gets_the_default_fields_changes_them_and_publishes(admin_client, site_root):
    ElementFactory(name="Governancestrukturen")
    response = admin_client.get(add_url(site_root))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="form_fields-TOTAL_FORMS" value="8"' in html
    assert 'name="form_fields-INITIAL_FORMS" value="0"' in html
    assert "Kommune oder Organisation" in html and "Governancestrukturen" in html

    data = querydict_from_html(html, form_id="page-edit-form")
    data["title"] = "Beratung"
    data["slug"] = "beratung"
    # The editor removes "phone" and renames "role" before the first save.
    data["form_fields-4-DELETE"] = "1"
    data["form_fields-2-label"] = "Funktion in der Kommune"
    data["action-publish"] = "publish"
    response = admin_client.post(add_url(site_root), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    page = ConsultationFormPage.objects.get(slug="beratung")
    labels = [f.label for f in page.form_fields.all()]
    assert len(labels) == 7
    assert "Funktion in der Kommune" in labels and "Phone" not in labels
    assert page.live


def test_existing_page_keeps_its_fields_in_the_editor(admin_client, site_root):
    page = create_consultation_page(
        site_root,
        fields=[ConsultationFormField(label="Nur ein Feld", field_type="singleline")],
    )
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'name="form_fields-TOTAL_FORMS" value="1"' in html
    assert "Kommune oder Organisation" not in html


# The HTML form ----------------------------------------------------------------------------------


def test_form_page_renders_an_accessible_form_without_caching(client, form_page):
    response = client.get(form_page.url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    n = field_names(form_page)
    assert f'<label for="id_{n["email"]}">' in html
    assert f'id="id_{n["email"]}"' in html
    assert 'name="privacy_consent" required id="id_privacy_consent"' in html
    # honeypot: a text input out of sight, hidden from screen readers and the keyboard
    trap = html.split('class="kk-form-trap"')[1].split("</div>")[0]
    assert 'aria-hidden="true"' in trap
    assert f'name="{spam.HONEYPOT_FIELD}"' in trap
    assert 'tabindex="-1"' in trap and 'autocomplete="off"' in trap
    assert 'type="hidden"' not in trap
    # the signed token of the minimum fill time
    assert f'name="{spam.TOKEN_FIELD}"' in html
    assert "csrfmiddlewaretoken" in html
    # the form rules are the core's, shared with the registration form
    assert "kokreative_wagtail/css/forms.css" in html


def test_consent_label_links_to_the_privacy_page_and_escapes_the_text(client, site_root):
    privacy = add_page(site_root, Page, title="Datenschutz", slug="datenschutz")
    settings = KokreativeSettings.for_site(site_root.get_site())
    settings.privacy_page = privacy
    settings.save()
    page = create_consultation_page(site_root, consent_text="Ich stimme zu <script>x</script>")
    html = client.get(page.url).content.decode()
    label = html.split('<label for="id_privacy_consent">')[1].split("</label>")[0]
    assert "Ich stimme zu &lt;script&gt;x&lt;/script&gt;" in label
    assert f'<a href="{privacy.url}"' in label


def test_valid_submission_is_stored_without_spam_fields(client, form_page):
    response = post(client, form_page, valid_post(form_page))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Vielen Dank für eure Anfrage" in response.content.decode()
    [submission] = FormSubmission.objects.filter(page=form_page)
    n = field_names(form_page)
    assert submission.form_data[n["email"]] == "kim@example.org"
    assert submission.form_data["privacy_consent"] is True
    assert spam.TOKEN_FIELD not in submission.form_data
    assert spam.HONEYPOT_FIELD not in submission.form_data


def test_missing_consent_is_an_announced_field_error_and_nothing_is_stored(client, form_page):
    data = valid_post(form_page)
    del data["privacy_consent"]
    response = post(client, form_page, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_privacy_consent_error"' in html
    assert 'id="id_privacy_consent_error"' in html
    assert "Bitte stimmt der Verarbeitung" in html
    assert not FormSubmission.objects.exists()


def test_invalid_email_and_oversized_message(client, form_page):
    n = field_names(form_page)
    data = valid_post(form_page, **{n["email"]: "kein-at", n["message"]: "x" * 5001})
    response = post(client, form_page, data)
    html = response.content.decode()
    assert f'id="id_{n["email"]}_error"' in html
    assert f'id="id_{n["message"]}_error"' in html
    assert not FormSubmission.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({spam.HONEYPOT_FIELD: "http://spam.example"}, "leer bleiben muss"),
        ({spam.TOKEN_FIELD: None}, "konnte nicht geprüft werden"),
        ({spam.TOKEN_FIELD: "forged"}, "konnte nicht geprüft werden"),
    ],
)
def test_spam_is_rejected_with_a_clear_message(client, form_page, overrides, message):
    response = post(client, form_page, valid_post(form_page, **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert not FormSubmission.objects.exists()


def test_too_fast_is_rejected_and_the_same_form_can_be_sent_later(client, form_page):
    fresh = spam.make_token(form_page.pk)
    response = post(client, form_page, valid_post(form_page, **{spam.TOKEN_FIELD: fresh}))
    assert response.status_code == 400
    assert "schneller gesendet, als ein Mensch" in response.content.decode()
    assert not FormSubmission.objects.exists()
    # the re-rendered form keeps the visitor's input and the original token
    assert "Kim Muster" in response.content.decode()
    assert fresh in response.content.decode()


def test_token_of_another_form_and_expired_token_are_rejected(client, site_root, form_page):
    other = create_consultation_page(site_root, slug="andere")
    response = post(client, form_page, valid_post(form_page, kk_token=old_token(other)))
    assert response.status_code == 400
    with override_settings(KOKREATIVE={"FORM_TOKEN_MAX_AGE": 30}):
        response = post(client, form_page, valid_post(form_page))  # token is 60 s old
    assert response.status_code == 400
    assert "abgelaufen" in response.content.decode()
    assert not FormSubmission.objects.exists()


@override_settings(KOKREATIVE={"FORM_MIN_FILL_SECONDS": 0.5})
def test_min_fill_time_is_a_setting(client, form_page):
    token = spam.make_token(form_page.pk, issued_at=time.time() - 1)
    assert post(client, form_page, valid_post(form_page, kk_token=token)).status_code == 200
    assert FormSubmission.objects.count() == 1


@override_settings(KOKREATIVE={"FORM_RATE_LIMIT": 2, "FORM_RATE_LIMIT_WINDOW": 600})
def test_rate_limit_per_client(client, form_page):
    assert post(client, form_page, valid_post(form_page)).status_code == 200
    assert post(client, form_page, valid_post(form_page)).status_code == 200
    response = post(client, form_page, valid_post(form_page))
    assert response.status_code == 429
    assert "zu viele Anfragen" in response.content.decode()
    assert FormSubmission.objects.count() == 2
    # a spoofed X-Forwarded-For is ignored unless proxies are trusted
    spoofed = post(client, form_page, valid_post(form_page), HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert spoofed.status_code == 429
    # another client is not affected
    other = post(client, form_page, valid_post(form_page), REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200


@override_settings(
    KOKREATIVE={"FORM_RATE_LIMIT": 1, "FORM_RATE_LIMIT_WINDOW": 600, "TRUSTED_PROXY_COUNT": 1}
)
def test_rate_limit_behind_a_trusted_proxy_uses_the_forwarded_address(client, form_page):
    first = {"HTTP_X_FORWARDED_FOR": "forged, 203.0.113.1", "REMOTE_ADDR": "10.0.0.1"}
    second = {"HTTP_X_FORWARDED_FOR": "203.0.113.2", "REMOTE_ADDR": "10.0.0.1"}
    assert post(client, form_page, valid_post(form_page), **first).status_code == 200
    assert post(client, form_page, valid_post(form_page), **second).status_code == 200
    again = {"HTTP_X_FORWARDED_FOR": "other-forgery, 203.0.113.1", "REMOTE_ADDR": "10.0.0.1"}
    assert post(client, form_page, valid_post(form_page), **again).status_code == 429


def test_client_ip_trusts_forwarded_for_only_by_setting():
    meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.1.1.1, 2.2.2.2, 3.3.3.3"}
    assert ratelimit.client_ip(meta) == "10.0.0.1"
    assert ratelimit.client_ip(meta, 1) == "3.3.3.3"
    assert ratelimit.client_ip(meta, 2) == "2.2.2.2"
    assert ratelimit.client_ip({"REMOTE_ADDR": "10.0.0.1"}, 1) == "10.0.0.1"
    assert ratelimit.client_ip({}) == "unknown"


@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "server_a": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "shared",
        },
        "server_b": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "shared",
        },
    }
)
def test_rate_limit_counts_across_cache_clients_and_threads():
    from django.core.cache import caches

    assert caches["server_a"] is not caches["server_b"]
    now = time.time()
    results = []

    def hit(alias):
        results.append(
            ratelimit.hit("t", "203.0.113.5", limit=10, window=600, cache_alias=alias, now=now)
        )

    threads = [
        threading.Thread(target=hit, args=(("server_a", "server_b")[i % 2],)) for i in range(30)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 10
    # the key holds no address
    key = ratelimit.cache_key("t", "203.0.113.5", 600, now)
    assert "203.0.113.5" not in key
    caches["server_a"].clear()


def test_spam_check_is_pure():
    token = spam.make_token(7, issued_at=1000.0)
    kwargs = {"page_id": 7, "token": token, "min_seconds": 3, "max_age": 100}
    assert spam.check(honeypot="", now=1010.0, **kwargs) is None
    assert spam.check(honeypot="x", now=1010.0, **kwargs) is spam.Verdict.HONEYPOT
    assert spam.check(honeypot="", now=1001.0, **kwargs) is spam.Verdict.TOO_FAST
    assert spam.check(honeypot="", now=1200.0, **kwargs) is spam.Verdict.EXPIRED
    kwargs["page_id"] = 8
    assert spam.check(honeypot="", now=1010.0, **kwargs) is spam.Verdict.INVALID_TOKEN
    assert spam.read_token(token[:-2] + "xx") is None


# E-mails through the task backend ---------------------------------------------------------------


def test_notification_goes_out_after_the_commit(
    client, form_page, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post(client, form_page, valid_post(form_page))
    assert FormSubmission.objects.count() == 1
    assert mailoutbox == []  # nothing before the commit
    with django_capture_on_commit_callbacks(execute=True):  # django-tasks 0.7 defers once more
        for callback in callbacks:
            callback()
    [mail] = mailoutbox
    assert mail.to == ["team@example.org"]
    assert mail.reply_to == ["kim@example.org"]
    assert "Kim Muster" in mail.body
    assert f"/admin/forms/submissions/{form_page.pk}/" in mail.body


def test_notification_falls_back_to_site_settings_and_confirmation_is_optional(
    client, site_root, mailoutbox, django_capture_on_commit_callbacks
):
    settings = KokreativeSettings.for_site(site_root.get_site())
    settings.notification_emails = "a@example.org, b@example.org"
    settings.save()
    page = create_consultation_page(
        site_root,
        send_confirmation=True,
        confirmation_subject="Danke!",
        confirmation_text="Wir melden uns.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        post(client, page, valid_post(page))
    notification, confirmation = mailoutbox
    assert notification.to == ["a@example.org", "b@example.org"]
    assert confirmation.to == ["kim@example.org"]
    assert confirmation.subject == "Danke!"
    # the confirmation does not repeat what was typed (no relay for other people's texts)
    assert confirmation.body == "Wir melden uns."


def test_page_without_recipients_enqueues_nothing(
    client, site_root, django_capture_on_commit_callbacks
):
    page = create_consultation_page(site_root)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post(client, page, valid_post(page))
    assert callbacks == []
    assert FormSubmission.objects.count() == 1


def test_failing_mail_server_loses_nothing_and_logs_nothing_personal(
    client, form_page, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, form_page, valid_post(form_page))
    assert response.status_code == 200
    assert "Vielen Dank" in response.content.decode()
    assert FormSubmission.objects.count() == 1
    assert "ConnectionRefusedError" in caplog.text  # the failure is visible …
    for personal in ("kim@example.org", "Kim Muster", "Beispielstadt"):
        assert personal not in caplog.text  # … but not what was sent


def test_failing_task_queue_loses_nothing(
    client, form_page, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("queue down")

    monkeypatch.setattr(type(send_submission_emails), "enqueue", broken)
    # a worker backend: the rows are enqueued, not sent in the request
    monkeypatch.setattr("kokreative_wagtail.outbox.tasks.runs_in_request", lambda: False)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, form_page, valid_post(form_page))
    assert response.status_code == 200
    assert FormSubmission.objects.count() == 1
    assert "Could not enqueue" in caplog.text


def test_task_of_a_deleted_submission_does_nothing(form_page, mailoutbox):
    send_submission_emails.call(form_page.pk, 12345)
    assert mailoutbox == []


# Submissions in Wagtail's "Forms" area ----------------------------------------------------------


@pytest.fixture
def submitted(client, form_page):
    post(client, form_page, valid_post(form_page))
    return form_page


def submissions_url(page):
    return reverse("wagtailforms:list_submissions", args=[page.pk])


def test_submissions_are_listed_and_exported_in_the_admin(admin_client, submitted):
    response = admin_client.get(submissions_url(submitted))
    assert response.status_code == 200
    assert "kim@example.org" in response.content.decode()
    csv = admin_client.get(submissions_url(submitted) + "?export=csv")
    assert csv.status_code == 200
    content = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
    assert "kim@example.org" in content
    assert "Datenschutz-Einwilligung" in content
    xlsx = admin_client.get(submissions_url(submitted) + "?export=xlsx")
    assert xlsx.status_code == 200
    assert "spreadsheetml" in xlsx["Content-Type"]
    date_filtered = admin_client.get(submissions_url(submitted) + "?date_from=2000-01-01")
    assert date_filtered.status_code == 200


def test_only_editors_of_the_form_see_and_export_submissions(
    client, site_root, submitted, django_user_model
):
    other = add_page(site_root, Page, title="Andere Seite", slug="andere-seite")
    outsider = editor(django_user_model, "aussen", page=other)
    client.force_login(outsider)
    for url in (submissions_url(submitted), submissions_url(submitted) + "?export=csv"):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert b"kim@example.org" not in (response.content if not response.streaming else b"")
    assert client.get(reverse("wagtailforms:index")).status_code in (302, 403, 200)
    assert b"Beratungsgespr" not in client.get(reverse("wagtailforms:index")).content

    insider = editor(django_user_model, "innen", page=submitted)
    client.force_login(insider)
    assert "kim@example.org" in client.get(submissions_url(submitted)).content.decode()
    csv = client.get(submissions_url(submitted) + "?export=csv")
    assert csv.status_code == 200
    assert "kim@example.org" in b"".join(csv.streaming_content).decode()


def test_api_v2_hides_addresses_of_form_pages(client, form_page):
    data = client.get(f"/api/v2/pages/{form_page.pk}/").json()
    assert "to_address" not in data and "from_address" not in data
    assert "kim@example.org" not in str(data)
    assert [f["label"] for f in data["form_fields"]][0] == "Name"


def test_private_form_page_is_not_served_to_anonymous_visitors(client, form_page):
    PageViewRestriction.objects.create(page=form_page, restriction_type="login")
    response = post(client, form_page, valid_post(form_page))
    assert response.status_code == 302
    assert not FormSubmission.objects.exists()


# Retention --------------------------------------------------------------------------------------


def age(submission, days):
    FormSubmission.objects.filter(pk=submission.pk).update(
        submit_time=timezone.now() - timedelta(days=days)
    )


def test_purge_deletes_submissions_older_than_the_retention(client, site_root, form_page):
    settings = KokreativeSettings.for_site(site_root.get_site())
    settings.retention_days = 30
    settings.save()
    for _ in range(3):
        post(client, form_page, valid_post(form_page))
    old, older, recent = FormSubmission.objects.order_by("pk")
    age(old, 31)
    age(older, 400)
    age(recent, 29)

    out = StringIO()
    call_command("kokreative_purge_submissions", "--dry-run", stdout=out)
    assert "Would delete 2 form submission(s) older than 30 days" in out.getvalue()
    assert FormSubmission.objects.count() == 3

    out = StringIO()
    call_command("kokreative_purge_submissions", stdout=out)
    assert "Deleted 2 form submission(s) older than 30 days" in out.getvalue()
    assert "2 form submission(s) deleted in total" in out.getvalue()
    assert list(FormSubmission.objects.all()) == [recent]
    assert "kim@example.org" not in out.getvalue()


def test_purge_leaves_other_form_types_alone(client, form_page):
    from django.contrib.contenttypes.models import ContentType

    post(client, form_page, valid_post(form_page))
    foreign = FormSubmission.objects.create(page=Page.objects.get(depth=1), form_data={})
    age(foreign, 1000)
    age(FormSubmission.objects.exclude(pk=foreign.pk).get(), 1000)
    call_command("kokreative_purge_submissions", stdout=StringIO())
    assert list(FormSubmission.objects.all()) == [foreign]
    assert ContentType.objects.get_for_model(ConsultationFormPage)


# Checks and settings ----------------------------------------------------------------------------


def test_check_names_wagtail_contrib_forms(monkeypatch):
    from django.apps import apps

    real = apps.is_installed
    monkeypatch.setattr(
        apps, "is_installed", lambda name: name != "wagtail.contrib.forms" and real(name)
    )
    errors = check_capability_apps()
    # consultations and registrations both build on Wagtail's forms: each names it
    assert {error.id for error in errors} == {"kokreative_wagtail.E001"}
    assert len(errors) == 2
    assert all('INSTALLED_APPS += ["wagtail.contrib.forms"]' in error.hint for error in errors)
    assert {error.msg.split()[0] for error in errors} == {
        "kokreative_wagtail.consultations",
        "kokreative_wagtail.registrations",
    }


@override_settings(KOKREATIVE={"FORM_RATE_LIMIT": -1, "FORM_MAX_BODY_BYTES": "big"})
def test_form_settings_are_checked():
    messages = check_settings()
    assert [m.id for m in messages] == ["kokreative_wagtail.E003", "kokreative_wagtail.E003"]
    assert all(m.level == checks.ERROR for m in messages)


def test_form_page_and_error_state_pass_the_html_audit(client, form_page):
    from ..html_audit import audit_html

    for response in (
        client.get(form_page.url),
        post(client, form_page, valid_post(form_page, privacy_consent=None, kk_website="x")),
    ):
        html = response.content.decode()
        assert audit_html(html).problems() == []
        # every visible input has a label pointing at it
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
            if 'type="hidden"' in tag:
                continue
            input_id = re.search(r'\sid="([^"]+)"', tag).group(1)
            assert f'for="{input_id}"' in html, tag


@pytest.mark.parametrize("mode", ["form", "landing"])
def test_preview_modes_render(rf, admin_user, form_page, mode):
    request = rf.get("/")
    from django.contrib.sessions.backends.db import SessionStore

    request.user = admin_user
    request.session = SessionStore()
    response = form_page.serve_preview(request, mode)
    response.render()
    assert response.status_code == 200
    html = response.content.decode()
    assert ("privacy_consent" in html) == (mode == "form")
