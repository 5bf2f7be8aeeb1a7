"""Mixins and abstract pages of consultation forms; no concrete model here, so sites can import it.

Built on ``wagtail.contrib.forms`` (``EmailFormMixin`` + ``FormMixin``), so submissions are
Wagtail form submissions: listed, filtered, exported and deleted in the admin's "Forms" area, with
Wagtail's page permissions deciding who sees them.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.functional import classproperty
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.forms.models import AbstractFormField, EmailFormMixin, FormMixin
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, TranslatableMixin
from wagtail.rich_text import expand_db_html
from wagtail.search import index

from .. import spam
from ..abstract import KokreativePageMixin, consent_text_field, intro_field
from ..localization import synchronized, translatable
from ..models import split_email_list
from ..preview import serve_headless_preview
from ..privacy import consent_label, privacy_url, site_settings_of
from ..serializers import RichTextField as RichTextAPIField
from .defaults import default_fields
from .form_json import ConsentField, FormFieldsField, SubmitLabelField, form_schema
from .forms import CONSENT_FIELD, ConsultationFormBuilder, ConsultationFormPageAdminForm
from .submissions import handle_submission
from .tasks import schedule_notifications, store_submission_emails

logger = logging.getLogger(__name__)


class ConsultationFormPageMixin(FormMixin, KokreativePageMixin, EmailFormMixin):
    """A form page ("Beratungsgespräch vereinbaren") with privacy consent and a spam guard.

    Swap behaviour like Wagtail's form pages do: ``form_builder`` builds the visitor's form,
    ``get_default_form_fields()`` the fields a new page starts with,
    ``build_submission_emails()`` what a submission sends (stored in the outbox with the
    submission, sent by a task). ``FormMixin`` comes first, so that its ``serve_preview`` and
    ``preview_modes`` win over ``Page``'s. A concrete page needs a form field model with a
    ``ParentalKey`` to it named ``form_fields`` (see ``models.ConsultationFormField``).
    """

    intro = intro_field()
    thank_you_text = RichTextField(
        _("thank-you text"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown after the form was sent. Leave empty for a standard text."),
    )
    consent_text = consent_text_field()
    submit_label = models.CharField(
        _("label of the send button"), max_length=100, blank=True, help_text=_("Default: Send")
    )
    send_confirmation = models.BooleanField(
        _("send a confirmation to the sender"),
        default=False,
        help_text=_("To the address of the form's first e-mail field."),
    )
    confirmation_subject = models.CharField(
        _("subject of the confirmation"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty for “Your request:” followed by the page title."),
    )
    confirmation_text = models.TextField(
        _("text of the confirmation"),
        blank=True,
        help_text=_(
            "Plain text. The confirmation does not repeat what was sent, so the form cannot be "
            "used to send other people e-mails with a text of one's choice."
        ),
    )

    form_builder = ConsultationFormBuilder
    base_form_class = ConsultationFormPageAdminForm

    @classproperty
    def submissions_list_view_class(cls):
        """Safe exports (``exports.py``), imported late: Wagtail's views need a ready registry."""
        # wagtail.contrib.forms.views loads models while it is imported: not during app loading
        from .exports import ConsultationSubmissionsListView

        return ConsultationSubmissionsListView

    content_panels = [
        *Page.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("consent_text"),
        FieldPanel("submit_label"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        # Wagtail's EmailFormMixin gives from_address and subject no help text.
                        FieldPanel(
                            "from_address",
                            help_text=_(
                                "Sender of the notification and the confirmation; leave empty "
                                "for the site's default sender."
                            ),
                        ),
                        FieldPanel("to_address"),
                    ]
                ),
                FieldPanel(
                    "subject",
                    help_text=_(
                        "Subject of the notification; leave empty for “New request via” "
                        "followed by the page title."
                    ),
                ),
            ],
            heading=_("Notification e-mail"),
            help_text=_(
                "Without addresses here, notifications go to the addresses in the site's "
                "Kokreative Kommune settings."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("send_confirmation"),
                FieldPanel("confirmation_subject"),
                FieldPanel("confirmation_text"),
            ],
            heading=_("Confirmation e-mail"),
        ),
    ]

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    # Never the recipient and sender addresses, nor the confirmation settings.
    api_fields = [
        APIField("intro", serializer=RichTextAPIField()),
        APIField("thank_you_text", serializer=RichTextAPIField()),
        # the shape of GET forms/{id}: name, type, choices as value/label pairs, default
        APIField("form_fields", serializer=FormFieldsField()),
        APIField("consent_text"),
        # as GET forms/{id}: the consent checkbox's name, text (default when empty), privacy link
        APIField("consent", serializer=ConsentField()),
        APIField("submit_label", serializer=SubmitLabelField()),
    ]

    # wagtail-localize: texts and the form fields' labels are translated (each language's page
    # keeps its own submissions); where notifications go and whether to confirm follow the
    # source, though a translation may send to other addresses.
    override_translatable_fields = [
        *synchronized("send_confirmation", overridable=False),
        *synchronized("from_address", "to_address"),
        *translatable("form_fields"),
    ]

    kokreative_template = "kokreative_wagtail/consultations/consultation_form_page.html"
    kokreative_landing_template = (
        "kokreative_wagtail/consultations/consultation_form_page_landing.html"
    )

    class Meta:
        abstract = True

    # Fields

    def get_form_field_model(self) -> type[models.Model]:
        return self._meta.get_field("form_fields").related_model

    def get_default_form_fields(self) -> list[models.Model]:
        """Unsaved form fields a new page starts with (see ``defaults.default_fields``)."""

        model = self.get_form_field_model()
        locale = getattr(self, "locale", None) if getattr(self, "locale_id", None) else None
        return [
            model(
                label=field.label,
                field_type=field.field_type,
                required=field.required,
                help_text=field.help_text,
                choices=field.choices,
                default_value=field.default_value,
                sort_order=order,
            )
            for order, field in enumerate(default_fields(locale))
        ]

    def get_data_fields(self):
        return [*super().get_data_fields(), (CONSENT_FIELD, gettext("Privacy consent"))]

    # Privacy consent

    def get_kokreative_settings(self, request=None):
        return site_settings_of(self, request)

    def get_privacy_url(self, request=None) -> str | None:
        """URL of the live privacy page of the site settings (in this page's language)."""
        return privacy_url(self.get_kokreative_settings(request), request)

    def get_consent_text(self) -> str:
        return self.consent_text or gettext(
            "I agree that my details are stored and processed to answer my request."
        )

    def get_consent_label(self, request=None):
        """The checkbox label: the consent text and a link to the privacy policy (escaped)."""
        return consent_label(self.get_consent_text(), self.get_privacy_url(request))

    # Submissions

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if not form.is_bound:
            form.fields[spam.TOKEN_FIELD].initial = spam.make_token(self.pk)
        return form

    def process_form_submission(self, form):
        """Store the submission and its e-mails (the outbox) in one transaction.

        The e-mails go out through the task backend after the commit, and are retried until
        delivered (``kokreative_wagtail.outbox``): a mail server that is down loses nothing.
        """
        with transaction.atomic():
            submission = self.get_submission_class().objects.create(
                form_data=form.stored_data(), page=self
            )
            notifications = store_submission_emails(self, submission) if self.sends_emails() else []
        schedule_notifications([notification.pk for notification in notifications])
        return submission

    def serve(self, request, *args, **kwargs):

        status = 200
        message = ""
        if request.method == "POST":
            result = handle_submission(self, request.POST, request)
            if result.ok:
                return self.render_landing_page(request, result.submission, *args, **kwargs)
            form, message = result.form, result.message
            status = 200 if result.status == 400 and result.verdict is None else result.status
            if form is None:
                form = self.get_form(page=self, user=request.user, request=request)
            elif result.verdict in (spam.Verdict.EXPIRED, spam.Verdict.INVALID_TOKEN):
                form.data = form.data.copy()
                form.data[spam.TOKEN_FIELD] = spam.make_token(self.pk)
        else:
            form = self.get_form(page=self, user=request.user, request=request)
        context = self.get_context(request, *args, **kwargs)
        context.update({"form": form, "form_message": message})
        response = TemplateResponse(request, self.get_template(request), context, status=status)
        add_never_cache_headers(response)
        if request.method == "POST" and getattr(result, "retry_after", None):
            response["Retry-After"] = str(result.retry_after)
        return response

    def serve_preview(self, request, mode_name):
        # FormMixin renders the thank-you mode itself; a headless front end gets it too.
        if mode_name == "landing":
            response = serve_headless_preview(self, request, mode_name)
            if response is not None:
                return response
        return super().serve_preview(request, mode_name)

    def get_landing_page_template(self, request, *args, **kwargs):
        template = super().get_landing_page_template(request, *args, **kwargs)
        if template != self.kokreative_landing_template:
            return [template, self.kokreative_landing_template]
        return template

    def render_landing_page(self, request, form_submission=None, *args, **kwargs):
        response = super().render_landing_page(request, form_submission, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def get_thank_you_html(self) -> str:

        if self.thank_you_text:
            return expand_db_html(self.thank_you_text)
        return format_html(
            "<p>{}</p>", gettext("Thank you for your request. We will get back to you soon.")
        )

    # E-mails

    def sends_emails(self) -> bool:
        return bool(self.send_confirmation or self.get_notification_recipients())

    def get_notification_recipients(self) -> list[str]:
        """The page's "to" addresses, else the notification addresses of the site settings."""

        addresses = split_email_list(self.to_address or "")
        if addresses:
            return addresses
        site_settings = self.get_kokreative_settings()
        return site_settings.get_notification_emails() if site_settings is not None else []

    def get_submitter_email(self, submission) -> str | None:
        """The value of the first e-mail field: where a confirmation goes and replies go."""
        data = submission.form_data
        for field in self.get_form_fields():
            if field.field_type == "email" and data.get(field.clean_name):
                return str(data[field.clean_name])
        return None

    def render_submission_text(self, submission) -> str:
        lines = []
        for name, label in self.get_data_fields():
            value = submission.get_data().get(name)
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            elif isinstance(value, bool):
                value = gettext("yes") if value else gettext("no")
            elif isinstance(value, datetime.datetime):
                value = date_format(value, "SHORT_DATETIME_FORMAT")
            elif isinstance(value, datetime.date):
                value = date_format(value, "SHORT_DATE_FORMAT")
            lines.append(f"{label}: {'' if value is None else value}")
        return "\n".join(lines)

    def get_admin_submissions_url(self) -> str:

        base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
        return base.rstrip("/") + reverse("wagtailforms:list_submissions", args=[self.pk])

    def build_notification(self, submission) -> EmailMessage | None:
        recipients = self.get_notification_recipients()
        if not recipients:
            return None
        subject = self.subject or gettext("New request via “%(title)s”") % {"title": self.title}
        body = "\n\n".join(
            [
                self.render_submission_text(submission),
                gettext("All requests: %(url)s") % {"url": self.get_admin_submissions_url()},
            ]
        )
        reply_to = self.get_submitter_email(submission)
        return EmailMessage(
            subject=subject,
            body=body,
            from_email=self.from_address or None,
            to=recipients,
            reply_to=[reply_to] if reply_to else None,
        )

    def build_confirmation(self, submission) -> EmailMessage | None:
        if not self.send_confirmation:
            return None
        address = self.get_submitter_email(submission)
        if not address:
            return None
        subject = self.confirmation_subject or gettext("Your request: %(title)s") % {
            "title": self.title
        }
        body = self.confirmation_text or gettext(
            "Thank you for your request. We will get back to you soon."
        )
        return EmailMessage(
            subject=subject, body=body, from_email=self.from_address or None, to=[address]
        )

    def build_submission_emails(self, submission) -> list[tuple[str, EmailMessage]]:
        """The e-mails of a submission as ``(kind, message)``, rendered in the page's language.

        Stored in the outbox when the submission is, so a retry sends exactly this. A message
        that cannot be built is left out and logged by its error class (a bug must not cost the
        visitor's submission).
        """
        messages = []
        language = getattr(getattr(self, "locale", None), "language_code", None)
        with translation.override(language or settings.LANGUAGE_CODE):
            for kind, build in (
                ("notification", self.build_notification),
                ("confirmation", self.build_confirmation),
            ):
                try:
                    message = build(submission)
                except Exception as exc:
                    # one broken message must not stop the other; what fails is a site's
                    # override or template (any tag, any filter): no error class to name
                    logger.error(
                        "Could not build the %s of form submission %s (%s).",
                        kind,
                        submission.pk,
                        type(exc).__name__,
                    )
                    continue
                if message is not None:
                    messages.append((kind, message))
        return messages

    def send_submission_emails(self, submission) -> list[str]:
        """Send the e-mails right away, bypassing the outbox; returns the failed error classes.

        Submissions use the outbox (``build_submission_emails``); this stays for sites and
        scripts that call it.
        """
        failures = []
        for _kind, message in self.build_submission_emails(submission):
            try:
                message.send(fail_silently=False)
            except Exception as exc:
                # one failing message must not stop the other; the e-mail backend is the
                # site's choice (SMTP, an API client) and raises its own errors
                failures.append(type(exc).__name__)
        return failures

    # API

    def get_api_representation(self, request) -> dict[str, Any]:
        """The form's schema for the JSON API (see ``api.py``)."""

        return form_schema(self, request)


class AbstractConsultationFormField(TranslatableMixin, AbstractFormField):
    """A field of a consultation form, translatable with its page.

    What visitors read is translated: label, help text, choices and default (a default must be
    one of the choices, so both are in the page's language). What the form is stays the same in
    every language: the type, whether it is required, and the name (``clean_name``), so the JSON
    keys of ``forms/{id}`` and the columns of the submission exports match across languages.
    """

    override_translatable_fields = [
        *translatable("label", "help_text", "choices", "default_value"),
        *synchronized("field_type", "required", "clean_name", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta, AbstractFormField.Meta):
        abstract = True


class AbstractConsultationFormPage(ConsultationFormPageMixin, Page):
    class Meta:
        abstract = True
