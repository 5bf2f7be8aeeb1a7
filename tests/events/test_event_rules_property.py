"""Property tests over random rules and windows.

Any rule, however wild (the values an import or the shell could store): listing never raises,
its dates are sorted, unique and inside the window, and a sound series next to it is served in
full. Any rule validation accepts: the dates equal an independent expansion (dateutil from the
real DTSTART, no jumping to the window).
"""

from __future__ import annotations

import itertools
import warnings
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import recurrence
from dateutil import rrule
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from recurrence.base import Weekday

from kokreative_wagtail.events import occurrences, rules
from kokreative_wagtail.events.series import occurrences_of, series_for

UTC = timezone.utc
ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC"]
SOUND_START = datetime(2020, 1, 2, 16, 30, tzinfo=ZoneInfo("Europe/Berlin"))


class _Overrides(list):
    def all(self):
        return self


def event(pk, start, minutes, zone, value):
    return SimpleNamespace(
        pk=pk,
        title=f"Event {pk}",
        recurrence=value,
        start=start,
        end=start + timedelta(minutes=minutes),
        time_zone=zone,
        all_day=False,
        overrides=_Overrides(),
        location_name="",
        location_address="",
    )


def sound_event():
    value = recurrence.Recurrence(rrules=[recurrence.Rule(rrule.WEEKLY)])
    return event("sound", SOUND_START, 90, "Europe/Berlin", value)


def int_lists(low, high, max_size=3):
    return st.lists(st.integers(low, high), max_size=max_size, unique=True)


wild_rules = st.builds(
    recurrence.Rule,
    freq=st.integers(0, 6),
    interval=st.integers(-2, 2000),
    count=st.none() | st.integers(-1, 3000),
    until=st.none()
    | st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30), timezones=st.just(UTC)),
    bysetpos=int_lists(-400, 400),
    bymonth=int_lists(-1, 14),
    bymonthday=int_lists(-33, 33),
    byyearday=int_lists(-370, 370, 2),
    byweekno=int_lists(-55, 55, 2),
    byday=st.lists(
        st.builds(Weekday, st.integers(0, 6), st.none() | st.integers(-60, 60)), max_size=3
    ),
    byhour=int_lists(-1, 25, 4),
    byminute=int_lists(-1, 61, 4),
)

wild_dates = st.lists(
    st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30), timezones=st.just(UTC)), max_size=3
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rrules=st.lists(wild_rules, max_size=2),
    exrules=st.lists(wild_rules, max_size=1),
    rdates=wild_dates,
    exdates=wild_dates,
    start=st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30), timezones=st.just(UTC))
    | st.datetimes(datetime(2015, 1, 1), datetime(2035, 1, 1), timezones=st.just(UTC)),
    minutes=st.integers(0, 3000),
    zone=st.sampled_from([*ZONES, "Europe", "Nowhere/Else"]),
    window_start=st.datetimes(datetime(2018, 1, 1), datetime(2032, 1, 1), timezones=st.just(UTC)),
    window_days=st.integers(1, 400),
)
def test_property_no_rule_breaks_a_listing(
    rrules, exrules, rdates, exdates, start, minutes, zone, window_start, window_days
):
    value = recurrence.Recurrence(rrules=rrules, exrules=exrules, rdates=rdates, exdates=exdates)
    wild = event("wild", start, minutes, zone, value)
    sound = sound_event()
    window_end = window_start + timedelta(days=window_days)

    items = occurrences_of([wild, sound], window_start, window_end)  # never raises

    keys = [(item.start, str(item.event.pk)) for item in items]
    assert keys == sorted(keys)
    assert len(keys) == len(set(keys))
    for item in items:
        assert item.start < window_end and (item.end > window_start or item.start >= window_start)
    # the sound series next to it is served in full
    alone = occurrences_of([sound_event()], window_start, window_end)
    assert [i.start for i in items if i.event.pk == "sound"] == [i.start for i in alone]


# --- rules validation accepts: equal to an independent expansion ------------------------------


@st.composite
def sound_rules(draw):
    freq = draw(st.sampled_from(rules.FREQUENCIES))
    kwargs = {}
    if draw(st.booleans()):
        limit = {rrule.MONTHLY: 5, rrule.YEARLY: 53}.get(freq)
        if freq == rrule.YEARLY and draw(st.booleans()):
            kwargs["bymonth"] = draw(int_lists(1, 12))
            limit = 5 if kwargs["bymonth"] else limit  # the position counts within the month
        positions = (
            st.sampled_from([None])
            if limit is None
            else st.none() | st.sampled_from([n for n in range(-limit, limit + 1) if n])
        )
        kwargs["byday"] = draw(
            st.lists(st.builds(Weekday, st.integers(0, 6), positions), min_size=1, max_size=3)
        )
    if freq in (rrule.MONTHLY, rrule.YEARLY) and draw(st.booleans()):
        kwargs["bymonthday"] = draw(
            st.lists(st.sampled_from([*range(1, 32), -1, -2]), min_size=1, max_size=2, unique=True)
        )
    if kwargs and draw(st.booleans()):
        kwargs["bysetpos"] = draw(st.lists(st.sampled_from([1, 2, -1]), min_size=1, unique=True))
    if freq == rrule.DAILY and draw(st.booleans()):
        kwargs["byhour"] = draw(st.lists(st.integers(0, 23), min_size=1, max_size=3, unique=True))
        kwargs["byminute"] = [draw(st.sampled_from([0, 15, 30]))]
    end = draw(st.sampled_from(["none", "count", "until"]))
    if end == "count":
        kwargs["count"] = draw(st.integers(1, 60))
    elif end == "until":
        kwargs["until"] = draw(
            st.datetimes(datetime(2021, 1, 1), datetime(2045, 1, 1), timezones=st.just(UTC))
        )
    return recurrence.Rule(freq, interval=draw(st.integers(1, 6)), **kwargs)


def independent(series: occurrences.Series, window_start, window_end) -> list[datetime]:
    """dateutil's own expansion from the real DTSTART (no anchoring), same edge rules."""
    zone = series.zone
    wall = occurrences.to_wall(series.start, zone)
    duration = series.end - series.start
    horizon = occurrences.to_wall(window_end, zone) + timedelta(days=2)
    instants = {wall}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # COUNT with a search limit
        for rule in series.rules:
            until = occurrences.to_wall(rule.until, zone) if rule.until is not None else None
            bound = horizon if until is None else min(until, horizon)
            full = rrule.rrule(
                rule.freq,
                dtstart=wall,
                interval=rule.interval,
                count=rule.count,
                until=bound,
                wkst=rule.wkst,
                **rule.kwargs(),
            )
            instants.update(itertools.takewhile(lambda dt: dt <= horizon, full))
    result = []
    for instant in sorted(instants):
        start = occurrences.from_wall(instant, zone)
        if start < window_end and (start + duration > window_start or start >= window_start):
            result.append(start)
    return sorted(set(result))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rule=sound_rules(),
    start=st.datetimes(datetime(2000, 1, 1), datetime(2030, 1, 1)),
    zone=st.sampled_from(ZONES),
    window_start=st.datetimes(datetime(2000, 1, 1), datetime(2035, 1, 1), timezones=st.just(UTC)),
    window_days=st.integers(1, 120),
)
def test_property_sound_rules_equal_independent_expansion(
    rule, start, zone, window_start, window_days
):
    tz = ZoneInfo(zone)
    page = event("p", start.replace(second=0, microsecond=0, tzinfo=tz), 60, zone, None)
    page.recurrence = recurrence.Recurrence(rrules=[rule])
    series = series_for(page)
    assume(rules.problems(series) == [])
    window_end = window_start + timedelta(days=window_days)
    got = [o.start for o in occurrences.expand(series, window_start, window_end)]
    assert got == sorted(set(got))
    assert got == independent(series, window_start, window_end)
