"""When the occurrence index is written: a saved event page, a changed override, unpublishing,
the first migration; and when only its version changes (``occurrence_index.touch``): a page
moved or an event deleted, a view restriction or a site changed.

A page's ``save()`` commits its overrides after the page row (modelcluster), so the page's own
rebuild runs once after both (``EventPageMixin.save``), and the override signals stay quiet
meanwhile; an override saved or deleted on its own rebuilds its page.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.apps import apps
from django.db import connections
from django.db.models.signals import post_delete, post_migrate, post_save
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_unpublished, post_page_move

from . import occurrence_index
from .index_models import OccurrenceHorizon

#: Fields whose change alters occurrences; a save naming none of them leaves the index alone
#: (``save_revision`` saves a draft's bookkeeping fields only).
SCHEDULE_FIELDS = frozenset(
    {
        "live",
        "start",
        "end",
        "time_zone",
        "all_day",
        "recurrence",
        "overrides",
        "location_name",
        "location_address",
    }
)

_page_saving: ContextVar[bool] = ContextVar("kokreative_event_page_saving", default=False)


@contextlib.contextmanager
def page_saving() -> Iterator[None]:
    """Quiet the override signals while a page saves itself and its overrides."""
    token = _page_saving.set(True)
    try:
        yield
    finally:
        _page_saving.reset(token)


def page_saved(page, update_fields) -> None:
    """After ``EventPageMixin.save``: rebuild unless only bookkeeping fields were saved."""
    if update_fields is not None and not SCHEDULE_FIELDS.intersection(update_fields):
        return
    occurrence_index.rebuild(page)


def _override_changed(sender, instance, **kwargs) -> None:
    if _page_saving.get() or not getattr(instance, "changes_occurrences", False):
        return
    if kwargs.get("raw"):  # fixtures: the page's own save or the extension builds it
        return
    page_id = getattr(instance, "page_id", None)
    if page_id is not None:
        occurrence_index.rebuild_page_id(page_id)


def _unpublished(sender, instance, **kwargs) -> None:
    """Unpublishing may save a plain ``Page`` (not ours): forget the event here too."""
    if occurrence_index._is_event(instance):
        occurrence_index.forget(instance.pk)


def _visibility_changed(sender, **kwargs) -> None:
    """Who may see which event where changed: a new version of the index (not for fixtures,
    and not before the index exists: ``touch`` then updates nothing)."""
    if kwargs.get("raw"):
        return
    occurrence_index.touch()


def _first_build(sender, app_config, using="default", **kwargs) -> None:
    """The first ``migrate`` builds the index, so a site needs no extra step; later ones leave it
    to the extension (cron or task)."""
    if app_config.label != "kokreative_events" or kwargs.get("plan") == []:
        return
    if OccurrenceHorizon._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back to before the index
    if not OccurrenceHorizon.objects.using(using).exists():
        occurrence_index.extend()


def connect() -> None:
    """Connect the receivers; the override ones per override model, since a receiver for every
    model would make Django load each row before deleting it (no fast delete)."""
    for model in apps.get_models():
        if getattr(model, "changes_occurrences", False) and not model._meta.abstract:
            uid = f"kokreative_override_{model._meta.label_lower}"
            post_save.connect(_override_changed, sender=model, dispatch_uid=f"{uid}_saved")
            post_delete.connect(_override_changed, sender=model, dispatch_uid=f"{uid}_deleted")
    page_unpublished.connect(_unpublished, dispatch_uid="kokreative_event_unpublished")
    # a move changes URLs and may change sites; deleting an event takes its rows (cascade)
    post_page_move.connect(_visibility_changed, dispatch_uid="kokreative_index_page_moved")
    for model in occurrence_index.event_models():
        uid = f"kokreative_index_{model._meta.label_lower}_deleted"
        post_delete.connect(_visibility_changed, sender=model, dispatch_uid=uid)
    for model in (PageViewRestriction, Site):
        uid = f"kokreative_index_{model._meta.label_lower}"
        post_save.connect(_visibility_changed, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(_visibility_changed, sender=model, dispatch_uid=f"{uid}_deleted")
    post_migrate.connect(_first_build, dispatch_uid="kokreative_occurrence_index_first_build")
