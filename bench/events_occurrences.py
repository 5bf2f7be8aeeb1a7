"""Benchmark: one year of event occurrences, by number of series and by age of a series.

Run: ``.venv/bin/python bench/events_occurrences.py``. Pure: it builds ``occurrences.Series``
objects directly and needs no database and no Django set-up. Prints a table; never asserts a
timing.

Measured (median wall time per call of ``timeit`` loops, after a warm-up):

1. ``expand_many`` over the window 2027-01-01 .. 2028-01-01 (Europe/Berlin) for N = 10, 100 and
   1000 series, a fixed mix: a third the Community of Practice rule (weekly, every 4 weeks on
   Thursday), a third weekly on one weekday, a third daily; their first starts are spread over
   the ten years before the window. ``expand_many`` returns at most ``MAX_OCCURRENCES`` (2000)
   occurrences; the "computed" column counts what the series yield before that cap.
2. One weekly series (Thursdays 16:30-18:00 Europe/Berlin, no end) that began ten years before
   the window versus one that began the week before it, over the same one-year window: our
   ``expand`` (design target: old <= 1.5x new), and for comparison django-recurrence's own
   ``Recurrence.between()`` with the series' DTSTART, which iterates the rule from its start.
   The same for the Community of Practice rule (every 4 weeks).
"""

from __future__ import annotations

import heapq
import itertools
import os
import platform
import statistics
import sys
import timeit
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import dateutil  # noqa: E402
import recurrence  # noqa: E402
from dateutil import rrule  # noqa: E402

from kokreative_wagtail.events import occurrences  # noqa: E402

BERLIN = ZoneInfo("Europe/Berlin")
WINDOW_START = datetime(2027, 1, 1, tzinfo=BERLIN)
WINDOW_END = datetime(2028, 1, 1, tzinfo=BERLIN)
SIZES = (10, 100, 1000)
REPEATS = 15  # timing samples per figure; each sample is the mean of a loop of `number` calls
PAIRED_REPEATS = 41  # samples of the old/new comparison, taken in turns

COP_RULE = occurrences.Rule(rrule.WEEKLY, interval=4, byparams=(("byweekday", (rrule.TH,)),))
COP_TEXT = "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"
WEEKLY_TEXT = "RRULE:FREQ=WEEKLY;BYDAY=TH"


def weekly_rule(weekday: int) -> occurrences.Rule:
    return occurrences.Rule(rrule.WEEKLY, byparams=(("byweekday", (rrule.weekday(weekday),)),))


DAILY_RULE = occurrences.Rule(rrule.DAILY)


def series(key, start: datetime, rule: occurrences.Rule, minutes: int = 90) -> occurrences.Series:
    return occurrences.Series(
        key=key,
        start=start,
        end=start + timedelta(minutes=minutes),
        zone=BERLIN,
        rules=(rule,),
    )


def mixed_series(count: int) -> list[occurrences.Series]:
    """``count`` series: CoP rule, weekly, daily in turn; first starts over the last ten years."""
    first = datetime(2017, 1, 5, 16, 30, tzinfo=BERLIN)  # a Thursday
    span_days = (WINDOW_START - first).days
    result = []
    for i in range(count):
        # Deterministic spread of first starts over ten years, whole weeks apart (Thursdays).
        weeks = (i * 7919) % (span_days // 7)
        start = first + timedelta(weeks=weeks, hours=(i % 5) - 2)
        kind = i % 3
        if kind == 0:
            rule = COP_RULE
        elif kind == 1:
            rule = weekly_rule(i % 7)
        else:
            rule = DAILY_RULE
        result.append(series(i, start, rule))
    return result


def median_ms(func, target_seconds: float = 0.05) -> float:
    """Median per-call time in ms: ``REPEATS`` loops, each long enough to be measurable.

    A call of more than half a second is timed five times, once each.
    """
    timer = timeit.Timer(func)
    once = timer.timeit(number=1)  # warm-up
    if once > 0.5:  # slow calls: fewer samples, one call each
        samples = timer.repeat(repeat=5, number=1)
        return statistics.median(samples) * 1000
    number, _ = timer.autorange()
    number = max(1, int(number * target_seconds / 0.2))
    samples = timer.repeat(repeat=REPEATS, number=number)
    return statistics.median(samples) / number * 1000


def interleaved_ms(funcs: list, target_seconds: float = 0.02) -> list[float]:
    """Median per-call times in ms of ``funcs``, sampled in turns (load changes hit all alike)."""
    timers = [timeit.Timer(func) for func in funcs]
    numbers = []
    for timer in timers:
        number, _ = timer.autorange()  # also a warm-up
        numbers.append(max(1, int(number * target_seconds / 0.2)))
    samples: list[list[float]] = [[] for _ in funcs]
    for _ in range(PAIRED_REPEATS):
        for timer, number, out in zip(timers, numbers, samples, strict=True):
            out.append(timer.timeit(number=number) / number * 1000)
    return [statistics.median(out) for out in samples]


def expand_many(
    items: list[occurrences.Series], window_start, window_end
) -> list[occurrences.Occurrence]:
    """The series' lazy streams merged and cut at ``MAX_OCCURRENCES``: the work is bounded by
    the cap, not by the total."""
    streams = [occurrences.iter_occurrences(s, window_start, window_end) for s in items]
    return list(itertools.islice(heapq.merge(*streams), occurrences.MAX_OCCURRENCES))


def computed_count(items: list[occurrences.Series]) -> int:
    return sum(len(occurrences.expand(s, WINDOW_START, WINDOW_END)) for s in items)


def recurrence_between(text: str, dtstart: datetime):
    """django-recurrence's ``between()`` over the window, iterating from ``dtstart`` (naive)."""
    rec = recurrence.deserialize(text)
    naive_start = dtstart.replace(tzinfo=None)
    after = WINDOW_START.replace(tzinfo=None)
    before = WINDOW_END.replace(tzinfo=None)

    def run():
        return rec.between(after, before, dtstart=naive_start, inc=True)

    return run


def main() -> None:
    import django

    print(
        f"events_occurrences: window {WINDOW_START:%Y-%m-%d} .. {WINDOW_END:%Y-%m-%d} "
        "Europe/Berlin; median ms per call"
    )
    print(
        f"expand_many: {REPEATS} timeit loops (5 single calls above 0.5 s); single series: "
        f"{PAIRED_REPEATS} loops per row, the four rows of a rule sampled in turns"
    )
    print(
        f"Python {platform.python_version()}, python-dateutil {dateutil.__version__}, "
        f"django-recurrence {_version('django-recurrence')}, Django {django.get_version()}, "
        f"{os.cpu_count()} CPUs"
    )
    print()
    print("| what                                    | median ms | occurrences | note")
    print("|:----------------------------------------|----------:|------------:|:-----")

    def row(what: str, ms: float, count: int | str, note: str = "") -> None:
        print(f"| {what:<39} | {ms:9.3f} | {count!s:>11} | {note}")

    for size in SIZES:
        items = mixed_series(size)
        result = expand_many(items, WINDOW_START, WINDOW_END)
        ms = median_ms(lambda items=items: expand_many(items, WINDOW_START, WINDOW_END))
        computed = computed_count(items)
        note = (
            f"{computed} computed, capped at {occurrences.MAX_OCCURRENCES}"
            if computed > len(result)
            else ""
        )
        row(f"expand_many, {size} series (mixed)", ms, len(result), note)

    old = datetime(2017, 1, 5, 16, 30, tzinfo=BERLIN)  # ten years before the window
    new = datetime(2026, 12, 24, 16, 30, tzinfo=BERLIN)  # the week before the window
    for label, rule, text in (("weekly", weekly_rule(3), WEEKLY_TEXT), ("CoP", COP_RULE, COP_TEXT)):
        old_series = series("old", old, rule)
        new_series = series("new", new, rule)
        n_old = len(occurrences.expand(old_series, WINDOW_START, WINDOW_END))
        n_new = len(occurrences.expand(new_series, WINDOW_START, WINDOW_END))
        dr_old_run = recurrence_between(text, old)
        dr_new_run = recurrence_between(text, new)
        ours_new, ours_old, dr_new, dr_old = interleaved_ms(
            [
                lambda s=new_series: occurrences.expand(s, WINDOW_START, WINDOW_END),
                lambda s=old_series: occurrences.expand(s, WINDOW_START, WINDOW_END),
                dr_new_run,
                dr_old_run,
            ]
        )
        row(f"expand, {label} from 2026-12-24", ours_new, n_new)
        row(
            f"expand, {label} from 2017-01-05",
            ours_old,
            n_old,
            f"{ours_old / ours_new:.2f}x the time from last week (target <= 1.5x)",
        )
        row(f"recurrence between(), {label} 2026-12-24", dr_new, len(dr_new_run()))
        row(
            f"recurrence between(), {label} 2017-01-05",
            dr_old,
            len(dr_old_run()),
            f"{dr_old / dr_new:.2f}x its time from last week; {dr_old / ours_old:.1f}x ours",
        )


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


if __name__ == "__main__":
    main()
