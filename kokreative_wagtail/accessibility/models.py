"""Concrete models of accessibility: the Leichte Sprache page and the accessibility statement."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .abstract import (
    AbstractAccessibilityStatementPage,
    AbstractEasyLanguagePage,
    AbstractNonAccessiblePart,
)


class EasyLanguagePage(AbstractEasyLanguagePage):
    """“Leichte-Sprache-Seite”: anywhere in the tree, with more Leichte Sprache pages below."""

    subpage_types = ["kokreative_accessibility.EasyLanguagePage"]

    class Meta:
        verbose_name = _("Leichte Sprache page")
        verbose_name_plural = _("Leichte Sprache pages")


class AccessibilityStatementPage(AbstractAccessibilityStatementPage):
    """“Erklärung zur Barrierefreiheit”: one per site (and language)."""

    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")


class NonAccessiblePart(AbstractNonAccessiblePart):
    class Meta(AbstractNonAccessiblePart.Meta):
        pass
