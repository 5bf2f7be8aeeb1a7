"""The registrations in Wagtail's admin: only the editors of an event page see its registrations
(GHSA-pwm3-7fv4-g6xx); the waiting list in order; cancel, move and attendance as POSTs that go
through the seat decisions; the dashboard panel; a constant number of queries."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, Site

from kokreative_wagtail.outbox.models import Notification
from kokreative_wagtail.registrations import dates, moves, seats
from kokreative_wagtail.registrations.choices import Status
from kokreative_wagtail.registrations.dashboard import RegistrationDatesPanel
from kokreative_wagtail.registrations.models import Registration
from tests.factories import add_page
from tests.html_audit import audit_html

from ..events.factories import create_event_index
from .factories import create_registration_event, create_series_event, next_thursday, person
from .helpers import de

pytestmark = pytest.mark.django_db


def register(page, number, original_start=None, *, seats_=2, double_opt_in=False, **extra):
    if original_start is None:
        original_start = dates.date_states(page)[0].original_start
    return seats.register(
        page=page,
        original_start=original_start,
        seats=seats_,
        waiting_list=True,
        double_opt_in=double_opt_in,
        person=person(number, **extra),
    ).registration


def user_with(django_user_model, name, pages=(), codenames=("change_page",)):
    """A Wagtail user whose group has ``codenames`` on ``pages`` (and below them)."""
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw")
    group = Group.objects.create(name=f"Gruppe {name}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for page in pages:
        for codename in codenames:
            GroupPagePermission.objects.create(
                group=group, page=page, permission=Permission.objects.get(codename=codename)
            )
    user.groups.add(group)
    return user


def site_root():
    return Site.objects.get(is_default_site=True).root_page


def index_url() -> str:
    return reverse("kokreative_registrations:index")


def date_url(page, registration_or_scope) -> str:
    scope = getattr(registration_or_scope, "date", None)
    scope = scope.scope if scope is not None else registration_or_scope
    return reverse("kokreative_registrations:date", args=[page.pk, scope])


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def statuses(*registrations) -> list[str]:
    return [Registration.objects.get(pk=r.pk).status for r in registrations]


@pytest.fixture
def full_date():
    """A single date with 2 seats: two confirmed, two waiting (in order)."""
    page = create_registration_event(seats=2, title="Infosalon")
    people = [register(page, n) for n in range(1, 5)]
    return page, people


# Who sees what ----------------------------------------------------------------------------------


def test_editor_without_permission_on_the_page_sees_nothing(client, django_user_model, full_date):
    page, people = full_date
    other = add_page(site_root(), Page, title="Andere Seite", slug="andere-seite")
    outsider = user_with(django_user_model, "aussen", [other])
    client.force_login(outsider)

    index = client.get(index_url())
    assert index.status_code == 200
    assert "Infosalon" not in index.content.decode()
    assert client.get(reverse("kokreative_registrations:event", args=[page.pk])).status_code == 404
    url = date_url(page, people[0])
    assert client.get(url).status_code == 404
    assert client.get(url + "export/csv/").status_code == 404
    cancel = client.post(url, {"action": "cancel", "registration": people[0].pk})
    assert cancel.status_code == 404
    attendance = client.post(
        url, {"action": "attendance", "registration": people[0].pk, "attended": "yes"}
    )
    assert attendance.status_code == 404
    assert statuses(people[0]) == [Status.CONFIRMED]
    assert Registration.objects.get(pk=people[0].pk).attended is None
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "person1@example.org" not in home and "Infosalon" not in home


def test_superuser_sees_the_registrations(admin_client, full_date):
    page, people = full_date
    index = soup(admin_client.get(index_url()))
    row = index.find("tbody", attrs={"data-page": str(page.pk)})
    assert row is not None and "Infosalon" in row.get_text()
    assert row.find(attrs={"data-confirmed": True})["data-confirmed"] == "2"
    assert row.find(attrs={"data-waiting": True})["data-waiting"] == "2"
    response = admin_client.get(date_url(page, people[0]))
    assert response.status_code == 200
    assert "person1@example.org" in response.content.decode()


def test_moderator_group_with_permission_on_the_event_sees_and_acts(
    client, django_user_model, full_date
):
    page, people = full_date
    moderator = user_with(
        django_user_model, "moderation", [page.get_parent()], ("change_page", "publish_page")
    )
    client.force_login(moderator)
    assert "Infosalon" in client.get(index_url()).content.decode()
    url = date_url(page, people[0])
    assert client.get(url).status_code == 200
    assert client.get(url + "export/csv/").status_code == 200
    response = client.post(url, {"action": "cancel", "registration": people[0].pk})
    assert response.status_code == 302
    assert statuses(people[0]) == [Status.CANCELLED]


def test_menu_item_and_unknown_page_or_date(admin_client, full_date):
    page, _people = full_date
    home = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert index_url() in home
    assert admin_client.get(date_url(page, "2001-01-01T10:00:00Z")).status_code == 404
    assert admin_client.get(date_url(page, "kein-datum")).status_code == 404
    assert admin_client.get(date_url(page, "x" * 300)).status_code == 404
    missing = reverse("kokreative_registrations:event", args=[999999])
    assert admin_client.get(missing).status_code == 404
    # a page that is no event page
    root = site_root()
    assert (
        admin_client.get(reverse("kokreative_registrations:event", args=[root.pk])).status_code
        == 404
    )


# The list and the actions -----------------------------------------------------------------------


def test_date_view_lists_registered_and_the_waiting_list_in_order(admin_client, full_date):
    page, people = full_date
    html = soup(admin_client.get(date_url(page, people[0])))
    registered = html.find("table", attrs={"data-kokreative-registrations": "registered"})
    assert registered.caption is not None
    assert all(th.get("scope") for th in registered.find_all("th"))
    assert [tr["data-registration"] for tr in registered.tbody.find_all("tr")] == [
        str(people[0].pk),
        str(people[1].pk),
    ]
    waiting = html.find("table", attrs={"data-kokreative-registrations": "waiting"})
    rows = waiting.tbody.find_all("tr")
    assert [tr["data-registration"] for tr in rows] == [str(people[2].pk), str(people[3].pk)]
    assert [tr.td.get_text(strip=True) for tr in rows] == ["1", "2"]
    # Wagtail's own keyboard-shortcut dialog comes first with an h2; the rest is ours
    problems = audit_html(str(html)).problems()
    assert [p for p in problems if not p.startswith("first heading")] == []
    # every action is a POST form with CSRF and a labelled button
    for form in html.find_all("form", attrs={"data-action": True}):
        assert form["method"] == "post"
        assert form.find("input", attrs={"name": "csrfmiddlewaretoken"}) is not None
        assert form.find("button", attrs={"type": "submit"}).get_text(strip=True)


def test_cancel_promotes_the_first_waiting_and_tells_them(admin_client, full_date):
    page, people = full_date
    before = Notification.objects.count()
    response = admin_client.post(
        date_url(page, people[0]), {"action": "cancel", "registration": people[0].pk}
    )
    assert response.status_code == 302
    assert statuses(*people) == [
        Status.CANCELLED,
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITING,
    ]
    kinds = list(Notification.objects.order_by("pk").values_list("kind", flat=True)[before:])
    assert len(kinds) == 2  # cancelled by an editor, promoted
    again = admin_client.post(
        date_url(page, people[0]), {"action": "cancel", "registration": people[0].pk}
    )
    assert again.status_code == 400
    assert de("This registration is already cancelled.") in again.content.decode()


def test_bad_posts_get_a_clear_error(admin_client, full_date):
    page, people = full_date
    url = date_url(page, people[0])
    for data in (
        {"action": "explode", "registration": people[0].pk},
        {"action": "cancel", "registration": "abc"},
        {"action": "cancel", "registration": "9" * 40},
        {"action": "attendance", "registration": people[0].pk, "attended": "vielleicht"},
        {"action": "attendance", "registration": people[2].pk, "attended": "yes"},  # waiting
        {"action": "move", "registration": people[0].pk, "to": "gestern"},
    ):
        response = admin_client.post(url, data)
        assert response.status_code == 400, data
        assert soup(response).find(class_="messages") is not None
    assert statuses(*people) == [Status.CONFIRMED] * 2 + [Status.WAITING] * 2


def test_registration_of_another_date_is_refused(admin_client):
    page = create_series_event(seats=2)
    first, second = [state.original_start for state in dates.date_states(page)[:2]]
    elsewhere = register(page, 1, second)
    response = admin_client.post(
        date_url(page, seats.scope_of(first)), {"action": "cancel", "registration": elsewhere.pk}
    )
    assert response.status_code == 400
    assert statuses(elsewhere) == [Status.CONFIRMED]


def test_attendance_is_recorded(admin_client, full_date):
    page, people = full_date
    url = date_url(page, people[0])
    for value, stored in (("yes", True), ("no", False), ("unknown", None)):
        response = admin_client.post(
            url, {"action": "attendance", "registration": people[0].pk, "attended": value}
        )
        assert response.status_code == 302
        assert Registration.objects.get(pk=people[0].pk).attended is stored


# Moving -----------------------------------------------------------------------------------------


@pytest.fixture
def series():
    """Registration per date, 2 seats: the first date full with one waiting."""
    page = create_series_event(seats=2)
    first, second, third = [state.original_start for state in dates.date_states(page)[:3]]
    people = [register(page, n, first) for n in range(1, 4)]
    return page, (first, second, third), people


def test_move_confirms_there_frees_the_seat_and_promotes(admin_client, series):
    page, (first, second, _third), people = series
    before = Notification.objects.count()
    response = admin_client.post(
        date_url(page, people[0]),
        {"action": "move", "registration": people[0].pk, "to": seats.scope_of(second)},
    )
    assert response.status_code == 302
    moved = Registration.objects.get(pk=people[0].pk)
    assert moved.status == Status.CONFIRMED and moved.date.original_start == second
    assert statuses(people[2]) == [Status.CONFIRMED]  # moved up on the first date
    assert Notification.objects.count() == before + 2  # moved by an editor, promoted
    # the move form offers the other dates, not this one
    html = soup(admin_client.get(date_url(page, seats.scope_of(first))))
    options = [o["value"] for o in html.find("select", attrs={"name": "to"}).find_all("option")]
    assert seats.scope_of(second) in options and seats.scope_of(first) not in options


def test_move_to_a_full_date_is_refused(admin_client, series):
    page, (_first, _second, third), people = series
    register(page, 10, third)
    register(page, 11, third)
    response = admin_client.post(
        date_url(page, people[0]),
        {"action": "move", "registration": people[0].pk, "to": seats.scope_of(third)},
    )
    assert response.status_code == 409
    assert (
        de("The other date has no free seat. Add seats to it or cancel someone there first.")
        in response.content.decode()
    )
    assert (
        Registration.objects.get(pk=people[0].pk).date.original_start
        == people[0].date.original_start
    )
    with pytest.raises(moves.TargetFull):
        moves.move(people[2], third)


def test_move_refuses_same_date_unknown_date_and_twice_registered(series):
    page, (first, second, _third), people = series
    with pytest.raises(moves.SameDate):
        moves.move(people[0], first)
    with pytest.raises(moves.NoSuchDate):
        moves.move(people[0], first.replace(year=first.year + 30))
    register(page, 1, second)  # person 1 also registered for the second date
    with pytest.raises(moves.AlreadyThere):
        moves.move(people[0], second)
    pending = register(page, 20, second, double_opt_in=True)
    with pytest.raises(moves.NotMovable):
        moves.move(pending, first)


def test_a_waiting_person_moved_gets_a_seat_and_keeps_nobody_out(series):
    page, (first, second, _third), people = series
    change = moves.move(people[2], second)
    assert change.registration.status == Status.CONFIRMED and change.promoted == []
    assert statuses(*people) == [Status.CONFIRMED] * 3
    assert Registration.objects.get(pk=people[2].pk).waiting_since is None


# Overview and dashboard -------------------------------------------------------------------------


def test_index_queries_do_not_grow_with_registrations(admin_client, django_assert_max_num_queries):
    page = create_registration_event(seats=50)
    register(page, 1, seats_=50)
    with django_assert_max_num_queries(40) as few:
        assert admin_client.get(index_url()).status_code == 200
    for number in range(2, 30):
        register(page, number, seats_=50)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(index_url())
    assert soup(response).find(attrs={"data-confirmed": True})["data-confirmed"] == "29"


def test_date_view_queries_do_not_grow_with_registrations(
    admin_client, django_assert_max_num_queries
):
    page = create_registration_event(seats=50)
    first = register(page, 1, seats_=50)
    url = date_url(page, first)
    with django_assert_max_num_queries(60) as few:
        assert admin_client.get(url).status_code == 200
    for number in range(2, 20):
        register(page, number, seats_=50)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert admin_client.get(url).status_code == 200


def test_dashboard_panel_shows_the_next_dates_the_user_may_edit(
    django_user_model, django_assert_max_num_queries
):
    ours = create_registration_event(seats=3, title="Infosalon")
    register(ours, 1, seats_=3)
    other_index = create_event_index(site_root(), title="Andere Termine", slug="andere")
    theirs = create_series_event(seats=4, title="Fremde Reihe", index=other_index)
    editor = user_with(django_user_model, "kim", [ours.get_parent()])
    outsider = user_with(django_user_model, "aussen", [add_page(site_root(), Page, title="X")])
    request = RequestFactory().get("/")

    request.user = editor
    with django_assert_max_num_queries(8):
        context = RegistrationDatesPanel().get_context_data({"request": request})
    assert [fill.page.pk for fill in context["dates"]] == [ours.pk]  # not theirs
    assert theirs.pk not in {fill.page.pk for fill in context["dates"]}
    assert context["dates"][0].confirmed == 1 and context["dates"][0].seats == 3
    assert len(context["dates"]) <= 5

    request.user = outsider
    assert RegistrationDatesPanel().get_context_data({"request": request})["dates"] == []


def test_dashboard_renders_the_panel(admin_client, full_date):
    page, _people = full_date
    html = soup(admin_client.get(reverse("wagtailadmin_home")))
    panel = html.find(attrs={"data-kokreative-dashboard": "registration-dates"})
    assert panel is not None and panel.caption is not None
    assert panel.find(attrs={"data-page": str(page.pk)}) is not None


def test_series_registration_has_one_row_and_no_move(admin_client):
    page = create_series_event(mode="series", seats=3)
    registration = register(page, 1, None, seats_=3)
    assert registration.date.scope == "series"
    event = soup(admin_client.get(reverse("kokreative_registrations:event", args=[page.pk])))
    rows = event.find("table", attrs={"data-kokreative-registrations": "upcoming"}).tbody
    assert [tr["data-scope"] for tr in rows.find_all("tr")] == ["series"]
    html = soup(admin_client.get(date_url(page, "series")))
    assert html.find("tr", attrs={"data-registration": str(registration.pk)}) is not None
    assert html.find("form", attrs={"data-action": "move"}) is None
    # a date of the series is no scope of its own here
    first = dates.date_states(create_series_event(title="Andere", index=page.get_parent()))[0]
    assert admin_client.get(date_url(page, seats.scope_of(first.start))).status_code == 404


def test_past_date_is_listed_for_attendance(admin_client):
    start = next_thursday(days_ahead=-20)
    page = create_registration_event(seats=5, start=start)
    registration = register(page, 1, start, seats_=5)
    event = soup(admin_client.get(reverse("kokreative_registrations:event", args=[page.pk])))
    earlier = event.find("table", attrs={"data-kokreative-registrations": "earlier"})
    assert [tr["data-scope"] for tr in earlier.tbody.find_all("tr")] == [registration.date.scope]
    url = date_url(page, registration)
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url, {"action": "attendance", "registration": registration.pk, "attended": "no"}
    )
    assert response.status_code == 302
    assert Registration.objects.get(pk=registration.pk).attended is False
