"""Events as iCalendar (RFC 5545), written with the ``icalendar`` library.

One VEVENT "master" per event page carries the series (DTSTART/DTEND with the event's TZID,
RRULE/EXRULE/RDATE/EXDATE); overrides become:

* cancelled occurrence → an EXDATE on the master (not a RECURRENCE-ID component with
  STATUS:CANCELLED: every client honours EXDATE, not all hide cancelled instances);
* moved occurrence → a VEVENT with the same UID, RECURRENCE-ID = the original start (TZID) and the
  new DTSTART/DTEND;
* location change → a VEVENT with the same UID, RECURRENCE-ID and the new LOCATION.

An event without rules or RDATEs is a single VEVENT; its overrides change that VEVENT directly
(cancelled → STATUS:CANCELLED, moved → new DTSTART/DTEND, location → new LOCATION).

The file agrees with ``occurrences.py``: an EXDATE at local midnight (or a date-only one) cancels
the whole day there, so it is written as the start(s) of that day's occurrence(s); an event whose
rule or dates validation would refuse (``rules.problems``) is left out, as listings leave it out;
UNTIL is written in UTC when DTSTART has a TZID (RFC 5545 §3.3.10). Output is deterministic:
DTSTAMP is the page's last publication, not the time of the request, and UIDs derive from the
page's translation key.

Nothing personal is written (no owner, no online link that may be meant for participants only).

This module only writes: the caller loads the pages and resolves what depends on the request
or the site (the host in the UIDs, the pages' URLs); ``feeds.py`` does that for the views and
answers HTTP. VTIMEZONE components are built once per zone and process (a pure function of the
zone database) and written into each file from that memo.

The components are ``icalendar`` components, their values set already typed as
``Component.add()`` would type them (``add()`` costs more than the value); ``write_calendar``
writes them with ``ical_folding``: the same bytes as ``to_ical()`` in a fraction of its time.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
from icalendar import vDatetime, vDDDLists, vDDDTypes, vRecur, vText, vUri

from . import ical_folding, occurrences
from .choices import OverrideAction
from .series import checked_series, get_zone, series_for

logger = logging.getLogger(__name__)

PRODID = "-//Kokreative Kommune//kokreative_wagtail//DE"
CONTENT_TYPE = "text/calendar; charset=utf-8"

_FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYPARAMS = (
    ("bysetpos", "BYSETPOS"),
    ("bymonth", "BYMONTH"),
    ("bymonthday", "BYMONTHDAY"),
    ("byyearday", "BYYEARDAY"),
    ("byweekno", "BYWEEKNO"),
    ("byday", "BYDAY"),
    ("byhour", "BYHOUR"),
    ("byminute", "BYMINUTE"),
    ("bysecond", "BYSECOND"),
)


# --- helpers -------------------------------------------------------------------------------


#: A URL for a page, or ``None`` for a page without one (written without ``URL``).
UrlOf = Callable[[object], "str | None"]

#: What writing one sound event may still raise (a rule the expansion gives up on, a date
#: out of range): that event is left out with a warning, the others are written.
_WRITE_ERRORS = (occurrences.ExpansionError, ArithmeticError, ValueError, IndexError, TypeError)

#: Where a caller may have prefetched a page's overrides as a list
#: (``Prefetch("overrides", to_attr=PREFETCHED_OVERRIDES)``): lighter than a queryset per page.
#: Without it the writer reads ``page.overrides.all()``.
PREFETCHED_OVERRIDES = "ical_overrides"

#: The zones' VTIMEZONE span, as ``Calendar.add_missing_timezones()`` writes it.
_TZ_FIRST = icalendar.Timezone.DEFAULT_FIRST_DATE
_TZ_LAST = icalendar.Timezone.DEFAULT_LAST_DATE


def event_uid(page, host: str) -> str:
    """A UID stable across publishes: the translation key, the locale and the site's host."""
    key = getattr(page, "translation_key", None) or page.pk
    language = getattr(getattr(page, "locale", None), "language_code", None)
    suffix = f"-{language}" if language else ""
    return f"kokreative-event-{key}{suffix}@{host}"


def _dtstamp(page) -> datetime:
    for name in ("last_published_at", "latest_revision_created_at", "first_published_at"):
        value = getattr(page, name, None)
        if value is not None:
            return value.astimezone(occurrences.UTC)
    return page.start.astimezone(occurrences.UTC)


def _location(name: str, address: str) -> str:
    parts = [name.strip()] if name and name.strip() else []
    parts += [line.strip() for line in (address or "").splitlines() if line.strip()]
    return ", ".join(parts)


def _recurrence(page):
    """The page's recurrence value, or ``None`` if it is empty."""
    return page.recurrence or None


def _vrecur(rule, all_day: bool, zone: ZoneInfo) -> vRecur:
    recur = vRecur()
    recur["FREQ"] = _FREQUENCIES[rule.freq]
    if (rule.interval or 1) != 1:
        recur["INTERVAL"] = rule.interval
    if rule.count is not None:
        recur["COUNT"] = rule.count
    elif rule.until is not None:
        until = rule.until
        if all_day:
            recur["UNTIL"] = occurrences.to_wall(until, zone).date()
        else:
            if until.tzinfo is None:
                until = until.replace(tzinfo=zone)
            recur["UNTIL"] = until.astimezone(occurrences.UTC)
    if rule.wkst is not None:
        wkst = rule.wkst.number if hasattr(rule.wkst, "number") else rule.wkst
        recur["WKST"] = _WEEKDAYS[wkst]
    for attribute, name in _BYPARAMS:
        values = getattr(rule, attribute, None) or []
        if values:
            if attribute == "byday":
                values = [f"{d.index or ''}{_WEEKDAYS[d.number]}" for d in values]
            recur[name] = list(values)
    return recur


def _local(value: datetime, zone: ZoneInfo, all_day: bool) -> datetime | date:
    local = value.astimezone(zone)
    return local.date() if all_day else local


class _Event:
    """What the writer needs of one event page, computed once."""

    def __init__(self, page, series: occurrences.Series | None = None):
        self.page = page
        self.zone = get_zone(page.time_zone)
        self.all_day = bool(page.all_day)
        self.recurrence = _recurrence(page)
        self.start = page.start
        self.end = page.end if page.end and page.end >= page.start else page.start
        self.duration = self.end - self.start
        self.rrules = list(
            filter(occurrences.is_usable_rule, getattr(self.recurrence, "rrules", None) or [])
        )
        self.exrules = list(
            filter(occurrences.is_usable_rule, getattr(self.recurrence, "exrules", None) or [])
        )
        self.rdates = list(getattr(self.recurrence, "rdates", []) or [])
        self.exdates = list(getattr(self.recurrence, "exdates", []) or [])
        self.series = series if series is not None else self._series()
        self.recurring = bool(self.rrules or self.rdates)

    def _series(self) -> occurrences.Series:
        if self.recurrence is None:
            # no recurrence: the event happens once (an unreadable one never gets here)
            return occurrences.Series(
                key=self.page.pk,
                start=self.start,
                end=self.end,
                zone=self.zone,
                all_day=self.all_day,
            )
        return series_for(self.page)

    def dtstart_dtend(self, start: datetime, end: datetime):
        """DTSTART and DTEND of one instance given as aware datetimes."""
        if self.all_day:
            first = start.astimezone(self.zone)
            last = end.astimezone(self.zone)
            # an end at midnight after the start day is already exclusive
            if last.time() == time.min and last.date() > first.date():
                return first.date(), last.date()
            return first.date(), last.date() + timedelta(days=1)
        return start.astimezone(self.zone), end.astimezone(self.zone)

    def is_occurrence(self, original: datetime) -> occurrences.Occurrence | None:
        """The occurrence of the series starting at ``original``, if the rules give one."""
        probe = occurrences.expand(
            self.series, original - timedelta(minutes=1), original + timedelta(minutes=1)
        )
        for item in probe:
            if item.original_start == original:
                return item
        return None

    def exdate_instants(self) -> list[datetime]:
        """The recurrence's EXDATEs as the instants ``occurrences.py`` excludes."""
        result: list[datetime] = []
        if not self.exdates:
            return result
        dtstart_wall = occurrences.to_wall(self.start, self.zone)
        without = replace(self.series, exdates=(), exrules=())
        for value in self.exdates:
            wall = occurrences.to_wall(value, self.zone)
            day_wide = not isinstance(value, datetime) or (
                wall.time() == time.min and dtstart_wall.time() != time.min
            )
            if not day_wide:
                result.append(occurrences.from_wall(wall, self.zone))
                continue
            day = wall.date()
            lower = occurrences.from_wall(datetime.combine(day, time.min), self.zone)
            upper = occurrences.from_wall(
                datetime.combine(day + timedelta(days=1), time.min), self.zone
            )
            for item in occurrences.expand(without, lower, upper):
                if occurrences.to_wall(item.original_start, self.zone).date() == day:
                    result.append(item.original_start)
        return result


class _Draft:
    """One VEVENT before it is built: the values the overrides change, as plain Python."""

    __slots__ = ("description", "end", "location", "recurrence_id", "start", "status")

    def __init__(self, start: datetime, end: datetime, description: str | None, location: str):
        self.start = start
        self.end = end
        self.description = description
        self.location = location
        self.recurrence_id: datetime | date | None = None
        self.status: str | None = None

    def add_note(self, note: str) -> None:
        if note:
            self.description = f"{self.description or ''}\n\n{note}".strip()


def _date_list(values: list) -> vDDDLists:
    """RDATE/EXDATE values as ``add()`` types them: ``VALUE=DATE`` when all are dates."""
    result = vDDDLists(values)
    if values and not any(isinstance(value, datetime) for value in values):
        result.params["VALUE"] = "DATE"
    return result


@functools.lru_cache(maxsize=64)
def _tzid(zone: ZoneInfo) -> str | None:
    """The TZID ``icalendar`` writes for times in ``zone`` (``None`` for UTC: a ``Z``).

    It depends on the zone only (and on ``icalendar``'s fixed table of equivalent zones), so
    it is looked up once per zone and process instead of for every time written.
    """
    return vDDDTypes(datetime(2000, 1, 1, tzinfo=zone)).params.get("TZID")


def _time(value: datetime | date, tzid: str | None) -> vDatetime | vDDDTypes:
    """A DATE-TIME or DATE as ``add()`` writes it.

    ``add()`` stores a ``vDDDTypes``, which converts itself to a ``vDatetime`` each time it is
    written; a ``vDatetime`` with its TZID given writes the same bytes without that step (and
    carries the TZID before it is written with ``icalendar`` 6 as well).
    """
    if not isinstance(value, datetime):
        return vDDDTypes(value)  # VALUE=DATE
    return vDatetime(value, params={"TZID": tzid}) if tzid else vDatetime(value)


def _vevent(
    event: _Event, draft: _Draft, uid: str, dtstamp: datetime, url: str | None
) -> icalendar.Event:
    """The VEVENT of ``draft``, its values typed as ``Component.add()`` types them (a DATE-TIME:
    see ``_time``)."""
    page = event.page
    tzid = None if event.all_day else _tzid(event.zone)
    dtstart, dtend = event.dtstart_dtend(draft.start, draft.end)
    vevent = icalendar.Event()
    vevent["UID"] = vText(uid)
    vevent["DTSTAMP"] = _time(dtstamp, None)  # UTC
    vevent["LAST-MODIFIED"] = _time(dtstamp, None)
    vevent["SUMMARY"] = vText(page.title)
    vevent["DTSTART"] = _time(dtstart, tzid)
    vevent["DTEND"] = _time(dtend, tzid)
    if draft.recurrence_id is not None:
        vevent["RECURRENCE-ID"] = _time(draft.recurrence_id, tzid)
    if draft.description is not None:
        vevent["DESCRIPTION"] = vText(draft.description)
    if draft.location:
        vevent["LOCATION"] = vText(draft.location)
    if draft.status is not None:
        vevent["STATUS"] = vText(draft.status)
    if url:
        vevent["URL"] = vUri(url)
    return vevent


def _event_components(
    page, host: str, url: str | None, series: occurrences.Series | None = None
) -> list[icalendar.Event]:
    """The VEVENTs of one event page: the master, then one per changed occurrence.

    ``series`` is the page's ``Series`` when the caller has it already.
    """
    event = _Event(page, series)
    uid = event_uid(page, host)
    dtstamp = _dtstamp(page)
    teaser = getattr(page, "teaser", "") or None
    location = _location(page.location_name, page.location_address)
    master = _Draft(event.start, event.end, teaser, location)
    drafts = [master]

    loaded = getattr(page, PREFETCHED_OVERRIDES, None)
    overrides = {
        override.original_start: override
        for override in (page.overrides.all() if loaded is None else loaded)
        if override.original_start is not None
    }

    exdates: list[datetime] = []
    if event.recurrence is not None:
        exdates.extend(event.exdate_instants())

    for original, override in sorted(overrides.items()):
        item = event.is_occurrence(original)
        if override.action == OverrideAction.CANCEL:
            if event.recurring:
                exdates.append(original)
            elif item is not None:
                master.status = "CANCELLED"
                master.add_note(override.note)
            continue
        if item is None:
            continue  # the series has no occurrence there (any more): nothing to change
        if override.action == OverrideAction.MOVE:
            if not override.new_start:
                continue
            new_end = override.new_end or override.new_start + (item.end - item.start)
            target = master
            if event.recurring:
                target = _Draft(item.start, item.end, teaser, location)
                target.recurrence_id = _local(original, event.zone, event.all_day)
                drafts.append(target)
            target.start, target.end = override.new_start, new_end
            target.add_note(override.note)
        elif override.action == OverrideAction.LOCATION or (
            override.action == OverrideAction.DETAILS and override.note
        ):
            target = master
            if event.recurring:
                target = _Draft(item.start, item.end, teaser, location)
                target.recurrence_id = _local(original, event.zone, event.all_day)
                drafts.append(target)
            if override.action == OverrideAction.LOCATION:
                target.location = _location(
                    override.location_name or page.location_name,
                    override.location_address or page.location_address,
                )
            target.add_note(override.note)

    components = [_vevent(event, draft, uid, dtstamp, url) for draft in drafts]
    vmaster = components[0]
    if event.recurrence is not None:
        rrules = [_vrecur(rule, event.all_day, event.zone) for rule in event.rrules]
        exrules = [_vrecur(rule, event.all_day, event.zone) for rule in event.exrules]
        for name, values in (("RRULE", rrules), ("EXRULE", exrules)):
            if values:
                vmaster[name] = values[0] if len(values) == 1 else values
        rdates = sorted({_local(d, event.zone, event.all_day) for d in _aware(event.rdates)})
        if rdates:
            vmaster["RDATE"] = _date_list(rdates)
    if exdates:
        values = sorted({_local(d, event.zone, event.all_day) for d in exdates})
        vmaster["EXDATE"] = _date_list(values)
    return components


def _aware(values):
    for value in values:
        if isinstance(value, datetime):
            yield value
        else:
            yield datetime.combine(value, time.min)


# --- public API ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def vtimezone(tzid: str) -> bytes | None:
    """The serialised VTIMEZONE of ``tzid`` (``None`` for a zone the database lacks).

    Building one from zoneinfo dominates a one-event file, and it depends only on the zone
    database, so each process builds it once; bytes cannot be changed by a caller.
    """
    try:
        component = icalendar.Timezone.from_tzid(tzid, first_date=_TZ_FIRST, last_date=_TZ_LAST)
    except ValueError:
        return None
    return component.to_ical()


def _header(name: str) -> icalendar.Calendar:
    """The VCALENDAR with its own properties and no components yet."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    return calendar


def _vevents(
    events: Iterable, host: str, url_of: UrlOf | None, tzids: set[str | None]
) -> Iterator[icalendar.Event]:
    """The VEVENTs of the sound events of ``events``, page after page; the TZIDs they use
    go into ``tzids``. A generator, so the writer can let each go once it is written."""
    for page in events:
        series, problems = checked_series(page)
        if problems:
            logger.warning(
                "Event page %s (%r) left out of the calendar: %s", page.pk, page.title, problems[0]
            )
            continue
        try:
            components = _event_components(page, host, url_of(page) if url_of else None, series)
        except _WRITE_ERRORS:
            logger.exception("Event %s could not be written as iCalendar.", page.pk)
            continue
        for component in components:
            # every time of an event is in its zone (or UTC, or a date): DTSTART names it
            tzids.add(component["DTSTART"].params.get("TZID"))
        yield from components


def _zones(tzids: set[str | None]) -> list[bytes]:
    """The serialised VTIMEZONEs of ``tzids`` (UTC and dates need none)."""
    zones = [vtimezone(tzid) for tzid in sorted(tzids - {None, "UTC"})]
    return [zone for zone in zones if zone is not None]


# --- public API ----------------------------------------------------------------------------


def build_calendar(
    events: Iterable, name: str, *, host: str, url_of: UrlOf | None = None
) -> icalendar.Calendar:
    """An iCalendar with every event of ``events`` (loaded pages with the event fields).

    ``host`` goes into the UIDs; ``url_of(page)`` gives an event's URL (none without it).
    """
    calendar = _header(name)
    tzids: set[str | None] = set()
    calendar.subcomponents.extend(_vevents(events, host, url_of, tzids))
    # parsed copies of the stored zones: a caller may change this calendar
    zones = [icalendar.Timezone.from_ical(zone) for zone in _zones(tzids)]
    calendar.subcomponents[:0] = zones
    return calendar


def write_calendar(events: Iterable, name: str, *, host: str, url_of: UrlOf | None = None) -> bytes:
    """``build_calendar(...).to_ical()``, written faster.

    The stored VTIMEZONEs are written as they are (parsing them back costs as much as building
    them); each VEVENT is written by ``ical_folding`` (the same bytes without ``to_ical()``'s
    per-character folding) as soon as it is built and then dropped: a feed never holds its
    thousands of components at once, so they do not pile up for the garbage collector.
    """
    tzids: set[str | None] = set()
    lines: list[str] = []
    for component in _vevents(events, host, url_of, tzids):
        ical_folding.append_lines(component, lines)
    end = b"END:VCALENDAR\r\n"
    head = ical_folding.to_ical([_header(name)]).removesuffix(end)
    return b"".join([head, *_zones(tzids), ical_folding.join(lines), end])
