"""Slugs of translatable snippets: filled in from the name, unique per locale."""

from __future__ import annotations

from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, TranslatableMixin
from wagtail.search import index

from .page_slugs import ascii_slugs_enabled, german_slugify

#: Length of the snippets' ``slug`` fields.
SLUG_LENGTH = 100


def name_slug(name: str) -> str:
    """The slug filled in from a snippet's name: German transliteration (ä → ae, ß → ss) as for
    our pages unless ``ASCII_SLUGS`` is off, then each letter's plain ASCII form (ä → a)."""
    if ascii_slugs_enabled():
        return german_slugify(name)[:SLUG_LENGTH].strip("-")
    return slugify(anyascii(name or ""))[:SLUG_LENGTH]


class NameSlugMixin:
    """For a ``TranslatableMixin`` model with ``name`` and ``slug`` fields.

    ``slug_clash_message`` is the form error when another object of the locale has the slug.
    """

    slug_clash_message = ""

    def fill_slug(self) -> None:
        if not self.slug:
            self.slug = name_slug(self.name)

    def clean(self) -> None:
        super().clean()
        self.fill_slug()
        if not self.slug:
            return
        # The snippet create view sets the locale only after validation: assume the default.
        locale_id = self.locale_id or Locale.get_default().pk
        clash = type(self)._default_manager.filter(slug=self.slug, locale_id=locale_id)
        if clash.exclude(pk=self.pk).exists():
            raise ValidationError({"slug": self.slug_clash_message})

    def save(self, *args, **kwargs):
        self.fill_slug()
        super().save(*args, **kwargs)


class AbstractNamedSnippet(NameSlugMixin, TranslatableMixin, index.Indexed, models.Model):
    """A translatable snippet with a name and a slug (elements, audiences): ordered by
    ``sort_order`` (each subclass defines it among its own fields), then name; the slug unique
    per locale; found by its name in the admin's search and choosers."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"),
        max_length=SLUG_LENGTH,
        blank=True,
        help_text=_("Used in URLs and API filters; filled in from the name when left empty."),
    )

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("locale"),
    ]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["sort_order", "name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.name
