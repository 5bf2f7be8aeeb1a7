"""The task that keeps the occurrence index's horizon moving with time.

Enqueued by a read that finds the horizon a day behind (``occurrence_index``), or by a site's
scheduler; ``manage.py kokreative_index_occurrences`` does the same from cron.
"""

from __future__ import annotations

try:  # Wagtail 7.x and 8.x define their tasks with django-tasks.
    from django_tasks import task
except ImportError:  # pragma: no cover - a future Wagtail on Django's own tasks framework
    from django.tasks import task


@task()
def extend_occurrence_index() -> dict:
    """Move the horizon to now and build what is missing; returns the counts (for the logs)."""
    from .occurrence_index import extend

    result = extend()
    return {
        "built": result.built,
        "extended": result.extended,
        "removed": result.removed,
        "rows": result.rows,
    }
