"""English translations of the demo content, made through wagtail-localize's own machinery.

The German content is the source. Each demo object gets a ``TranslationSource`` and a
``Translation`` into English, as the admin's "Translate" action creates them; the English text
of every segment is stored as a ``StringTranslation`` (the German text where ``ENGLISH`` has no
version of it, so nothing is missing), and the translation is saved and published from them.
Editors can go on with the translation in the admin's translation editor.

Only used when wagtail_localize is installed; this module imports it, so import it only then.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable

from django.conf import settings
from django.db import models
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.strings import StringValue

from home.demo_content_en import ENGLISH, PAGE_SLUGS

ENGLISH_CODE = "en"


def english_wanted() -> bool:
    """True when the site has English as a content language and Wagtail's i18n is on."""
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return False
    languages = getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", None) or settings.LANGUAGES
    return ENGLISH_CODE in dict(languages)


def translate_lines(data: str) -> str:
    """``StringValue`` data with ``<br/>`` line breaks, each line translated where we can."""
    lines = []
    for line in data.split("<br/>"):
        text = html.unescape(line.strip("\r\n"))
        english = ENGLISH.get(text)
        lines.append(
            line if english is None else line.replace(line.strip("\r\n"), html.escape(english))
        )
    return "<br/>".join(lines)


def english_data(segment: StringSegment, instance: models.Model) -> str:
    """The English ``StringValue`` data for ``segment``: our text, or the German one."""
    german = StringValue(segment.string.data)
    key = german.render_text()
    path = segment.context.path
    if path == "slug":
        # snippets keep their slugs: they are the filter values in URLs and the API
        english = PAGE_SLUGS.get(key) if isinstance(instance, Page) else None
    else:
        english = ENGLISH.get(key)
    if english is None and "<br/>" in german.data:
        # the choices of a form field: one text with a line per choice, translated line by line
        return translate_lines(german.data)
    if english is None:
        return german.data
    if "<" in english:  # rich text with inline tags
        return StringValue.from_translated_html(english).data
    return StringValue.from_plaintext(english).data


def _content(content_json: str) -> dict:
    """A source's content without the page's tree count, which a new child page changes
    (the accessibility pages are added below the home page after its translation)."""
    content = json.loads(content_json)
    content.pop("numchild", None)
    return content


class DemoTranslator:
    """Translates demo objects into English; idempotent like the loader (``reset`` restores)."""

    CREATED, UPDATED, UNCHANGED, KEPT = "angelegt", "aktualisiert", "unverändert", "vorhanden"

    def __init__(self, log: Callable[[str], None], reset: bool = False):
        self.log = log
        self.reset = reset
        self.locale, created = Locale.objects.get_or_create(language_code=ENGLISH_CODE)
        if created:
            self.log(f"Sprache „{ENGLISH_CODE}“: {self.CREATED}")
        self.saved: list[Translation] = []

    def translate_all(self, objects: list[models.Model]) -> None:
        """Translate ``objects`` in order: snippets before the pages that use them, parents
        before children. A second pass saves again the translations whose links to other
        translated objects (an element, a form page) could only resolve after them."""
        for instance in objects:
            # fresh from the database: the loader's objects may predate their publication
            self.translate(type(instance)._default_manager.get(pk=instance.pk))
        for translation in self.saved:
            if translation.source.relatedobjectsegment_set.exists():
                self.save_target(translation)

    def translate(self, instance: models.Model) -> None:
        label = f"Englisch: {type(instance)._meta.verbose_name} „{instance}“"
        target = instance.get_translation_or_none(self.locale)
        if target is not None and not self.reset:
            self.log(f"{label}: {self.KEPT}")
            return
        source, created = TranslationSource.get_or_create_from_instance(instance)
        source_changed = created
        if not created:
            before = source.content_json
            source, _ = TranslationSource.update_or_create_from_instance(instance)
            source_changed = _content(source.content_json) != _content(before)
            if not source_changed and source.content_json != before:
                # only the tree count moved: keep the source as it was, a load changes nothing
                source.content_json = before
                source.save(update_fields=["content_json"])
        strings_changed = self.write_strings(source, instance)
        translation, translation_created = Translation.objects.get_or_create(
            source=source, target_locale=self.locale
        )
        up_to_date = (
            target is not None
            and not (source_changed or strings_changed or translation_created)
            and (
                not isinstance(target, Page) or (target.live and not target.has_unpublished_changes)
            )
        )
        if up_to_date:
            self.log(f"{label}: {self.UNCHANGED}")
            return
        self.save_target(translation)
        self.saved.append(translation)
        self.log(f"{label}: {self.CREATED if target is None else self.UPDATED}")

    def write_strings(self, source: TranslationSource, instance: models.Model) -> bool:
        """Store the English text of every segment; True when one was added or changed."""
        changed = False
        segments = StringSegment.objects.filter(source=source).select_related("string", "context")
        for segment in segments:
            data = english_data(segment, instance)
            existing = StringTranslation.objects.filter(
                translation_of=segment.string, locale=self.locale, context=segment.context
            ).first()
            if existing is None:
                StringTranslation.objects.create(
                    translation_of=segment.string,
                    locale=self.locale,
                    context=segment.context,
                    data=data,
                    translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
                )
                changed = True
            elif self.reset and existing.data != data:
                existing.data = data
                existing.has_error = False
                existing.save(update_fields=["data", "has_error", "updated_at"])
                changed = True
        return changed

    def save_target(self, translation: Translation) -> None:
        """Save the translation from its strings (as ``Translation.save_target`` does) and
        publish it now if its source is live.

        ``save_target`` publishes a page on commit, from the page object as it was when saved:
        inside the loader's one transaction, that stale copy would be published at the end and
        reset the tree counts of the pages translated after it (and in a test's transaction it
        would never be published at all). So the page is saved as a draft and its latest
        revision published here, from the database.
        """
        source = translation.source
        instance = source.get_source_instance()
        is_page = isinstance(instance, Page)
        source.create_or_update_translation(
            self.locale, publish=not is_page, fallback=True, copy_parent_pages=True
        )
        if is_page and instance.live:
            target = Page.objects.get(
                translation_key=instance.translation_key, locale=self.locale
            ).specific
            target.latest_revision.publish()
