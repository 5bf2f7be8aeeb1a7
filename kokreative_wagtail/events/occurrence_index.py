"""The stored occurrence index: the occurrences of every live event in a rolling horizon.

Computing occurrences per request costs what the site holds (every series expanded, every event
page loaded); reading a window from an indexed table costs what the window holds. The horizon is
``[today - OCCURRENCE_INDEX_PAST_DAYS, today + OCCURRENCE_INDEX_FUTURE_DAYS)`` (settings); it
holds, per live event page, every occurrence overlapping it, overrides applied (the pure
``occurrences``/``series`` modules compute them: they stay the reference).

Written:

* for one page when it is saved (published, unpublished, saved directly) or when one of its
  overrides is saved or deleted on its own (``rebuild``), in the same transaction;
* for all pages by ``extend``: moves the horizon with time, trims the past, builds the live
  events not indexed yet. ``manage.py kokreative_index_occurrences`` (cron) and the task
  ``extend_occurrence_index`` run it; a read that finds the horizon a day behind enqueues the task.

Both take the horizon row first (an ``UPDATE`` then ``SELECT … FOR UPDATE``), so writers on
several app servers queue instead of writing twice.

Read through ``OccurrenceWindow``: a window the horizon holds is read from the table with a
constant number of queries; any other window falls back to computing. The index stores no
visibility: the event queryset a caller passes (live, public, site, language, filters) is joined
on every read, so a draft, a private page or another site's event never shows.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import itertools
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.apps import apps
from django.core.cache import cache
from django.db import IntegrityError, connections, router, transaction
from django.db.models import (
    CharField,
    DateTimeField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.models import Page

try:  # Wagtail 7.x and 8.x define their tasks with django-tasks.
    from django_tasks import task
except ImportError:  # pragma: no cover - a future Wagtail on Django's own tasks framework
    from django.tasks import task

from ..api_utils import MAX_ID
from ..conf import get_setting
from . import occurrences
from .index_models import IndexedEvent, IndexedOccurrence, OccurrenceHorizon
from .recurrence_text import serialize
from .series import (
    EventOccurrence,
    iter_occurrences_of,
    may_occur_in,
    schedule_problems,
    skip,
    sort_key,
)
from .text_times import TextTimedOccurrence, UtcText, reads_text

logger = logging.getLogger(__name__)

#: Longest window one expansion is asked for while building (the pure module's limit is longer).
_CHUNK = timedelta(days=366)
#: A horizon this far behind its target makes a read enqueue the extension.
STALE_AFTER = timedelta(days=1)
#: Rows written per INSERT.
_BATCH = 1000

HORIZON_PK = 1
#: From how many rows written in one run of ``extend`` on the planner's statistics are renewed.
ANALYZE_MIN_ROWS = 10_000

#: Windows of at least this many whole days count those days once per version of the index
#: (``OccurrenceWindow.count``), kept in the cache this long (a new version gets a new key).
COUNT_CACHE_MIN_DAYS = timedelta(days=2)
COUNT_CACHE_SECONDS = 24 * 60 * 60


def event_models() -> list[type]:
    """The concrete event page models of the project (ours and sites' subclasses)."""
    return [
        model
        for model in apps.get_models()
        if getattr(model, "has_occurrences", False) and not model._meta.abstract
    ]


def _is_event(page) -> bool:
    """An event page (``EventPageMixin.has_occurrences``): told by a class attribute, as the
    event pages' modules import this one."""
    return bool(getattr(page, "has_occurrences", False))


def target_horizon(now: datetime | None = None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    past = timedelta(days=get_setting("OCCURRENCE_INDEX_PAST_DAYS"))
    future = timedelta(days=get_setting("OCCURRENCE_INDEX_FUTURE_DAYS"))
    return now - past, now + future


# --- writing ----------------------------------------------------------------------------------


def _claim():
    """The horizon row, locked for this transaction (``None`` before the first extension).

    The ``UPDATE`` comes first: on SQLite it takes the database's write lock before anything is
    read, so a second writer waits and then reads what the first one wrote.
    """

    OccurrenceHorizon.objects.filter(pk=HORIZON_PK).update(updated_at=timezone.now())
    return OccurrenceHorizon.objects.select_for_update().filter(pk=HORIZON_PK).first()


def touch() -> None:
    """A new version of the index without a write of rows.

    For a change of who may see which event where: a page moved or deleted, a view restriction
    or a site changed. The rows stay true (they hold no visibility), but what was counted or
    rendered from them under the old version (counts carried by cursors, cached window counts,
    cached month grids) must be counted and rendered again.
    """
    OccurrenceHorizon.objects.filter(pk=HORIZON_PK).update(updated_at=timezone.now())


def _chunks(start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
    while start < end:
        following = min(start + _CHUNK, end)
        yield start, following
        start = following


def _occurrences(page, start: datetime, end: datetime, *, overlapping: bool):
    """The page's occurrences from ``start`` to ``end`` (``overlapping``: also those running
    into ``start``; else only those starting at or after it), or ``None`` if it fails."""
    failed: set = set()
    found: dict[datetime, EventOccurrence] = {}
    for chunk_start, chunk_end in _chunks(start, end):
        first = overlapping and chunk_start == start
        for item in iter_occurrences_of([page], chunk_start, chunk_end, failed):
            if first or item.start >= chunk_start:
                found.setdefault(item.original_start, item)
    if failed:
        return None
    return list(found.values())


#: The columns holding times (read as text for ``OccurrenceWindow.text_times``).
_TIMES = ("start", "end", "original_start")

#: The row columns an occurrence is made of, in ``EventOccurrence``'s order (its ``event`` as
#: ``page_id``): what is written and what is read.
COLUMNS = (
    "page_id",
    "start",
    "end",
    "original_start",
    "all_day",
    "cancelled",
    "moved",
    "note",
    "location_name",
    "location_address",
)


def _insert(page, items: list[EventOccurrence]) -> None:
    """Insert the rows with one ``executemany`` per batch: a series of several hundred dates is
    written in milliseconds, where model instances through ``bulk_create`` took ten times that."""

    if not items:
        return
    connection = connections[router.db_for_write(IndexedOccurrence)]
    quote = connection.ops.quote_name
    meta = IndexedOccurrence._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in COLUMNS)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    )
    moment = connection.ops.adapt_datetimefield_value
    params = [
        (
            page.pk,
            moment(item.start),
            moment(item.end),
            moment(item.original_start),
            item.all_day,
            item.cancelled,
            item.moved,
            (item.note or "")[:255],
            (item.location_name or "")[:255],
            item.location_address or "",
        )
        for item in items
    ]
    with connection.cursor() as cursor:
        for offset in range(0, len(params), _BATCH):
            cursor.executemany(sql, params[offset : offset + _BATCH])


def _instant(value) -> str:
    """A datetime as the same text however it was given (in memory in the event's zone, loaded
    from the database in UTC)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(occurrences.UTC).isoformat()
    return str(value)


def fingerprint(page) -> str:
    """A digest of everything the page's rows are computed from (dates, zone, rule text,
    overrides, place): equal digests, equal rows."""

    overrides = sorted(
        (
            _instant(o.original_start),
            o.action,
            _instant(o.new_start),
            _instant(o.new_end),
            o.location_name,
            o.location_address,
            o.note,
        )
        for o in page.overrides.all()
    )
    recurrence = page.recurrence
    text = getattr(recurrence, "text", None) if recurrence is not None else ""
    if text is None:
        try:
            text = serialize(recurrence)
        except (ValueError, TypeError, AttributeError):
            text = repr(recurrence)
    data = [
        _instant(page.start),
        _instant(page.end),
        page.time_zone,
        bool(page.all_day),
        text,
        page.location_name,
        page.location_address,
        overrides,
    ]
    return hashlib.sha256(json.dumps(data, default=str).encode()).hexdigest()


def _problem(page) -> str:
    """What keeps the page's dates from being expanded, as it is now (not the page's cached
    ``schedule_problems``: a page being saved may have changed since it was read)."""
    problems = schedule_problems(page)
    return str(problems[0]) if problems else ""


def _write_page(
    page, horizon, *, extend_from: datetime | None = None, digest: str | None = None
) -> int:
    """Write the page's rows for the horizon (or only from ``extend_from`` on); the number
    written. A page whose dates fail part way gets none (as listings leave it out). ``digest``:
    the page's ``fingerprint``, where the caller has it."""

    problem = _problem(page)
    if problem:
        skip(page, problem)  # once per write, not once per chunk
        items: list | None = []
    elif extend_from is None:
        items = _occurrences(page, horizon.start, horizon.end, overlapping=True)
    else:
        items = _occurrences(page, extend_from, horizon.end, overlapping=False)
    if items is None:
        IndexedOccurrence.objects.filter(page_id=page.pk).delete()
        items, problem = [], problem or "expansion failed"
    elif extend_from is None or problem:
        IndexedOccurrence.objects.filter(page_id=page.pk).delete()
    _insert(page, items)
    longest = max((item.end - item.start for item in items), default=timedelta(0))
    if longest > horizon.longest:
        horizon.longest = longest
        horizon.save(update_fields=["longest"])
    IndexedEvent.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "indexed_at": timezone.now(),
            "problem": problem[:255],
            "fingerprint": digest or fingerprint(page),
        },
    )
    return len(items)


def forget(page_id: int) -> None:
    """Remove a page from the index (it is no longer live)."""

    with transaction.atomic():
        _claim()  # a new version of the index: counts carried by cursors are counted again
        IndexedOccurrence.objects.filter(page_id=page_id).delete()
        IndexedEvent.objects.filter(page_id=page_id).delete()


def rebuild(page) -> None:
    """Write the index rows of one event page as it is now (in memory: a page being saved)."""
    if page.pk is None:
        return
    with transaction.atomic():
        if not page.live:
            forget(page.pk)
            return
        horizon = _claim()
        if horizon is None:
            return  # no index yet: the first extension builds every page

        digest = fingerprint(page)
        unchanged = IndexedEvent.objects.filter(page_id=page.pk, fingerprint=digest)
        if unchanged.update(indexed_at=timezone.now()):
            return  # the same dates as written (a text edit published): the rows stand
        _write_page(page, horizon, digest=digest)


def rebuild_page_id(page_id: int) -> None:
    """``rebuild`` for a page known by id (after a change to one of its overrides)."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        forget(page_id)
        return
    page = page.specific
    if _is_event(page):
        rebuild(page)


def _live_events() -> Iterator:
    seen: set[int] = set()
    for model in event_models():
        for page in (
            model.objects.live()
            .defer("body")
            .prefetch_related("overrides")
            .iterator(chunk_size=500)
        ):
            if page.pk not in seen:
                seen.add(page.pk)
                yield page


@dataclass
class Extension:
    """What ``extend`` did, for the command's output."""

    start: datetime
    end: datetime
    built: int = 0
    extended: int = 0
    removed: int = 0
    rows: int = 0
    created: bool = False


def extend(now: datetime | None = None, *, rebuild_all: bool = False) -> Extension:
    """Move the horizon to ``now`` (default: the current time) and bring every page up to it.

    Idempotent and safe to run from several servers at once (the horizon row serialises them);
    run daily. ``rebuild_all`` writes every page anew (after changing the settings, say).
    """
    start, end = target_horizon(now)
    attempts = 3
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                result = _extend(start, end, rebuild_all)
            break
        except IntegrityError:
            # another writer created the horizon, or deleted a page being extended: once more
            if attempt == attempts:
                raise
    if result.rows >= ANALYZE_MIN_ROWS or result.created or rebuild_all:
        analyze()
    return result


def analyze() -> None:
    """Renew PostgreSQL's statistics of the index's tables after a large write.

    Until autovacuum gets to a freshly filled table, the planner takes it for nearly empty and
    joins the visible events to every row of a window one by one: after the first build at 1000
    series, the query of a page of 1000 dates of ``GET occurrences`` took 1.8 s instead of
    25 ms. Other databases: nothing.
    """
    for model in (IndexedOccurrence, IndexedEvent):
        connection = connections[router.db_for_write(model)]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _extend(start: datetime, end: datetime, rebuild_all: bool) -> Extension:

    horizon = _claim()
    result = Extension(start=start, end=end)
    if horizon is None:
        horizon = OccurrenceHorizon.objects.create(
            pk=HORIZON_PK, start=start, end=end, longest=timedelta(0), updated_at=timezone.now()
        )
        result.created = rebuild_all = True
    if start < horizon.start or rebuild_all:
        # the past grew (a setting changed) or asked for: write everything anew
        IndexedOccurrence.objects.all().delete()
        IndexedEvent.objects.all().delete()
        horizon.start, horizon.end, horizon.longest = start, max(end, horizon.end), timedelta(0)
    old_end = horizon.end
    horizon.end = max(end, horizon.end)
    horizon.start = max(start, horizon.start)
    horizon.updated_at = timezone.now()
    horizon.save()

    indexed = dict(IndexedEvent.objects.values_list("page_id", "fingerprint"))
    live: set[int] = set()
    for page in _live_events():
        live.add(page.pk)
        digest = fingerprint(page)
        if indexed.get(page.pk) != digest:
            # not indexed yet, or changed without a save (a queryset update, an import)
            result.rows += _write_page(page, horizon, digest=digest)
            result.built += 1
        elif horizon.end > old_end:
            result.rows += _write_page(page, horizon, extend_from=old_end)
            result.extended += 1
    gone = set(indexed) - live
    if gone:
        IndexedOccurrence.objects.filter(page_id__in=gone).delete()
        IndexedEvent.objects.filter(page_id__in=gone).delete()
        result.removed = len(gone)
    # the past: occurrences over before the horizon starts
    IndexedOccurrence.objects.filter(start__lt=horizon.start, end__lte=horizon.start).delete()
    result.start, result.end = horizon.start, horizon.end
    return result


# --- reading ----------------------------------------------------------------------------------


def current_horizon():

    return OccurrenceHorizon.objects.filter(pk=HORIZON_PK).first()


def _enqueue_extension_if_stale(horizon, now: datetime) -> None:
    """A read found the horizon behind its target: have it moved (once per hour at most, over
    all servers: the marker sits in the shared cache)."""
    if horizon is None or horizon.end >= target_horizon(now)[1] - STALE_AFTER:
        return
    if not cache.add("kokreative:occurrence-index:extension", 1, 3600):
        return

    def enqueue() -> None:
        try:
            extend_occurrence_index.enqueue()
        except Exception:
            # a task backend that is down must not break a listing; the backend is the site's
            # choice (database, Redis, ...) and raises its own errors, which share no base class
            logger.exception("The occurrence index extension could not be enqueued.")

    transaction.on_commit(enqueue)


def _in_years(moment: datetime) -> bool:
    """Whether ``moment`` lies in the years event dates may have, also in UTC."""
    try:
        utc = moment.astimezone(occurrences.UTC)
    except OverflowError:
        return False
    return (
        occurrences.MIN_YEAR <= moment.year <= occurrences.MAX_YEAR
        and occurrences.MIN_YEAR <= utc.year <= occurrences.MAX_YEAR
    )


class Position(NamedTuple):
    """What a cursor says: the sort key of the last occurrence given, and the window's count
    then with the index's version it was counted at (so later pages need not count again)."""

    key: tuple[datetime, int, datetime]
    count: int | None = None
    version: str | None = None


class Cursor:
    """An opaque position in a window: after the occurrence with this sort key."""

    @staticmethod
    def encode(item: EventOccurrence, count: int | None = None, version: str | None = None) -> str:
        start, pk, original = sort_key(item)
        data = [start.isoformat(), pk, original.isoformat()]
        if count is not None and version is not None:
            data += [count, version]
        raw = json.dumps(data, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @staticmethod
    def decode(value: str) -> Position:
        """The position in ``value``; ``ValueError`` for anything not made by ``encode``."""
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
            data = json.loads(raw)
            start, pk, original, *rest = data
            key = (datetime.fromisoformat(start), int(pk), datetime.fromisoformat(original))
            count, version = rest if rest else (None, None)
        except (binascii.Error, ValueError, TypeError, UnicodeDecodeError, OverflowError):
            raise ValueError("not a cursor") from None
        if key[0].tzinfo is None or key[2].tzinfo is None or isinstance(pk, bool):
            raise ValueError("not a cursor")
        if not 0 <= key[1] <= MAX_ID or not all(_in_years(moment) for moment in key[::2]):
            raise ValueError("not a cursor")  # no id or date the database could hold
        key = (key[0].astimezone(occurrences.UTC), key[1], key[2].astimezone(occurrences.UTC))
        if rest:
            counted = isinstance(count, int) and not isinstance(count, bool) and count >= 0
            if not counted or not isinstance(version, str) or len(version) > 40:
                raise ValueError("not a cursor")
        return Position(key, count, version)


class Found(list):
    """Occurrences read from a window, and ``more``: whether the window holds more after them
    (one row further was looked at, so a "more" link or cursor needs no count)."""

    more: bool = False

    @classmethod
    def of(cls, items: list, limit: int) -> Found:
        found = cls(items[:limit])
        found.more = len(items) > limit
        return found


@dataclass(frozen=True)
class Day:
    """One day of a calendar: its date and where it starts and ends (aware)."""

    date: date
    start: datetime
    end: datetime


class OccurrenceWindow:
    """The occurrences of ``events`` (an event page queryset) in ``[start, end)``, sorted by
    ``series.sort_key``; read from the index where it holds the window, else computed.

    From the index, a page of occurrences costs three queries whatever the site holds: the
    horizon, the rows (counting the whole window in a subquery), and their events
    (plus the events' own prefetches, e.g. elements). ``held_only`` leaves cancelled
    occurrences out.
    """

    def __init__(
        self,
        events: QuerySet,
        start: datetime,
        end: datetime,
        *,
        held_only: bool = False,
        defer: tuple[str, ...] = (),
        event_loader: Callable[[set[int], dict, Callable], dict] | None = None,
        text_times: bool = False,
    ):
        occurrences.check_window(start, end)
        self.events = events
        #: Rows from the index become ``text_times.TextTimedOccurrence``s (their times read as
        #: text, not parsed; where the database ``reads_text``): for a caller writing them out.
        self.text_times = text_times
        #: Event fields the caller never reads (``recurrence`` for JSON): not loaded from the
        #: index (computing needs every field).
        self.defer = defer
        #: Instead of loading the events of the rows: ``loader(ids, versions, load_events)``
        #: gives ``{id: event}`` (``versions``: id -> when the index last wrote the event, as text;
        #: ``load_events``: this window's loader, for those it has not), e.g. from a cache of
        #: their JSON (``events.serializers.SharedEventData``).
        self.event_loader = event_loader
        self.start = start
        self.end = end
        self.held_only = held_only
        self._horizon = None
        #: Whether the index holds the window: None until looked up.
        self._indexed: bool | None = None
        self._count: int | None = None
        self._events: list | None = None
        self._all: list[EventOccurrence] | None = None
        self._ids: list[int] | None = None
        self._events_signature: str | None = None

    # -- which way --------------------------------------------------------------------------

    @property
    def indexed(self) -> bool:
        """Whether the index holds the window (one query, once)."""
        if self._indexed is None:
            horizon = self._horizon = current_horizon()
            _enqueue_extension_if_stale(horizon, timezone.now())
            self._indexed = (
                horizon is not None and horizon.start <= self.start and self.end <= horizon.end
            )
        return self._indexed

    @property
    def version(self) -> str | None:
        """The index's version (its last write) when it holds the window, else None."""
        if not self.indexed:
            return None
        return self._horizon.updated_at.isoformat()

    # -- the index ----------------------------------------------------------------------------

    def _rows(
        self,
        *,
        tested: bool = True,
        since: datetime | None = None,
        before: datetime | None = None,
    ) -> QuerySet:
        """The window's rows, unordered (only when ``indexed``); only those starting from
        ``since`` and before ``before`` where given.

        Each bound on ``start`` is given once, the tighter of the window's and the caller's:
        SQLite walks the index between the first lower and upper bound it is given and tests
        the others per row, so a second, tighter bound would still walk the whole window.
        """
        # anything running into the window started at most the longest occurrence before
        lowest = self.start - self._horizon.longest
        return self._visible_rows(
            tested=tested,
            start__gte=lowest if since is None else max(since, lowest),
            start__lt=self.end if before is None else min(before, self.end),
        ).filter(Q(start__gte=self.start) | Q(end__gt=self.start))

    def _visible_rows(self, *, tested: bool = True, **bounds) -> QuerySet:
        """The rows within ``bounds`` (lookups on ``start``) of the caller's events (of every
        event with ``tested=False``: the caller tests them, see ``_count_parts``)."""

        # ``page_id + 0``: the events are tested per row, so the database walks the window in
        # the index's (start) order and stops at the page's end, instead of gathering every row
        # of every event through the (page, original_start) index and sorting
        rows = IndexedOccurrence.objects.filter(**bounds)
        if tested:
            event_id = ExpressionWrapper(F("page_id") + 0, output_field=IntegerField())
            rows = rows.alias(event_id=event_id).filter(
                event_id__in=self.events.order_by().values("pk")
            )
        if self.held_only:
            rows = rows.filter(cancelled=False)
        return rows

    def _event_ids_key(self) -> str:
        """The cache key of the ids of the caller's events (``_count_parts``): kept per version
        of the index, and who may see which event where changes the version (``touch``), so
        the ids are never older than the rows they are tested with."""
        return "kokreative:occurrence-events:" + self._signature()

    def _signature(self) -> str:
        """What the caller's events and the index's version make of a read (a cache key)."""
        if self._events_signature is None:
            sql, params = self.events.order_by().values("pk").query.sql_with_params()
            text = "\n".join([self.version or "", sql, repr(params), str(self.held_only)])
            self._events_signature = hashlib.sha256(text.encode()).hexdigest()
        return self._events_signature

    def _ordered(self, rows: QuerySet, descending: bool = False) -> QuerySet:
        fields = ("start", "page_id", "original_start")
        return rows.order_by(*(f"-{f}" if descending else f for f in fields))

    _FIELDS = COLUMNS

    @property
    def _fields(self) -> tuple[str, ...]:
        """The columns read per row: ``_FIELDS`` (the times as text where ``_reads_text``), and
        the event's version for an ``event_loader``."""
        fields = self._FIELDS
        if self._reads_text:
            fields = tuple(f"{name}_text" if name in _TIMES else name for name in fields)
        return (*fields, "event_version") if self.event_loader else fields

    @cached_property
    def _reads_text(self) -> bool:
        """Whether rows are read with their times as text (``text_times`` and the database)."""
        return self.text_times and reads_text(connections[router.db_for_read(IndexedOccurrence)])

    def _values(self, rows: QuerySet, *extra: str) -> list[tuple]:
        """``rows`` read as tuples of ``_fields`` and ``extra``."""
        if self._reads_text:
            rows = rows.annotate(**{f"{name}_text": UtcText(name) for name in _TIMES})
        if self.event_loader:
            version = IndexedEvent.objects.filter(page_id=OuterRef("page_id"))
            # as text: it only makes a cache key, and a thousand rows need no datetime parsing
            as_text = version.annotate(text=Cast("indexed_at", CharField())).values("text")[:1]
            rows = rows.annotate(event_version=Subquery(as_text, output_field=CharField()))
        return list(rows.values_list(*self._fields, *extra))

    def _with_events(self, rows: QuerySet | list) -> list[EventOccurrence]:
        """Occurrences of ``rows`` (a queryset of rows, or rows already read by ``_values``)
        with their events, loaded in one query (plus the events' prefetches), or by the
        ``event_loader``."""
        if isinstance(rows, QuerySet):
            rows = self._values(rows)
        ids = {row[0] for row in rows}
        if not ids:
            return []
        size = len(self._FIELDS)
        if self.event_loader:
            versions = {row[0]: row[size] for row in rows}
            by_pk = self.event_loader(ids, versions, self.load_events)
        else:
            by_pk = {event.pk: event for event in self.load_events(ids)}
        occurrence = TextTimedOccurrence if self._reads_text else EventOccurrence
        return [
            occurrence(by_pk[row[0]], *row[1:size])
            for row in rows
            if row[0] in by_pk  # unpublished between the two queries
        ]

    def load_events(self, ids: Iterable[int]) -> QuerySet:
        """The events with these ids, with their prefetches but without the overrides (the
        rows have them applied) and without the ``defer`` fields."""
        lookups = [
            lookup
            for lookup in self.events._prefetch_related_lookups
            if getattr(lookup, "prefetch_through", lookup) != "overrides"
        ]
        events = self.events.filter(pk__in=ids).prefetch_related(None).prefetch_related(*lookups)
        if self.defer:
            events = events.defer(*self.defer)
        return events.order_by()

    # -- computing ------------------------------------------------------------------------------

    def _computed_events(self) -> list:
        """The events that may occur in the window, loaded once per window object."""
        if self._events is None:
            self._events = list(self.events.filter(may_occur_in(self.start, self.end)))
        return self._events

    def _computed_list(self, stop: int | None = None) -> list[EventOccurrence]:
        """The first ``stop`` occurrences (all without), computed; merged lazily, so a head
        costs what it holds. A series failing part way is left out entirely."""
        if self._all is not None:
            return self._all[:stop]
        failed: set = set()
        items: Iterator = iter_occurrences_of(self._computed_events(), self.start, self.end, failed)
        if self.held_only:
            items = (item for item in items if not item.cancelled)
        found = list(itertools.islice(items, stop))
        if failed:
            found = [item for item in found if item.event.pk not in failed]
        if stop is None:
            self._all = found
        return found

    # -- the public reads ---------------------------------------------------------------------

    def count(self) -> int:
        """The exact number of occurrences in the window."""
        if self._count is None:
            if self.indexed:
                self._count = self._indexed_count()
            else:
                self._count = len(self._computed_list())
        return self._count

    def _indexed_count(self) -> int:
        """``count`` from the index, in one query (``_count_parts``)."""
        counting = self._count_parts()
        counts = (
            OccurrenceHorizon.objects.filter(pk=HORIZON_PK)
            .annotate(**counting.subqueries())
            .values(*counting.parts)
            .first()
        )
        if counts is None:  # the horizon went away in between: count as it is
            return self._rows().count()
        return counting.total(counts)

    def _count_parts(self) -> _Counting:
        """How to count the window, costing what its two ends hold.

        The whole (UTC) days inside the window are counted once per version of the index and
        kept in the cache: a window that moves with "now" (the API's default) shares them with
        every request of the day, and any write, or a change of who may see which event where
        (``touch``), gives a new version. The rows of the partial days at both ends, including
        those running into the window, are counted each time. A window of fewer than
        ``COUNT_CACHE_MIN_DAYS`` whole days is counted as it is.
        """
        first_day = _next_midnight(self.start)
        last_day = _midnight(self.end)
        if last_day - first_day < COUNT_CACHE_MIN_DAYS:
            return _Counting({"count_window": self._rows()})
        key = self._days_count_key(first_day, last_day)
        ids_key = self._event_ids_key()
        found = cache.get_many([key, ids_key])
        whole_days, ids = found.get(key), found.get(ids_key)
        head = self._rows(tested=False, before=first_day)
        tail = self._visible_rows(tested=False, start__gte=last_day, start__lt=self.end)
        if ids is not None:
            # the ends as lists of event ids, tested here against the events' ids: each test in
            # SQL would run the events' query (a scan of the pages) once more
            parts = {"ids_head": head, "ids_tail": tail}
        else:
            # tested in SQL this once; the events' ids are read in the same statement for the
            # next requests
            event_ids = self.events.order_by().annotate(value=_IdList(F("pk"))).values("value")
            parts = {
                "count_head": self._rows(before=first_day),
                "count_tail": self._visible_rows(start__gte=last_day, start__lt=self.end),
                "event_ids": event_ids,
            }
        if whole_days is None:
            parts["count_days"] = self._visible_rows(start__gte=first_day, start__lt=last_day)
        return _Counting(parts, key, whole_days, ids, ids_key)

    def _days_count_key(self, first_day: datetime, last_day: datetime) -> str:
        """The cache key of the count of ``[first_day, last_day)``: the index's version, the
        events' query (language, site, filters, visibility) and the days."""
        days = f"{first_day.isoformat()}/{last_day.isoformat()}"
        return f"kokreative:occurrence-count:{self._signature()}:{days}"

    def page(self, offset: int = 0, limit: int = 50, *, counted: bool = True) -> Found:
        """``limit`` occurrences after the first ``offset``, in order, and whether more follow;
        ``counted``: the count of the window is read with them (for ``count()``; a list that
        shows no count saves counting a year of a large programme)."""
        if not self.indexed:
            return Found.of(self._computed_list(offset + limit + 1)[offset:], limit)
        rows = self._ordered(self._rows())
        if not counted:
            return self._found(self._values(rows[offset : offset + limit + 1]), limit)
        # the count's subqueries, run once by the database: a page and the count cost one query
        counting = self._count_parts()
        rows = rows.annotate(**counting.subqueries())
        rows = self._values(rows[offset : offset + limit + 1], *counting.parts)
        size = len(counting.parts)
        if rows:
            self._count = counting.total(dict(zip(counting.parts, rows[0][-size:], strict=True)))
        return self._found([row[:-size] for row in rows], limit)

    def after(self, key: tuple[datetime, int, datetime], limit: int) -> Found:
        """``limit`` occurrences following the one with sort key ``key`` (a ``Cursor``), and
        whether more follow."""
        if not self.indexed:
            later = (item for item in self._computed_list() if sort_key(item) > key)
            return Found.of(list(itertools.islice(later, limit + 1)), limit)
        start, pk, original = key
        following = self._rows(since=start).filter(
            Q(start__gt=start)
            | Q(start=start, page_id__gt=pk)
            | Q(start=start, page_id=pk, original_start__gt=original)
        )
        return self._found(self._values(self._ordered(following)[: limit + 1]), limit)

    def _found(self, rows: list[tuple], limit: int) -> Found:
        """The occurrences of the first ``limit`` of ``rows`` (read one further to know whether
        more follow): the events of the row looked at are not loaded."""
        found = Found(self._with_events(rows[:limit]))
        found.more = len(rows) > limit
        return found

    def last(self, limit: int) -> list[EventOccurrence]:
        """The last ``limit`` occurrences, latest first (past events)."""
        if not self.indexed:
            return list(reversed(self._computed_list()))[:limit]
        return self._with_events(self._ordered(self._rows(), descending=True)[:limit])

    def by_day(self, days: list[Day], per_day: int) -> dict[date, tuple[list, int]]:
        """Per day (by local start), the first ``per_day`` occurrences and how many there are.

        From the index these are two queries: per day its count and the ids of its first
        ``per_day`` rows (``_per_day``; the days' bounds come from Python, so SQL needs no
        time-zone functions), then those rows.
        """
        result: dict[date, tuple[list, int]] = {day.date: ([], 0) for day in days}
        if not days:
            return result
        if not self.indexed:
            for item in self._computed_list():
                day = _day_of(item.start, days)
                if day is not None:
                    shown, total = result[day]
                    if total < per_day:
                        shown.append(item)
                    result[day] = (shown, total + 1)
            return result
        shown_ids: dict[int, int] = {}  # id of a row shown -> the index of its day
        for index, total, ids in self._per_day(days, per_day):
            result[days[index].date] = ([], total)
            shown_ids.update((int(pk), index) for pk in (ids or "").split(",") if pk)
        if not shown_ids:
            return result

        rows = self._values(
            self._ordered(IndexedOccurrence.objects.filter(pk__in=list(shown_ids))), "pk"
        )
        by_key = {(row[0], row[3]): shown_ids[row[-1]] for row in rows}
        for item in self._with_events([row[:-1] for row in rows]):
            result[days[by_key[(item.event.pk, item.original_start)]].date][0].append(item)
        return result

    def _per_day(self, days: list[Day], per_day: int) -> list[tuple[int, int, str | None]]:
        """``(day index, occurrences, ids of the first per_day)`` of each day, in one query.

        A derived table of the days, and per day two correlated subqueries over the index's
        (start) order: a count, and the ids of its first rows. Each walks only its own day, and
        the caller's event set is computed once for all days, so this costs what the month
        holds with nothing per row but the visibility test (numbering all the month's rows
        with a window function sorted all of them).
        """

        day_start = RawSQL("kk_day.day_start", (), output_field=DateTimeField())
        day_end = RawSQL("kk_day.day_end", (), output_field=DateTimeField())
        # the day's bounds only: with the window's too, the database may walk the whole window
        # for every day
        in_day = self._visible_rows(start__gte=day_start, start__lt=day_end)
        total = in_day.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
        first = self._ordered(in_day).annotate(kk_id=F("pk")).values("kk_id")[:per_day]
        alias = in_day.db
        connection = connections[alias]
        total_sql, total_params = total.query.get_compiler(alias).as_sql()
        first_sql, first_params = first.query.get_compiler(alias).as_sql()
        joined = "string_agg" if connection.vendor == "postgresql" else "group_concat"
        adapt = connection.ops.adapt_datetimefield_value
        day_rows = " UNION ALL ".join(
            f"SELECT {index} AS day_index, %s AS day_start, %s AS day_end"
            for index in range(len(days))
        )
        day_params = [
            adapt(moment)
            for day in days
            for moment in (max(day.start, self.start), min(day.end, self.end))
        ]
        sql = (
            f"SELECT kk_day.day_index, ({total_sql}), "
            f"(SELECT {joined}(CAST(kk_first.kk_id AS TEXT), ',') FROM ({first_sql}) kk_first) "
            f"FROM ({day_rows}) kk_day"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*total_params, *first_params, *day_params])
            return [row for row in cursor.fetchall() if row[1]]


class _Counting:
    """The subqueries counting a window (``OccurrenceWindow._count_parts``) and their sum.

    ``count_*`` parts are counts; ``ids_*`` parts are the comma-separated event ids of their
    rows, counted where the id is one of ``events``. ``count_days``, the whole days, is stored
    in the cache under ``key`` once read (``whole_days`` is that count when it came from there),
    and ``event_ids``, the ids of the caller's events, under ``ids_key``.
    """

    def __init__(
        self,
        parts: dict[str, QuerySet],
        key: str = "",
        whole_days: int | None = None,
        events: list[int] | None = None,
        ids_key: str = "",
    ):
        self.queries = parts
        self.parts = tuple(parts)
        self.key = key
        self.whole_days = whole_days
        self.events = set(events or ())
        self.ids_key = ids_key

    def subqueries(self) -> dict[str, Subquery]:
        subqueries = {}
        for name, rows in self.queries.items():
            if name == "event_ids":
                subqueries[name] = Subquery(rows, output_field=CharField())
                continue
            if name.startswith("ids_"):
                value = _IdList(F("page_id"))
                output_field = CharField()
            else:
                value = Func(F("pk"), function="COUNT")
                output_field = IntegerField()
            rows = rows.order_by().annotate(value=value).values("value")
            subqueries[name] = Subquery(rows, output_field=output_field)
        return subqueries

    def total(self, values: dict[str, int | str | None]) -> int:
        stored = {}
        if "count_days" in values:
            self.whole_days = stored[self.key] = values["count_days"]
        if "event_ids" in values:
            stored[self.ids_key] = sorted({int(pk) for pk in _ids(values["event_ids"])})
        if stored:
            cache.set_many(stored, COUNT_CACHE_SECONDS)
        total = self.whole_days or 0
        for name in self.parts:
            value = values[name]
            if name.startswith("ids_"):
                total += sum(1 for pk in _ids(value) if int(pk) in self.events)
            elif name.startswith("count_") and name != "count_days":
                total += value or 0
        return total


def _ids(text: str | None) -> list[str]:
    return [pk for pk in (text or "").split(",") if pk]


class _IdList(Func):
    """The values of a column over the rows, comma-separated, as one text (in a subquery)."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(CAST(%(expressions)s AS TEXT), ',')",
            **extra,
        )


def _midnight(moment: datetime) -> datetime:
    """The UTC midnight at or before ``moment``."""
    utc = moment.astimezone(occurrences.UTC)
    return utc.replace(hour=0, minute=0, second=0, microsecond=0)


def _next_midnight(moment: datetime) -> datetime:
    """The UTC midnight at or after ``moment``."""
    midnight = _midnight(moment)
    return midnight if midnight == moment else midnight + timedelta(days=1)


def _day_of(moment: datetime, days: list[Day]) -> date | None:
    for day in days:
        if day.start <= moment < day.end:
            return day.date
    return None


@task()
def extend_occurrence_index() -> dict:
    """Move the horizon to now and build what is missing; returns the counts (for the logs).

    Enqueued by a read that finds the horizon a day behind, or by a site's scheduler
    (``kokreative_wagtail.events.tasks.extend_occurrence_index``, the same task).
    """
    result = extend()
    return {
        "built": result.built,
        "extended": result.extended,
        "removed": result.removed,
        "rows": result.rows,
    }
