"""Translation support: wagtail-localize's field configuration and relations kept per locale.

Our models say which fields wagtail-localize translates and which it synchronizes
(``override_translatable_fields``). The package must import without wagtail-localize, so the
field classes come from ``wagtail_localize.fields`` only when the app is installed; otherwise
stand-ins that carry the field name (nothing reads them then).

Relations to translatable objects (elements, audiences, linked pages) point to the object in the
page's own language: a translation's relations are remapped when it is saved, and serializers
resolve what a translation made before its related objects were translated still points to.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings


class _FieldConfig:
    """Stand-in for wagtail-localize's field classes when it is not installed."""

    def __init__(self, field_name: str, overridable: bool = True) -> None:
        self.field_name = field_name
        self.overridable = overridable

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.field_name == other.field_name

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.field_name))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.field_name}>"


if apps.is_installed("wagtail_localize"):
    from wagtail_localize.fields import SynchronizedField, TranslatableField
else:

    class SynchronizedField(_FieldConfig):  # type: ignore[no-redef]
        """Copied from the source on every sync (wagtail-localize's ``SynchronizedField``)."""

    class TranslatableField(_FieldConfig):  # type: ignore[no-redef]
        """Extracted for translation (wagtail-localize's ``TranslatableField``)."""


def synchronized(*names: str, overridable: bool = True) -> list:
    return [SynchronizedField(name, overridable=overridable) for name in names]


def translatable(*names: str) -> list:
    return [TranslatableField(name) for name in names]


def i18n_enabled() -> bool:
    return bool(getattr(settings, "WAGTAIL_I18N_ENABLED", False))


def _translations_by_key(model, objects: Iterable[Any], locale_id: int) -> dict:
    keys = {obj.translation_key for obj in objects}
    found = model._default_manager.filter(translation_key__in=keys, locale_id=locale_id)
    return {obj.translation_key: obj for obj in found.select_related("locale")}


def localize_relations(instance, names: Iterable[str]) -> None:
    """Point ``instance``'s relations ``names`` to their translations in its locale.

    Objects without a translation in that locale stay as they are (the source language is the
    fallback). Many-to-many relations are set in memory (``ParentalManyToManyField``) and saved
    with the instance. Queries only for relations that point to another locale.
    """
    locale_id = getattr(instance, "locale_id", None)
    if locale_id is None:
        return
    for name in names:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            current = list(getattr(instance, name).all())
            foreign = [obj for obj in current if obj.locale_id != locale_id]
            if not foreign:
                continue
            mapping = _translations_by_key(field.related_model, foreign, locale_id)
            result: dict[Any, Any] = {}
            for obj in current:
                obj = mapping.get(obj.translation_key, obj)
                result.setdefault(obj.pk, obj)
            setattr(instance, name, list(result.values()))
        elif getattr(instance, field.attname) is not None:
            related = getattr(instance, name)
            if related.locale_id == locale_id:
                continue
            translated = _translations_by_key(field.related_model, [related], locale_id)
            if related.translation_key in translated:
                setattr(instance, name, translated[related.translation_key])


def translations_in(objects: Iterable[Any], locale_id: int | None) -> dict:
    """Translations in ``locale_id`` of those ``objects`` in another locale, by translation key.

    One query, none when all objects are in ``locale_id`` already.
    """
    foreign = [o for o in objects if locale_id is not None and o.locale_id != locale_id]
    if not foreign:
        return {}
    return _translations_by_key(type(foreign[0]), foreign, locale_id)


def localized_objects(
    objects: Iterable[Any], locale_id: int | None, translations: dict | None = None
) -> list:
    """``objects`` with each replaced by its translation in ``locale_id`` where one exists.

    Pass ``translations`` (from ``translations_in`` over a whole list) to avoid a query per item.
    """
    objects = list(objects)
    if translations is None:
        translations = translations_in(objects, locale_id)
    if not translations:
        return objects
    result: dict[Any, Any] = {}
    for obj in objects:
        if obj.locale_id != locale_id:
            obj = translations.get(obj.translation_key, obj)
        result.setdefault(obj.pk, obj)
    return list(result.values())
