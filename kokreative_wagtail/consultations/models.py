"""Concrete models of consultations: the form page and its editor-defined fields."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey

from .abstract import AbstractConsultationFormField, AbstractConsultationFormPage


class ConsultationFormField(AbstractConsultationFormField):
    """One field of a consultation form, defined by the editor."""

    page = ParentalKey(
        "kokreative_consultations.ConsultationFormPage",
        on_delete=models.CASCADE,
        related_name="form_fields",
    )

    class Meta(AbstractConsultationFormField.Meta):
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")


class ConsultationFormPage(AbstractConsultationFormPage):
    """Beratungsgespräch vereinbaren": a form whose submissions land in Wagtail's "Forms"."""

    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("consultation form page")
        verbose_name_plural = _("consultation form pages")
