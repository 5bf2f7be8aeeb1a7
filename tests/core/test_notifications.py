"""The outbox of notification e-mails: nothing lost while the mail server is down or hangs,
bounded waits, retries with backoff, exactly-once delivery, deletion with the submission."""

from __future__ import annotations

import datetime
import logging
import smtplib
import socket
import threading
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from kokreative_wagtail.checks import check_notifications, check_settings
from kokreative_wagtail.consultations.tasks import send_submission_emails
from kokreative_wagtail.outbox import sending
from kokreative_wagtail.outbox.models import Notification
from kokreative_wagtail.outbox.tasks import requeue, send_notification

from ..consultations.factories import create_consultation_page, editor, notification_row, valid_post

pytestmark = pytest.mark.django_db

SMTP = "django.core.mail.backends.smtp.EmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
RAISING = "tests.core.test_notifications.RaisingEmailBackend"
PERSONAL = ("kim@example.org", "Kim Muster", "Beispielstadt")


class RaisingEmailBackend(BaseEmailBackend):
    """A backend whose server rejects everything, quoting an address as real servers do."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"kim@example.org": (550, b"kim@example.org unknown")})


@pytest.fixture
def form_page(site_root):
    """A form that sends two e-mails per submission: to the team and a confirmation."""
    return create_consultation_page(
        site_root,
        to_address="team@example.org",
        send_confirmation=True,
        confirmation_subject="Danke!",
        confirmation_text="Wir melden uns.",
    )


@pytest.fixture
def refusing_port():
    """A local port with nothing listening: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_port():
    """A local server that accepts connections and never says a word (no SMTP greeting)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.05)
    stop = threading.Event()
    accepted: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for client in accepted:
        client.close()
    server.close()


@pytest.fixture
def smtp_timeouts(monkeypatch):
    """The timeouts smtplib connections are opened with."""
    seen: list[float | None] = []
    original = smtplib.SMTP.__init__

    def init(self, host="", port=0, local_hostname=None, timeout=None, **kwargs):
        seen.append(timeout)
        original(self, host, port, local_hostname, timeout, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "__init__", init)
    return seen


def submit(client, page, capture):
    """Post the form; the on-commit callbacks (the immediate task backend) run as in a request."""
    with capture(execute=True):
        response = client.post(page.url, valid_post(page))
    assert response.status_code == 200
    assert "Vielen Dank" in response.content.decode()
    return response


def come_due() -> None:
    """Time passes: every pending row's next attempt has come."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    Notification.objects.filter(status=Notification.Status.PENDING).update(next_attempt_at=past)


def send_command() -> str:
    out = StringIO()
    call_command("kokreative_send_notifications", stdout=out)
    return out.getvalue()


def assert_pending_after_one_failure(error: str, before: datetime.datetime) -> None:
    """One submission's two rows after a failed request: the first tried once and failed, the
    second not tried at all (the request gives up at the first failure, so the visitor waits for
    one mail server timeout at most); both pending, both due again in a minute."""
    rows = list(Notification.objects.order_by("pk"))
    assert len(rows) == 2
    assert [(row.attempts, row.last_error) for row in rows] == [(1, error), (0, "")]
    for row in rows:
        assert row.status == Notification.Status.PENDING
        assert row.locked_until is None
        assert row.sent_at is None
        # first retry after a minute
        assert before + datetime.timedelta(minutes=1) <= row.next_attempt_at
        assert row.next_attempt_at <= timezone.now() + datetime.timedelta(minutes=1)


# Stored with the submission ---------------------------------------------------------------------


def test_rows_are_rendered_and_stored_with_the_submission(
    client, form_page, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(form_page.url, valid_post(form_page))
    submission = FormSubmission.objects.get()
    notification, confirmation = Notification.objects.order_by("pk")
    assert mailoutbox == []  # stored, not yet sent: the task runs after the commit
    assert len(callbacks) == 1
    assert notification.kind == "notification"
    assert notification.recipients == ["team@example.org"]
    assert notification.reply_to == ["kim@example.org"]
    assert "Kim Muster" in notification.body
    assert confirmation.kind == "confirmation"
    assert confirmation.recipients == ["kim@example.org"]
    assert (confirmation.subject, confirmation.body) == ("Danke!", "Wir melden uns.")
    for row in (notification, confirmation):
        assert row.page_id == form_page.pk
        assert row.object_id == str(submission.pk)
        assert row.status == Notification.Status.PENDING
        assert Notification.for_cause(submission).filter(pk=row.pk).exists()


def test_submission_and_rows_are_one_transaction(client, form_page, monkeypatch):
    from kokreative_wagtail.consultations import abstract, tasks

    def store_then_fail(page, submission):
        tasks.store_submission_emails(page, submission)
        raise RuntimeError("database gone")

    monkeypatch.setattr(abstract, "store_submission_emails", store_then_fail)
    with pytest.raises(RuntimeError):
        client.post(form_page.url, valid_post(form_page))
    assert FormSubmission.objects.count() == 0
    assert Notification.objects.count() == 0


def test_a_working_server_gets_each_mail_once(
    client, form_page, mailoutbox, django_capture_on_commit_callbacks
):
    submit(client, form_page, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mailoutbox) == ["kim@example.org", "team@example.org"]
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}
    assert all(row.sent_at for row in Notification.objects.all())
    assert "Sent 0 notification e-mail(s)" in send_command()
    assert len(mailoutbox) == 2


# The mail server is down, hangs or refuses --------------------------------------------------------


def test_refusing_server_loses_nothing_and_command_sends_once_it_is_back(
    client, form_page, settings, refusing_port, smtp_timeouts, caplog,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", refusing_port
    caplog.set_level(logging.DEBUG)
    for _ in range(3):
        submit(client, form_page, django_capture_on_commit_callbacks)
    assert FormSubmission.objects.count() == 3
    assert Notification.objects.count() == 6
    # one connection per request, given up at its first failure
    assert smtp_timeouts == [settings.EMAIL_TIMEOUT] * 3
    rows = Notification.objects.filter(object_id=str(FormSubmission.objects.first().pk))
    assert rows.count() == 2
    assert (
        sorted(Notification.objects.values_list("last_error", flat=True))
        == [""] * 3 + ["ConnectionRefusedError"] * 3
    )
    assert "ConnectionRefusedError" in caplog.text
    for personal in PERSONAL:
        assert personal not in caplog.text

    # not due yet: the command leaves them alone
    assert "Sent 0 notification e-mail(s)" in send_command()
    assert mail.outbox == []

    settings.EMAIL_BACKEND = LOCMEM  # the server is back
    come_due()
    out = send_command()
    assert "Sent 6 notification e-mail(s); 0 failed" in out
    assert len(mail.outbox) == 6
    assert (
        sorted(m.to[0] for m in mail.outbox) == ["kim@example.org"] * 3 + ["team@example.org"] * 3
    )
    for personal in PERSONAL:
        assert personal not in out
    come_due()
    assert "Sent 0 notification e-mail(s)" in send_command()
    assert len(mail.outbox) == 6
    # the tried rows in two attempts, the untried ones in one
    assert (
        sorted(Notification.objects.values_list("status", "attempts"))
        == [("sent", 1)] * 3 + [("sent", 2)] * 3
    )


def test_silent_server_is_given_up_on_after_the_timeout(
    client, form_page, settings, silent_port, smtp_timeouts, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", silent_port
    settings.EMAIL_TIMEOUT = 0.2  # the site's bound is what the connection gets
    before = timezone.now()
    submit(client, form_page, django_capture_on_commit_callbacks)
    assert smtp_timeouts == [0.2]  # one connection, given up after one timeout
    # smtplib turns the socket timeout into "connection unexpectedly closed"
    assert_pending_after_one_failure("SMTPServerDisconnected", before)

    settings.EMAIL_BACKEND = LOCMEM
    come_due()
    assert "Sent 2 notification e-mail(s)" in send_command()
    assert len(mail.outbox) == 2


def test_without_email_timeout_connections_get_our_short_default(settings):
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_TIMEOUT = None
    assert sending.open_connection().timeout == sending.DEFAULT_EMAIL_TIMEOUT == 10
    settings.EMAIL_TIMEOUT = 3
    assert sending.open_connection().timeout == 3


def test_raising_backend_records_the_error_class_only(
    client, form_page, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = RAISING
    caplog.set_level(logging.DEBUG)
    before = timezone.now()
    submit(client, form_page, django_capture_on_commit_callbacks)
    assert FormSubmission.objects.count() == 1
    assert_pending_after_one_failure("SMTPRecipientsRefused", before)
    assert "SMTPRecipientsRefused" in caplog.text
    for personal in PERSONAL:
        assert personal not in caplog.text


def test_backoff_then_failed_after_the_maximum_attempts(form_page, settings, caplog):
    settings.EMAIL_BACKEND = RAISING
    settings.KOKREATIVE = {"NOTIFICATION_MAX_ATTEMPTS": 4}
    row = notification_row(form_page)
    delays = []
    for attempt in range(1, 4):
        started = timezone.now()
        assert send_notification.call(row.pk) == "retry"
        row.refresh_from_db()
        assert (row.status, row.attempts) == ("pending", attempt)
        delays.append(row.next_attempt_at - started)
        come_due()
    assert [round(d.total_seconds() / 60) for d in delays] == [1, 5, 30]
    assert send_notification.call(row.pk) == "failed"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 4, None)
    assert row.last_error == "SMTPRecipientsRefused"
    assert "failed for the last time" in caplog.text

    settings.EMAIL_BACKEND = LOCMEM  # a failed row waits for an editor, not for cron
    assert "Sent 0" in send_command()
    assert mail.outbox == []
    requeue(row)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 0)
    assert "Sent 1" in send_command()
    assert len(mail.outbox) == 1


def test_backoff_schedule():
    minutes = [sending.backoff(n).total_seconds() / 60 for n in range(1, 8)]
    assert minutes == [1, 5, 30, 120, 720, 720, 720]


# Exactly once -------------------------------------------------------------------------------------


def test_a_claimed_row_is_not_sent_by_a_second_worker(form_page, mailoutbox):
    row = notification_row(form_page)
    assert sending.claim(row.pk) is not None  # worker A holds it …
    assert sending.claim(row.pk) is None  # … so worker B cannot take it
    assert sending.deliver(row.pk) is sending.Outcome.SKIPPED
    assert "0 failed" in send_command()
    assert mailoutbox == []
    # a worker that died holding it: the claim expires, then the row goes out once
    Notification.objects.filter(pk=row.pk).update(
        locked_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert send_notification.call(row.pk) == "sent"
    assert send_notification.call(row.pk) == "skipped"
    assert len(mailoutbox) == 1


def test_a_row_claimed_elsewhere_is_not_marked_by_a_stale_worker(form_page, mailoutbox):
    row = notification_row(form_page)
    until = sending.claim(row.pk)
    Notification.objects.filter(pk=row.pk).update(locked_until=until + datetime.timedelta(1))
    # the stale worker's "sent" must not touch a row another worker now holds
    Notification.objects.filter(pk=row.pk, locked_until=until).update(status="sent")
    row.refresh_from_db()
    assert row.status == "pending"


@pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL: SQLite in memory serializes writers",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_send_each_row_once(site_root, mailoutbox):
    page = create_consultation_page(site_root, to_address="team@example.org")
    rows = [notification_row(page, subject=f"Anfrage {n}") for n in range(30)]
    start = threading.Barrier(4)

    def worker() -> None:
        start.wait()
        try:
            sending.send_due()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(m.subject for m in mailoutbox) == sorted(row.subject for row in rows)
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_command_prints_counts_only(form_page, settings):
    settings.EMAIL_BACKEND = RAISING
    notification_row(form_page, recipients=["kim@example.org"])
    out = send_command()
    assert out.strip() == (
        "Sent 0 notification e-mail(s); 1 failed and will be retried, "
        "0 failed for the last time, 0 taken by another worker."
    )
    assert "kim@example.org" not in out


def test_retry_is_enqueued_on_a_backend_that_defers(form_page, settings, monkeypatch):
    settings.EMAIL_BACKEND = RAISING
    row = notification_row(form_page)
    backend = send_notification.get_backend()
    monkeypatch.setattr(type(backend), "supports_defer", True, raising=False)
    enqueued = []
    monkeypatch.setattr(
        type(send_notification),
        "enqueue",
        lambda task, *args: enqueued.append((task.run_after, args)),
    )
    assert send_notification.call(row.pk) == "retry"
    row.refresh_from_db()
    assert enqueued == [(row.next_attempt_at, (row.pk,))]


# Compatibility and personal data ------------------------------------------------------------------


def test_a_task_enqueued_before_the_outbox_stores_and_sends(
    client, form_page, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        client.post(form_page.url, valid_post(form_page))
    submission = FormSubmission.objects.get()
    Notification.objects.all().delete()  # as if stored before the upgrade
    send_submission_emails.call(form_page.pk, submission.pk)
    assert len(mailoutbox) == 2
    send_submission_emails.call(form_page.pk, submission.pk)
    assert len(mailoutbox) == 2


def test_rows_are_deleted_with_their_submission_and_page(
    client, form_page, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = RAISING
    for _ in range(3):
        submit(client, form_page, django_capture_on_commit_callbacks)
    first, *rest = FormSubmission.objects.order_by("pk")
    first.delete()
    assert Notification.objects.count() == 4
    FormSubmission.objects.filter(pk=rest[0].pk).delete()  # the admin deletes a queryset
    assert Notification.objects.count() == 2
    form_page.delete()
    assert Notification.objects.count() == 0


# System check -------------------------------------------------------------------------------------


def ids(messages) -> list[str]:
    return [m.id for m in messages]


def test_check_warns_about_smtp_without_timeout():
    with override_settings(EMAIL_BACKEND=SMTP, EMAIL_TIMEOUT=None):
        [warning] = check_notifications()
        assert warning.id == "kokreative_wagtail.W004"
        assert "EMAIL_TIMEOUT = 10" in warning.hint
    with override_settings(EMAIL_BACKEND=SMTP, EMAIL_TIMEOUT=10):
        assert check_notifications() == []
    with override_settings(EMAIL_BACKEND=LOCMEM, EMAIL_TIMEOUT=None):
        assert check_notifications() == []
    with override_settings(KOKREATIVE={"NOTIFICATION_MAX_ATTEMPTS": 0}):
        [error] = check_settings()  # its minimum is in the one settings table
        assert error.id == "kokreative_wagtail.E003" and "at least 1" in error.msg


# The admin ----------------------------------------------------------------------------------------


INDEX = "/admin/kokreative/notifications/"


def test_editors_of_the_form_see_failed_rows_and_send_them_again(
    client, site_root, form_page, settings, django_user_model, django_capture_on_commit_callbacks
):
    from wagtail.models import Page

    from ..factories import add_page

    settings.EMAIL_BACKEND = RAISING
    settings.KOKREATIVE = {"NOTIFICATION_MAX_ATTEMPTS": 1}
    submit(client, form_page, django_capture_on_commit_callbacks)
    failed = Notification.objects.get(kind="notification")
    assert failed.status == "failed"
    resend = f"{INDEX}resend/{failed.pk}/"

    other = add_page(site_root, Page, title="Andere Seite", slug="andere-seite")
    client.force_login(editor(django_user_model, "aussen", page=other))
    assert client.get(INDEX).status_code in (302, 403)
    assert client.get(resend).status_code in (302, 403, 404)
    assert client.post(resend).status_code in (302, 403, 404)
    failed.refresh_from_db()
    assert failed.status == "failed"

    client.force_login(editor(django_user_model, "innen", page=form_page))
    listing = client.get(INDEX)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "SMTPRecipientsRefused" in html
    assert resend in html
    assert "Wir melden uns." not in html  # contents only on the inspect page
    assert client.get(f"{INDEX}inspect/{failed.pk}/").status_code == 200
    assert client.get(f"{INDEX}edit/{failed.pk}/").status_code in (302, 403)
    assert client.get(f"{INDEX}new/").status_code in (302, 403)
    assert client.get(resend).status_code == 200

    settings.EMAIL_BACKEND = LOCMEM  # the server is back; the editor sends it again
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend)
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "sent"
    assert [m.to for m in mail.outbox] == [["team@example.org"]]
    assert client.get(resend).status_code == 404  # a sent row is not sent again


def test_superusers_see_every_row(admin_client, form_page):
    row = notification_row(form_page)
    html = admin_client.get(INDEX).content.decode()
    assert f"{INDEX}resend/{row.pk}/" in html
