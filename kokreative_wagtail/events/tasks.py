"""The task that keeps the occurrence index's horizon moving with time.

Enqueued by a read that finds the horizon a day behind (``occurrence_index``), or by a site's
scheduler; ``manage.py kokreative_index_occurrences`` does the same from cron. Defined beside
the index it extends; this is its documented place.
"""

from .occurrence_index import extend_occurrence_index

__all__ = ["extend_occurrence_index"]
