"""The tables of the stored occurrence index (``occurrence_index`` writes and reads them).

Apart from the page types, so the index code can import them without the pages' modules;
``models.py`` imports them, which registers them with the events app.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexedOccurrence(models.Model):
    """One occurrence of a live event page in the stored horizon, overrides applied.

    Derived data (``occurrence_index`` writes it, nobody edits it). It holds no visibility: who
    may see an occurrence (live, public, site, language) is decided by joining the event page
    when reading, so a restriction or a move takes effect without a rebuild.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    #: The start the series gave it (RECURRENCE-ID); unique per page.
    original_start = models.DateTimeField()
    all_day = models.BooleanField(default=False)
    cancelled = models.BooleanField(default=False)
    moved = models.BooleanField(default=False)
    note = models.CharField(max_length=255, blank=True)
    location_name = models.CharField(max_length=255, blank=True)
    location_address = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.page_id} @ {self.start.isoformat()}"

    class Meta:
        verbose_name = _("indexed occurrence")
        verbose_name_plural = _("indexed occurrences")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "original_start"], name="kokreative_occurrence_unique"
            )
        ]
        indexes = [
            # in the order listings read; with ``end``, counting a window needs no table row
            models.Index(
                fields=["start", "page", "original_start", "end"],
                name="kokreative_occurrence_order",
            )
        ]


class IndexedEvent(models.Model):
    """An event page whose occurrences are in the index, and when they were written: listed
    pages without this row are built by the next extension; feeds use ``indexed_at`` in their
    version."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    indexed_at = models.DateTimeField()
    #: Why the event's dates could not be indexed (empty when they were).
    problem = models.CharField(max_length=255, blank=True)
    #: What the rows were computed from (``occurrence_index.fingerprint``): the daily extension
    #: rebuilds a page whose data changed without a save (a queryset update, an import).
    fingerprint = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.page_id} ({self.indexed_at.isoformat()})"

    class Meta:
        verbose_name = _("indexed event")
        verbose_name_plural = _("indexed events")


class OccurrenceHorizon(models.Model):
    """The one row saying which window the index holds for every indexed event.

    Its row is also the lock that serialises writers: an extension and a page's rebuild both
    take it first (``SELECT … FOR UPDATE``; on SQLite the write itself serialises).
    """

    start = models.DateTimeField()
    end = models.DateTimeField()
    #: The longest occurrence indexed: a window read looks this far back for ones running into it.
    longest = models.DurationField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    class Meta:
        verbose_name = _("occurrence index horizon")
        verbose_name_plural = _("occurrence index horizons")
