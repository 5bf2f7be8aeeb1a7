"""Mixins and abstract pages of the accessibility app; no concrete model here, so sites can
import it freely (and build ``class MyStatementPage(AccessibilityStatementPageMixin, MyPage)``).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from ..abstract import KokreativePageMixin, intro_field
from ..blocks.stream import PageStreamFieldSerializer
from ..localization import synchronized, translatable
from ..serializers import LocalizedPageIdField
from ..serializers import RichTextField as RichTextAPIField
from . import choices
from .blocks import EasyLanguageStreamBlock, sentence_lines

#: A statement is due for review when its last review is older than this.
REVIEW_INTERVAL = datetime.timedelta(days=365)


class EasyLanguagePageMixin(KokreativePageMixin):
    """A page in Leichte Sprache: a companion of the page it explains, or the start page.

    A companion page, not a content language: Leichte Sprache is German written anew for its
    readers (its own order, its own words, pictures beside the text), not a sentence-by-sentence
    translation; it stays ``lang="de"`` for search engines and screen readers; it works on a site
    without wagtail-localize; and it does not copy the page tree. See docs/leichte-sprache.md.
    """

    explains = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("explains the page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The page this page explains in Leichte Sprache; that page then links here. Leave "
            "empty for a page of its own, such as the start page."
        ),
    )
    is_start_page = models.BooleanField(
        _("start page of Leichte Sprache"),
        default=False,
        help_text=_(
            "The page the “Leichte Sprache” link in the header of every page leads to: what the "
            "site contains, how to find one's way, where the accessibility statement is."
        ),
    )
    intro = models.TextField(
        _("introduction"),
        blank=True,
        max_length=2000,
        help_text=_("A few short sentences at the top of the page, one sentence per line."),
    )
    body = StreamField(
        EasyLanguageStreamBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_(
            "Short sentences, one per line; a heading for each topic; a picture beside the text "
            "where it helps."
        ),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [PageChooserPanel("explains"), FieldPanel("is_start_page")],
            heading=_("Place of the page"),
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("is_start_page"),
    ]

    api_fields = [
        APIField("explains_id", serializer=LocalizedPageIdField(source="explains")),
        APIField("is_start_page"),
        APIField("intro_lines"),
        APIField("body", serializer=PageStreamFieldSerializer()),
    ]

    kokreative_template = "kokreative_wagtail/accessibility/easy_language_page.html"

    localized_relations = ("explains",)
    override_translatable_fields = synchronized("explains", "is_start_page", overridable=False)

    @property
    def intro_lines(self) -> list[list[str]]:
        """The introduction as paragraphs of sentences (one per line), as the blocks give them."""
        return sentence_lines(self.intro)

    def get_explained_page(self):
        """The explained page while it is live and public, else ``None``."""
        page = self.explains
        if page is None or not page.live or page.get_view_restrictions().exists():
            return None
        return page

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["explained_page"] = self.get_explained_page()
        return context

    class Meta:
        abstract = True


class AbstractEasyLanguagePage(EasyLanguagePageMixin, Page):
    class Meta:
        abstract = True


class AccessibilityStatementPageMixin(KokreativePageMixin):
    """The accessibility statement ("Erklärung zur Barrierefreiheit") after the EU model.

    Sections as in the annex of Implementing Decision (EU) 2018/1523: compliance status, the
    non-accessible content with its reason and alternative, the preparation of the statement,
    feedback and contact, the enforcement procedure. A concrete page needs an inline model with
    a ``ParentalKey`` to it named ``non_accessible_parts`` (see ``models.NonAccessiblePart``).
    """

    body_name = models.CharField(
        _("public body"),
        max_length=255,
        help_text=_("Who publishes the site, for example “Stadt Musterstadt”."),
    )
    scope = models.CharField(
        _("applies to"),
        max_length=255,
        blank=True,
        help_text=_(
            "The website or part of it the statement covers. Leave empty for the address of this "
            "site."
        ),
    )
    intro = intro_field()
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=500,
        default=choices.DEFAULT_LEGAL_BASIS,
        help_text=_(
            "The law the site is measured against. The federal law is preset; a body of a Land "
            "or a municipality names its Land's law."
        ),
    )
    conformity_status = models.CharField(
        _("compliance status"),
        max_length=16,
        choices=choices.ConformityStatus.choices,
        default=choices.ConformityStatus.PARTIAL,
        help_text=_(
            "Fully compliant only when every requirement is met; with non-accessible content "
            "listed below, partially compliant."
        ),
    )
    prepared_on = models.DateField(
        _("prepared on"), help_text=_("The day the statement was first prepared.")
    )
    reviewed_on = models.DateField(
        _("last reviewed on"),
        null=True,
        blank=True,
        help_text=_(
            "The day of the last review of the site and of this statement; review it at least "
            "once a year. Leave empty if it was not reviewed since its preparation."
        ),
    )
    evaluation_method = models.CharField(
        _("method"),
        max_length=32,
        choices=choices.EvaluationMethod.choices,
        default=choices.EvaluationMethod.SELF_EVALUATION,
        help_text=_("How the site was evaluated."),
    )
    evaluation_details = models.TextField(
        _("about the evaluation"),
        blank=True,
        max_length=2000,
        help_text=_("For example who evaluated the site, with which tools, or a link to a report."),
    )
    feedback_email = models.EmailField(
        _("e-mail for feedback"),
        blank=True,
        help_text=_("Where visitors report barriers and ask for content in an accessible form."),
    )
    feedback_phone = models.CharField(
        _("phone for feedback"),
        max_length=50,
        blank=True,
        help_text=_("Shown as a link for calling, for example “+49 30 1234567”."),
    )
    feedback_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("form for reporting a barrier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Usually a consultation form page such as “Barriere melden”; its notifications go to "
            "the addresses set on that form page."
        ),
    )
    arbitration_name = models.CharField(
        _("arbitration body"),
        max_length=255,
        default=choices.FEDERAL_ARBITRATION_NAME,
        help_text=_("Where visitors turn when their feedback found no satisfactory solution."),
    )
    arbitration_address = models.TextField(
        _("address of the arbitration body"),
        max_length=500,
        blank=True,
        default=choices.FEDERAL_ARBITRATION_ADDRESS,
        help_text=_("Postal address, one line per line of the address."),
    )
    arbitration_url = models.URLField(
        _("website of the arbitration body"),
        blank=True,
        default=choices.FEDERAL_ARBITRATION_URL,
        help_text=_("Its website, where visitors find how to apply."),
    )
    arbitration_email = models.EmailField(
        _("e-mail of the arbitration body"),
        blank=True,
        default=choices.FEDERAL_ARBITRATION_EMAIL,
        help_text=_("Its e-mail address, shown as a link."),
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("body_name"), FieldPanel("scope")]),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("conformity_status"), FieldPanel("legal_basis")],
            heading=_("Compliance status"),
        ),
        InlinePanel(
            "non_accessible_parts",
            heading=_("Non-accessible content"),
            label=_("Non-accessible content"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("prepared_on"), FieldPanel("reviewed_on")]),
                FieldPanel("evaluation_method"),
                FieldPanel("evaluation_details"),
            ],
            heading=_("Preparation of this statement"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("feedback_email"), FieldPanel("feedback_phone")]),
                PageChooserPanel("feedback_page"),
            ],
            heading=_("Feedback and contact information"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("arbitration_name"),
                FieldPanel("arbitration_address"),
                FieldRowPanel([FieldPanel("arbitration_url"), FieldPanel("arbitration_email")]),
            ],
            heading=_("Enforcement procedure"),
            help_text=_(
                "The federal arbitration body is preset; bodies of a Land or a municipality "
                "name the body of their Land."
            ),
        ),
    ]

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    api_fields = [
        APIField("body_name"),
        APIField("scope"),
        APIField("intro", serializer=RichTextAPIField()),
        APIField("legal_basis"),
        APIField("conformity_status"),
        APIField("prepared_on"),
        APIField("reviewed_on"),
        APIField("last_review"),
        APIField("evaluation_method"),
        APIField("evaluation_details"),
        APIField("non_accessible_parts"),
        APIField("feedback_email"),
        APIField("feedback_phone"),
        APIField("feedback_page_id", serializer=LocalizedPageIdField(source="feedback_page")),
        APIField("arbitration_name"),
        APIField("arbitration_address"),
        APIField("arbitration_url"),
        APIField("arbitration_email"),
    ]

    kokreative_template = "kokreative_wagtail/accessibility/accessibility_statement_page.html"

    localized_relations = ("feedback_page",)
    # wagtail-localize: texts are translated; dates, status, method and contact data follow
    # the source (the arbitration body's address too, a translator may adapt it).
    override_translatable_fields = [
        *synchronized(
            "conformity_status",
            "prepared_on",
            "reviewed_on",
            "evaluation_method",
            "feedback_email",
            "feedback_phone",
            "feedback_page",
            "arbitration_url",
            "arbitration_email",
            overridable=False,
        ),
        *synchronized("arbitration_address"),
        *translatable("non_accessible_parts"),
    ]

    @property
    def last_review(self) -> datetime.date:
        """The day of the last review: the review's, else the preparation's."""
        return self.reviewed_on or self.prepared_on

    def review_overdue(self, today: datetime.date | None = None) -> bool:
        """Whether the last review is older than a year (the statement must be kept current)."""
        today = today or timezone.localdate()
        return self.last_review is not None and today - self.last_review > REVIEW_INTERVAL

    def clean(self) -> None:
        super().clean()
        if self.reviewed_on and self.prepared_on and self.reviewed_on < self.prepared_on:
            raise ValidationError(
                {"reviewed_on": _("The review cannot be before the preparation.")}
            )
        if self.prepared_on and self.prepared_on > timezone.localdate():
            raise ValidationError({"prepared_on": _("The day of preparation cannot be ahead.")})

    def get_feedback_page(self):
        """The chosen feedback form while it is live, else ``None``."""
        page = self.feedback_page
        return page if page is not None and page.live else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        parts = list(self.non_accessible_parts.all())
        context.update(
            {
                "feedback_form": self.get_feedback_page(),
                "parts_by_reason": [
                    (value, label, [p for p in parts if p.reason == value])
                    for value, label in choices.NonAccessibleReason.choices
                    if any(p.reason == value for p in parts)
                ],
                "scope_text": self.scope or request.build_absolute_uri("/").rstrip("/"),
            }
        )
        return context

    class Meta:
        abstract = True


class AbstractAccessibilityStatementPage(AccessibilityStatementPageMixin, Page):
    class Meta:
        abstract = True


class AbstractNonAccessiblePart(TranslatableMixin, Orderable):
    """One part of the site that is not accessible: what, why, and what to use instead."""

    page = ParentalKey(
        "kokreative_accessibility.AccessibilityStatementPage",
        related_name="non_accessible_parts",
        on_delete=models.CASCADE,
    )
    description = models.TextField(
        _("what is not accessible"),
        max_length=2000,
        help_text=_("For example “Older PDF documents have no structure for screen readers.”"),
    )
    reason = models.CharField(
        _("reason"),
        max_length=32,
        choices=choices.NonAccessibleReason.choices,
        default=choices.NonAccessibleReason.NON_COMPLIANCE,
        help_text=_(
            "The model statement groups the content by these reasons; a disproportionate "
            "burden must have been assessed."
        ),
    )
    alternative = models.TextField(
        _("accessible alternative"),
        max_length=2000,
        blank=True,
        help_text=_("How visitors get the content all the same, for example on request by e-mail."),
    )

    panels = [FieldPanel("description"), FieldPanel("reason"), FieldPanel("alternative")]

    api_fields = [APIField("description"), APIField("reason"), APIField("alternative")]

    override_translatable_fields = [
        *synchronized("reason", overridable=False),
        *translatable("description", "alternative"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        abstract = True
        verbose_name = _("non-accessible content")
        verbose_name_plural = _("non-accessible content")
