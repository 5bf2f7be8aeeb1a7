"""The panels on Wagtail's dashboard: next dates (cancelled and moved ones marked), series with
problems, new form submissions, notification e-mails with errors; each shows only what the user
may edit, nothing when there is nothing, and costs a few queries whatever the rows."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import GroupPagePermission

from kokreative_wagtail.consultations.dashboard import NewSubmissionsPanel
from kokreative_wagtail.events import occurrence_index
from kokreative_wagtail.events.dashboard import SeriesProblemsPanel, UpcomingDatesPanel
from kokreative_wagtail.events.models import EventIndexPage, IndexedEvent, IndexedOccurrence
from kokreative_wagtail.outbox.dashboard import NotificationProblemsPanel
from kokreative_wagtail.outbox.models import Notification
from tests.factories import add_page

from ..consultations.factories import create_consultation_page
from ..events.factories import add_event

BERLIN = ZoneInfo("Europe/Berlin")
PANEL_CLASSES = (
    UpcomingDatesPanel,
    SeriesProblemsPanel,
    NewSubmissionsPanel,
    NotificationProblemsPanel,
)
PANELS = ("upcoming-dates", "series-problems", "new-submissions", "notification-problems")


def tomorrow_at(hour: int):
    day = timezone.localtime(timezone.now(), BERLIN) + timedelta(days=1)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def submission(page, days_ago: float) -> FormSubmission:
    row = FormSubmission.objects.create(page=page, form_data={})
    FormSubmission.objects.filter(pk=row.pk).update(
        submit_time=timezone.now() - timedelta(days=days_ago)
    )
    return row


def notification(page, **values) -> Notification:
    """A row caused by the page itself: no submission to count in the submissions panel."""
    return Notification.objects.create(
        content_type=ContentType.objects.get_for_model(page),
        object_id=str(page.pk),
        page=page,
        kind="notification",
        recipients=["team@example.org"],
        subject="Neue Anfrage",
        body="Text",
        **values,
    )


@pytest.fixture
def site(site_root):
    """Two subtrees, A and B, each with events, a form, submissions and notifications."""
    occurrence_index.extend(rebuild_all=True)  # a horizon around today
    index_a = add_page(site_root, EventIndexPage, title="Termine A", slug="termine-a")
    index_b = add_page(site_root, EventIndexPage, title="Termine B", slug="termine-b")
    first = tomorrow_at(10)
    series = add_event(
        index_a,
        "Werkstatt A",
        first,
        first + timedelta(hours=2),
        "RRULE:FREQ=DAILY;COUNT=4",
        overrides=[
            {"original_start": first + timedelta(days=1), "action": "cancel", "note": "Fällt aus"},
            {
                "original_start": first + timedelta(days=2),
                "action": "move",
                "new_start": first + timedelta(days=2, hours=3),
            },
        ],
    )
    broken_a = add_event(index_a, "Kaputte Reihe A", first, first + timedelta(hours=1))
    event_b = add_event(index_b, "Sitzung B", tomorrow_at(12), tomorrow_at(13))
    broken_b = add_event(index_b, "Kaputte Reihe B", first, first + timedelta(hours=1))
    # as the index leaves a series whose rule cannot be expanded: no dates, and why
    broken = [broken_a.pk, broken_b.pk]
    IndexedOccurrence.objects.filter(page_id__in=broken).delete()
    IndexedEvent.objects.filter(page_id__in=broken).update(problem="Regel 1: zu viele Termine")
    form_a = create_consultation_page(site_root, title="Formular A", slug="formular-a")
    form_b = create_consultation_page(site_root, title="Formular B", slug="formular-b")
    submission(form_a, 2)
    submission(form_a, 3)
    submission(form_a, 10)
    submission(form_b, 1)
    failed_a = notification(
        form_a, status="failed", attempts=5, last_error="SMTPServerDisconnected"
    )
    notification(form_a, status="pending")  # just queued: not a problem
    notification(form_a, status="sent", next_attempt_at=None, sent_at=timezone.now())
    failed_b = notification(
        form_b, status="failed", attempts=5, last_error="ConnectionRefusedError"
    )
    return {
        "index_a": index_a,
        "series": series,
        "broken_a": broken_a,
        "event_b": event_b,
        "broken_b": broken_b,
        "form_a": form_a,
        "form_b": form_b,
        "failed_a": failed_a,
        "failed_b": failed_b,
    }


def admin_user(django_user_model, name, pages=()):
    """A Wagtail user who may edit ``pages`` (and below them) only."""
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw")
    group = Group.objects.create(name=f"Gruppe {name}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    change = Permission.objects.get(codename="change_page")
    for page in pages:
        GroupPagePermission.objects.create(group=group, page=page, permission=change)
    user.groups.add(group)
    return user


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("chefin", "chefin@example.org", "pw")


@pytest.fixture
def editor_a(django_user_model, site):
    return admin_user(django_user_model, "kim", [site["index_a"], site["form_a"]])


def home(client, user) -> BeautifulSoup:
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def panel(soup, name):
    return soup.find(attrs={"data-kokreative-dashboard": name})


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_a_superuser_sees_every_panel_with_the_right_rows(client, site, superuser):
    soup = home(client, superuser)
    dates = panel(soup, "upcoming-dates")
    rows = dates.select("tbody tr")
    states = [row["data-occurrence"] for row in rows]
    assert states.count("cancelled") == 1 and states.count("moved") == 1
    assert len(rows) == 5  # the series' four dates, the meeting in B
    links = {a["href"] for a in dates.select("tbody a")}
    assert links == {edit_url(site["series"]), edit_url(site["event_b"])}
    # the heading is a panel's heading, as Wagtail's own panels have it
    section = dates.find_parent("section")
    assert section.find("h2")
    moved = next(row for row in rows if row["data-occurrence"] == "moved")
    original = (site["series"].start + timedelta(days=2)).astimezone(BERLIN)
    assert moved.select("td")[2].find("time")["datetime"] == original.isoformat()
    cancelled = next(row for row in rows if row["data-occurrence"] == "cancelled")
    assert cancelled.find("del") and "Fällt aus" in cancelled.text

    problems = panel(soup, "series-problems")
    assert {a["href"] for a in problems.select("tbody a")} == {
        edit_url(site["broken_a"]),
        edit_url(site["broken_b"]),
    }
    assert "Regel 1: zu viele Termine" in problems.text

    forms = panel(soup, "new-submissions")
    counts = {
        row["data-page"]: row.find(attrs={"data-count": True})["data-count"]
        for row in forms.select("tbody tr")
    }
    assert counts == {str(site["form_a"].pk): "2", str(site["form_b"].pk): "1"}
    assert forms.find("a", href=reverse("wagtailforms:list_submissions", args=[site["form_a"].pk]))

    mails = panel(soup, "notification-problems")
    assert {int(row["data-notification"]) for row in mails.select("tbody tr")} == {
        site["failed_a"].pk,
        site["failed_b"].pk,
    }
    assert "SMTPServerDisconnected" in mails.text
    pk = site["failed_a"].pk
    assert mails.find("a", href=reverse("kokreative_notification:inspect", args=[pk]))
    assert mails.find("a", href=reverse("kokreative_notification:resend", args=[pk]))


def test_an_editor_of_one_subtree_sees_only_its_rows(client, site, editor_a):
    soup = home(client, editor_a)
    dates = panel(soup, "upcoming-dates")
    assert {a["href"] for a in dates.select("tbody a")} == {edit_url(site["series"])}
    problems = panel(soup, "series-problems")
    assert {a["href"] for a in problems.select("tbody a")} == {edit_url(site["broken_a"])}
    forms = panel(soup, "new-submissions")
    assert [row["data-page"] for row in forms.select("tbody tr")] == [str(site["form_a"].pk)]
    mails = panel(soup, "notification-problems")
    assert [int(row["data-notification"]) for row in mails.select("tbody tr")] == [
        site["failed_a"].pk
    ]


def test_a_user_without_rights_sees_none_of_the_panels(client, site, django_user_model):
    soup = home(client, admin_user(django_user_model, "niemand"))
    for name in PANELS:
        assert panel(soup, name) is None
    assert not soup.select("[id^=kokreative-]")


def test_nothing_to_show_renders_nothing(client, db, site_root, superuser):
    soup = home(client, superuser)
    for name in PANELS:
        assert panel(soup, name) is None


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            ["Upcoming dates", "Series with problems", "New requests", "Notifications with errors"],
        ),
        (
            "de",
            [
                "Nächste Termine",
                "Reihen mit Problemen",
                "Neue Anfragen",
                "Benachrichtigungen mit Fehlern",
            ],
        ),
    ],
)
def test_the_panels_speak_the_editors_language(site, superuser, language, expected):
    with translation.override(language):
        headings = [
            BeautifulSoup(_render(component(), superuser), "html.parser")
            .find("h2")
            .get_text(strip=True)
            for component in PANEL_CLASSES
        ]
    assert headings == expected


def _render(component, user) -> str:
    request = RequestFactory().get("/admin/")
    request.user = user
    return component.render_html({"request": request, "csrf_token": "x"})


@pytest.mark.parametrize("who", ["superuser", "editor_a"])
def test_each_panel_costs_a_few_queries_whatever_the_rows(
    who, request, site, django_assert_max_num_queries
):
    user = request.getfixturevalue(who)
    form_a = site["form_a"]
    for _ in range(20):  # more rows change nothing
        submission(form_a, 1)
        notification(form_a, status="failed", attempts=5, last_error="SMTPDataError")
    for component in PANEL_CLASSES:
        user = type(user).objects.get(pk=user.pk)  # no permissions cached yet
        with django_assert_max_num_queries(4):
            assert _render(component(), user).strip()
