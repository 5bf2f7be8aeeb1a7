"""The pure occurrence module: wall time across DST, caps, EXDATE/RDATE/COUNT semantics."""

import heapq
import itertools
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from dateutil import rrule
from hypothesis import given, settings
from hypothesis import strategies as st

from kokreative_wagtail.events.occurrences import (
    MAX_OCCURRENCES,
    MAX_WINDOW,
    ExpansionError,
    Rule,
    Series,
    WindowError,
    expand,
    from_wall,
    iter_occurrences,
)

BERLIN = ZoneInfo("Europe/Berlin")
UTC = timezone.utc


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


SEED_START = berlin(2022, 9, 1, 16, 30)


def community_of_practice(start=SEED_START, **kwargs) -> Series:
    """The seed's series: every four weeks on Thursday, 16:30–18:00 Europe/Berlin."""
    return Series(
        key="cop",
        start=start,
        end=start + timedelta(minutes=90),
        zone=BERLIN,
        rules=(Rule(rrule.WEEKLY, interval=4, byparams=(("byweekday", (rrule.TH,)),)),),
        **kwargs,
    )


def merged(series, window_start, window_end, limit=MAX_OCCURRENCES):
    """Many series' lazy streams merged and cut at ``limit``, as callers of
    ``iter_occurrences`` merge them: only possible because each stream comes sorted."""
    streams = [iter_occurrences(s, window_start, window_end) for s in series]
    return list(itertools.islice(heapq.merge(*streams), limit))


def local_times(occurrences):
    return [o.start.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M") for o in occurrences]


def test_weekly_series_keeps_local_time_across_both_dst_switches():
    occurrences = expand(community_of_practice(), berlin(2023, 3, 1), berlin(2023, 11, 30))
    assert {o.start.astimezone(BERLIN).strftime("%H:%M") for o in occurrences} == {"16:30"}
    assert {o.end.astimezone(BERLIN).strftime("%H:%M") for o in occurrences} == {"18:00"}
    utc_hours = {o.start.astimezone(UTC).hour for o in occurrences}
    assert utc_hours == {14, 15}  # CEST and CET
    # every four weeks, on Thursdays
    gaps = {
        b.start.astimezone(BERLIN).date() - a.start.astimezone(BERLIN).date()
        for a, b in zip(occurrences, occurrences[1:], strict=False)
    }
    assert gaps == {timedelta(weeks=4)}
    assert {o.start.astimezone(BERLIN).weekday() for o in occurrences} == {3}
    assert all(o.start.tzinfo == UTC for o in occurrences)


def test_old_series_gives_the_same_window_as_a_new_one():
    window = (berlin(2026, 1, 1), berlin(2027, 1, 1))
    old = expand(community_of_practice(start=berlin(2015, 1, 1, 16, 30)), *window)
    # the same rule anchored at a Thursday of the same four-week phase, shortly before
    first = old[0].start.astimezone(BERLIN)
    new = expand(community_of_practice(start=first - timedelta(weeks=4)), *window)
    assert local_times(old) == local_times(new)
    assert len(old) == 13


def test_jumping_to_the_window_equals_full_iteration():
    series = community_of_practice(start=berlin(2015, 3, 5, 16, 30))
    window = (berlin(2025, 3, 1), berlin(2025, 12, 1))
    rule = rrule.rrule(
        rrule.WEEKLY, interval=4, byweekday=rrule.TH, dtstart=datetime(2015, 3, 5, 16, 30)
    )
    expected = [
        from_wall(dt, BERLIN)
        for dt in rule.between(datetime(2025, 2, 28), datetime(2025, 12, 1), inc=True)
        if window[0] <= from_wall(dt, BERLIN) < window[1]
    ]
    assert [o.start for o in expand(series, *window)] == expected


def test_spring_gap_and_autumn_overlap_follow_rfc5545():
    daily = Rule(rrule.DAILY)
    gap = Series("g", berlin(2026, 3, 28, 2, 30), berlin(2026, 3, 28, 3, 0), BERLIN, (daily,))
    [o] = expand(gap, berlin(2026, 3, 29), berlin(2026, 3, 29, 12))
    # 02:30 does not exist on 29 March 2026: read with the offset before the gap, i.e. 03:30 CEST
    assert o.start == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert o.start.astimezone(BERLIN).strftime("%H:%M") == "03:30"
    overlap = Series("o", berlin(2026, 10, 24, 2, 30), berlin(2026, 10, 24, 3), BERLIN, (daily,))
    [o] = expand(overlap, berlin(2026, 10, 25), berlin(2026, 10, 25, 12))
    # 02:30 exists twice on 25 October 2026: the first one (CEST, UTC+2)
    assert o.start == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_exdate_matches_only_an_exact_start_and_a_date_cancels_the_day():
    series = community_of_practice(
        exdates=(
            berlin(2022, 9, 29, 16, 30),  # exact: removed
            berlin(2022, 10, 27, 17, 0),  # not an occurrence's start: no effect
            date(2022, 11, 24),  # a whole day
        )
    )
    got = local_times(expand(series, berlin(2022, 9, 1), berlin(2022, 12, 31)))
    assert got == ["2022-09-01 16:30", "2022-10-27 16:30", "2022-12-22 16:30"]


def test_midnight_exdate_from_the_admin_widget_cancels_the_day():
    series = community_of_practice(exdates=(datetime(2022, 9, 28, 22, 0, tzinfo=UTC),))
    got = local_times(expand(series, berlin(2022, 9, 1), berlin(2022, 10, 31)))
    assert got == ["2022-09-01 16:30", "2022-10-27 16:30"]


def test_count_counts_before_exdates_remove_occurrences():
    start = berlin(2026, 1, 1, 10)
    series = Series(
        "c",
        start,
        start + timedelta(hours=1),
        BERLIN,
        (Rule(rrule.DAILY, count=3),),
        exdates=(berlin(2026, 1, 2, 10),),
    )
    got = local_times(expand(series, berlin(2026, 1, 1), berlin(2026, 2, 1)))
    assert got == ["2026-01-01 10:00", "2026-01-03 10:00"]


def test_rdate_adds_and_duplicates_collapse():
    series = community_of_practice(rdates=(berlin(2022, 9, 15, 16, 30), berlin(2022, 9, 1, 16, 30)))
    got = local_times(expand(series, berlin(2022, 9, 1), berlin(2022, 9, 30)))
    assert got == ["2022-09-01 16:30", "2022-09-15 16:30", "2022-09-29 16:30"]


def test_until_in_utc_is_respected():
    rule = Rule(
        rrule.WEEKLY,
        interval=4,
        until=datetime(2022, 10, 27, 14, 30, tzinfo=UTC),
        byparams=(("byweekday", (rrule.TH,)),),
    )
    series = community_of_practice()
    series = Series(series.key, series.start, series.end, BERLIN, (rule,))
    got = local_times(expand(series, berlin(2022, 9, 1), berlin(2023, 1, 1)))
    assert got == ["2022-09-01 16:30", "2022-09-29 16:30", "2022-10-27 16:30"]


def test_one_off_event_and_multi_day_overlap():
    infosalon = Series("i", berlin(2022, 9, 15, 16, 30), berlin(2022, 9, 15, 17, 30), BERLIN)
    assert local_times(expand(infosalon, berlin(2022, 9, 1), berlin(2022, 10, 1))) == [
        "2022-09-15 16:30"
    ]
    assert expand(infosalon, berlin(2022, 9, 16), berlin(2022, 10, 1)) == []
    camp = Series("m", berlin(2026, 5, 1, 9), berlin(2026, 5, 3, 17), BERLIN)
    # still running on 2 May: overlaps a window that starts after it began
    assert len(expand(camp, berlin(2026, 5, 2), berlin(2026, 5, 3))) == 1


def test_31st_of_every_month_and_leap_days():
    monthly = Rule(rrule.MONTHLY, byparams=(("bymonthday", (31,)),))
    series = Series("m", berlin(2024, 1, 31, 9), berlin(2024, 1, 31, 10), BERLIN, (monthly,))
    got = [
        o.start.astimezone(BERLIN).date().isoformat()
        for o in expand(series, berlin(2024, 1, 1), berlin(2025, 1, 1))
    ]
    assert got == [
        "2024-01-31",
        "2024-03-31",
        "2024-05-31",
        "2024-07-31",
        "2024-08-31",
        "2024-10-31",
        "2024-12-31",
    ]
    leap = Series(
        "l", berlin(2024, 2, 29, 9), berlin(2024, 2, 29, 10), BERLIN, (Rule(rrule.YEARLY),)
    )
    got = [o.start.year for o in expand(leap, berlin(2024, 1, 1), berlin(2026, 1, 1))]
    assert got == [2024]  # 29 February does not exist in 2025


def test_week_53():
    rule = Rule(rrule.YEARLY, byparams=(("byweekno", (53,)), ("byweekday", (rrule.MO,))))
    series = Series("w", berlin(2020, 12, 28, 9), berlin(2020, 12, 28, 10), BERLIN, (rule,))
    got = [
        o.start.astimezone(BERLIN).date().isoformat()
        for o in expand(series, berlin(2020, 1, 1), berlin(2021, 12, 31))
    ]
    assert got == ["2020-12-28"]  # 2021 has no week 53


@pytest.mark.parametrize(
    "rule",
    [Rule(rrule.DAILY, interval=0), Rule(rrule.DAILY, count=0), Rule(rrule.DAILY, count=-3)],
)
def test_invalid_rules_yield_only_the_first_start(rule):
    start = berlin(2026, 1, 1, 10)
    series = Series("x", start, start + timedelta(hours=1), BERLIN, (rule,))
    assert local_times(expand(series, berlin(2026, 1, 1), berlin(2026, 2, 1))) == [
        "2026-01-01 10:00"
    ]


def test_exdate_removing_every_occurrence_gives_nothing():
    start = berlin(2026, 1, 1, 10)
    series = Series(
        "x",
        start,
        start + timedelta(hours=1),
        BERLIN,
        (Rule(rrule.DAILY, count=2),),
        exdates=(start, start + timedelta(days=1)),
    )
    assert expand(series, berlin(2025, 12, 1), berlin(2026, 12, 1)) == []


def test_secondly_rule_without_end_exhausts_the_budget():
    """Every second, no end: validation rejects it; stored anyway, expansion gives up after
    ``MAX_ITERATIONS`` steps instead of stalling the request."""
    start = berlin(2015, 1, 1, 0, 0)
    series = Series("s", start, start + timedelta(seconds=1), BERLIN, (Rule(rrule.SECONDLY),))
    with pytest.raises(ExpansionError, match="rule steps"):
        expand(series, berlin(2026, 1, 1), berlin(2027, 1, 1))


def test_many_daily_occurrences_stay_within_the_budget():
    """24 times a day (the most validation allows) over a year: capped by MAX_OCCURRENCES."""
    start = berlin(2015, 1, 1, 0, 0)
    hours = (("byhour", tuple(range(24))), ("byminute", (0,)))
    series = Series(
        "h", start, start + timedelta(minutes=30), BERLIN, (Rule(rrule.DAILY, byparams=hours),)
    )
    result = expand(series, berlin(2026, 1, 1), berlin(2027, 1, 1))
    assert len(result) == MAX_OCCURRENCES


@pytest.mark.parametrize(
    "window",
    [
        (berlin(2026, 2, 1), berlin(2026, 1, 1)),
        (berlin(2026, 1, 1), berlin(2026, 1, 1)),
        (datetime(2026, 1, 1), datetime(2026, 2, 1)),
        (berlin(2026, 1, 1), berlin(2026, 1, 1) + MAX_WINDOW + timedelta(days=1)),
    ],
)
def test_bad_windows_are_rejected(window):
    with pytest.raises(WindowError):
        expand(community_of_practice(), *window)


def test_streams_of_many_series_merge_sorted_and_cap():
    a = community_of_practice()
    b = Series("i", berlin(2022, 9, 15, 16, 30), berlin(2022, 9, 15, 17, 30), BERLIN)
    got = merged([a, b], berlin(2022, 9, 1), berlin(2022, 10, 31))
    assert [o.key for o in got] == ["cop", "i", "cop", "cop"]
    assert len(merged([a, b], berlin(2022, 9, 1), berlin(2022, 10, 31), limit=2)) == 2


WEEKDAYS = [rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU]


@settings(max_examples=60, deadline=None)
@given(
    freq=st.sampled_from([rrule.DAILY, rrule.WEEKLY, rrule.MONTHLY]),
    interval=st.integers(1, 5),
    byweekday=st.lists(st.sampled_from(WEEKDAYS), max_size=3, unique=True),
    start_days=st.integers(0, 4000),
    hour=st.integers(0, 23),
    window_offset=st.integers(0, 5000),
    window_days=st.integers(1, 120),
    zone=st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC"]),
)
def test_property_sorted_unique_inside_window_and_equal_to_full_iteration(
    freq, interval, byweekday, start_days, hour, window_offset, window_days, zone
):
    tz = ZoneInfo(zone)
    start = datetime(2012, 1, 1, hour, 30, tzinfo=tz) + timedelta(days=start_days)
    byparams = (("byweekday", tuple(byweekday)),) if byweekday else ()
    series = Series(
        "p",
        start,
        start + timedelta(hours=2),
        tz,
        (Rule(freq, interval=interval, byparams=byparams),),
    )
    window_start = datetime(2012, 1, 1, tzinfo=UTC) + timedelta(days=window_offset)
    window_end = window_start + timedelta(days=window_days)
    got = expand(series, window_start, window_end)
    starts = [o.start for o in got]
    assert starts == sorted(set(starts))
    assert all(o.start < window_end and o.end > window_start for o in got)

    # Independent expansion: dateutil from the real DTSTART, no jumping, then the same edge rules.
    wall = start.replace(tzinfo=None)
    kwargs = {"byweekday": byweekday} if byweekday else {}
    full = rrule.rruleset()
    full.rrule(rrule.rrule(freq, dtstart=wall, interval=interval, **kwargs))
    full.rdate(wall)
    expected = []
    for instant in full.between(
        wall - timedelta(days=2),
        window_end.astimezone(tz).replace(tzinfo=None) + timedelta(days=2),
        inc=True,
    ):
        s = from_wall(instant, tz)
        e = from_wall(instant + timedelta(hours=2), tz)
        if s < window_end and e > window_start:
            expected.append(s)
    assert starts == expected


def test_occurrence_in_the_spring_gap_keeps_its_exact_duration():
    start = berlin(2027, 3, 21, 2, 30)
    series = Series(
        "g",
        start,
        start + timedelta(minutes=30),
        BERLIN,
        (Rule(rrule.WEEKLY, byparams=(("byweekday", (rrule.SU,)),)),),
    )
    [o] = expand(series, berlin(2027, 3, 28), berlin(2027, 3, 29))
    assert o.start.astimezone(BERLIN).strftime("%H:%M") == "03:30"
    assert o.end - o.start == timedelta(minutes=30)
    [o] = expand(series, berlin(2027, 10, 31), berlin(2027, 11, 1))
    assert o.end - o.start == timedelta(minutes=30)


def test_merged_streams_give_the_first_occurrences_of_all_series():
    many = [community_of_practice(start=SEED_START + timedelta(days=i % 28)) for i in range(300)]
    got = merged(many, berlin(2027, 1, 1), berlin(2028, 1, 1), limit=50)
    assert len(got) == 50
    assert [o.start for o in got] == sorted(o.start for o in got)
    everything = sorted(o for s in many for o in expand(s, berlin(2027, 1, 1), berlin(2028, 1, 1)))
    assert [o.start for o in got] == [o.start for o in everything[:50]]


def test_hourly_rule_across_the_spring_gap_comes_out_sorted():
    start = berlin(2027, 3, 27, 0, 30)
    series = Series("h", start, start + timedelta(minutes=10), BERLIN, (Rule(rrule.HOURLY),))
    got = expand(series, berlin(2027, 3, 28), berlin(2027, 3, 28, 6))
    starts = [o.start for o in got]
    assert starts == sorted(starts)
    assert len(starts) == len(set(starts))


def test_a_rule_that_never_matches_stops_searching_past_until():
    """dateutil checks UNTIL only against dates it finds: the 30th of February would search on
    to the year 9999. The bounded rule stops once its search passes UNTIL's month."""
    from kokreative_wagtail.events.occurrences import _BoundedRule, _until_passed

    never = _BoundedRule(
        rrule.DAILY,
        dtstart=datetime(2026, 1, 1),
        until=datetime(2027, 1, 1),
        bymonth=2,
        bymonthday=30,
    )
    assert list(_until_passed(never)) == []
    assert never._rebuilds <= 20  # about a year of months, not eight thousand years


def test_the_bounded_rule_gives_what_dateutil_gives():
    kwargs = {"dtstart": datetime(2026, 1, 5, 9), "until": datetime(2031, 1, 1)}
    for freq, params in [
        (rrule.MONTHLY, {"byweekday": rrule.MO(-1)}),
        (rrule.YEARLY, {"bymonth": 3, "byweekday": rrule.SU(-1)}),
        (rrule.WEEKLY, {"byweekday": (rrule.MO, rrule.TH), "interval": 2}),
        (rrule.DAILY, {"bymonthday": 31}),
    ]:
        from kokreative_wagtail.events.occurrences import _BoundedRule, _until_passed

        expected = list(rrule.rrule(freq, **kwargs, **params))
        assert list(_until_passed(_BoundedRule(freq, **kwargs, **params))) == expected


def test_several_positioned_weekdays_in_one_month_all_count():
    """ "The last but four Monday and the second-last Tuesday": dateutil reads the weekdays once
    more per position while setting up, which the search bound took for months searched and
    stopped before the first date (found by the property test)."""
    start = berlin(2000, 1, 1)
    series = Series(
        key=1,
        start=start,
        end=start + timedelta(hours=1),
        zone=BERLIN,
        rules=(
            Rule(
                freq=rrule.MONTHLY,
                byparams=(("byweekday", (rrule.MO(-5), rrule.TU(-2), rrule.FR(1))),),
            ),
        ),
    )
    window = (datetime(2000, 1, 17, tzinfo=UTC), datetime(2000, 1, 18, tzinfo=UTC))
    assert [o.start for o in expand(series, *window)] == [berlin(2000, 1, 18).astimezone(UTC)]
