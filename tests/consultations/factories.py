"""Helpers for the consultation form tests: pages with the default fields, valid data, and an
e-mail backend that always fails."""

from __future__ import annotations

import time
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend

from kokreative_wagtail import spam
from kokreative_wagtail.consultations.models import ConsultationFormPage


class FailingEmailBackend(BaseEmailBackend):
    """Every send fails, as a mail server that is down does."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server for kim@example.org is down")


def create_consultation_page(parent, *, fields=None, **values) -> ConsultationFormPage:
    """A published form page with the default fields (or ``fields``: model instances, kept in
    the order given: a field without ``sort_order`` gets its position, as the admin's formset
    gives it; without one the database may return them in any order)."""
    values.setdefault("title", "Beratungsgespräch vereinbaren")
    values.setdefault("slug", "beratung")
    page = ConsultationFormPage(**values)
    if fields is None:
        fields = page.get_default_form_fields()
    for position, field in enumerate(fields):
        if field.sort_order is None:
            field.sort_order = position
    page.form_fields = fields
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def notification_row(page, **values):
    """A submission to ``page`` and its notification e-mail (pending, not sent yet)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.contrib.forms.models import FormSubmission

    from kokreative_wagtail.outbox.models import Notification

    submission = FormSubmission.objects.create(page=page, form_data={})
    values = {"recipients": ["team@example.org"], "subject": "Neue Anfrage", **values}
    return Notification.objects.create(
        content_type=ContentType.objects.get_for_model(FormSubmission),
        object_id=str(submission.pk),
        page=page,
        kind="notification",
        body="Text",
        **values,
    )


def old_token(page, seconds_ago: float = 60) -> str:
    """A form token handed out ``seconds_ago`` (past the minimum fill time)."""
    return spam.make_token(page.pk, issued_at=time.time() - seconds_ago)


def field_names(page) -> dict[str, str]:
    """Clean names of the default fields by field type/purpose."""
    names = [f.clean_name for f in page.form_fields.all()]
    return dict(
        zip(
            ["name", "organisation", "role", "email", "phone", "topic", "message", "time"],
            names,
            strict=True,
        )
    )


def valid_values(page) -> dict[str, Any]:
    """Values for the default fields of ``page`` by clean name (JSON types)."""
    n = field_names(page)
    return {
        n["name"]: "Kim Muster",
        n["organisation"]: "Stadt Beispielstadt",
        n["role"]: "Verwaltung",
        n["email"]: "kim@example.org",
        n["phone"]: "",
        n["topic"]: page.form_fields.get(clean_name=n["topic"]).choices.splitlines()[0],
        n["message"]: "Wir möchten Partizipation in unserer Verwaltung verankern.",
        n["time"]: "dienstags vormittags",
        "privacy_consent": True,
    }


def valid_post(page, **overrides) -> dict[str, Any]:
    """Form data the HTML form would post: values, consent, token, empty honeypot."""
    data = {k: v for k, v in valid_values(page).items() if k != "privacy_consent"}
    data.update(
        {"privacy_consent": "on", spam.TOKEN_FIELD: old_token(page), spam.HONEYPOT_FIELD: ""}
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_json_at_once(url: str, bodies: list[bytes]) -> list[int]:
    """POST each body as JSON from its own thread, all released together; the statuses.

    A barrier lines the threads up so the requests really overlap on the live server.
    """
    import threading
    import urllib.error
    import urllib.request

    barrier = threading.Barrier(len(bodies))
    statuses: list[int] = []
    lock = threading.Lock()

    def send(body: bytes) -> None:
        request = urllib.request.Request(
            url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=send, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def editor(django_user_model, name, page=None):
    """A Wagtail editor; with ``page``, allowed to edit it (and so to see its submissions)."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw")
    group = Group.objects.create(name=f"Gruppe {name}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    if page is not None:
        GroupPagePermission.objects.create(
            group=group, page=page, permission=Permission.objects.get(codename="change_page")
        )
    user.groups.add(group)
    return user


def live_server_thread(request_queue_size: int | None = None):
    """Django's live test server in a thread, as a generator for a fixture: yields its URL.

    ``request_queue_size`` widens the listen backlog (``socketserver``'s few connections
    overflow when dozens of clients connect at once, and the kernel resets some of them).
    """
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import LiveServerThread, _StaticFilesHandler

    class Server(ThreadedWSGIServer):
        pass

    if request_queue_size is not None:
        Server.request_queue_size = request_queue_size

    class Thread(LiveServerThread):
        server_class = Server

    thread = Thread("127.0.0.1", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()
