"""System checks of the events app (registered when the app is ready)."""

from __future__ import annotations

from django.apps import apps
from django.core import checks
from django.db.migrations.exceptions import BadMigrationError, NodeNotFoundError
from django.db.migrations.loader import MigrationLoader

from .recurrence_app import RECURRENCE_CONFIG, RecurrenceConfig


@checks.register()
def check_recurrence_migrations(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Warn when ``makemigrations`` would write a migration into django-recurrence's folder.

    Compares the real ``id`` field of its models with the state its own migrations end on, so
    the check holds whatever the site's ``DEFAULT_AUTO_FIELD`` and however recurrence is listed.
    """
    if not apps.is_installed("recurrence"):
        return []
    config = apps.get_app_config("recurrence")
    try:
        loader = MigrationLoader(None, ignore_no_migrations=True)
    except (BadMigrationError, NodeNotFoundError, ImportError):  # reported by migrate itself
        return []
    leaves = loader.graph.leaf_nodes(config.label)
    if len(leaves) != 1:  # no migrations (MIGRATION_MODULES) or a conflict migrate reports
        return []
    state = loader.project_state(leaves[0])
    differing = []
    for model in config.get_models():
        model_state = state.models.get((config.label, model._meta.model_name))
        pk = model._meta.pk
        migrated = model_state.fields.get(pk.name) if model_state else None
        if migrated is not None and type(migrated) is not type(pk):
            differing.append((model.__name__, type(pk).__name__, type(migrated).__name__))
    if not differing:
        return []
    name, current, migrated = differing[0]
    if isinstance(config, RecurrenceConfig):
        hint = (
            f"This django-recurrence release's migrations end on {migrated}; use a supported "
            "release (see docs/upgrading.md)."
        )
    else:
        hint = (
            f'In INSTALLED_APPS, replace "recurrence" with "{RECURRENCE_CONFIG}" (same app, '
            "label and tables, its own key type); leave DEFAULT_AUTO_FIELD as it is."
        )
    return [
        checks.Warning(
            f"django-recurrence's models get {current} primary keys (e.g. {name}), its "
            f"migrations end on {migrated}: makemigrations would write a migration into its "
            "site-packages folder, lost on the next install.",
            hint=hint,
            id="kokreative_wagtail.W003",
        )
    ]
