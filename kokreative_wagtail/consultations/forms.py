"""Forms of the consultation pages: the visitor's form (built from the editor's fields plus the
privacy consent and the spam guard's two fields) and the admin form that starts a new page with
the default fields.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import django.forms
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import BaseForm, WagtailAdminFormPageForm

from ..form_builder import MAX_SINGLE_LINE, MAX_TOKEN, BoundedFormBuilder
from ..spam import HONEYPOT_FIELD, TOKEN_FIELD

#: Name of the privacy consent checkbox in the form, the stored data and the JSON API.
CONSENT_FIELD = "privacy_consent"
#: Fields of ours that are never stored with a submission.
UNSTORED_FIELDS = frozenset({HONEYPOT_FIELD, TOKEN_FIELD})
#: Fields that are not editor-defined.
SPECIAL_FIELDS = frozenset({CONSENT_FIELD, HONEYPOT_FIELD, TOKEN_FIELD})


class ConsultationForm(BaseForm):
    """The visitor's form; ``request`` (optional) gives the privacy link its site and language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.request = kwargs.pop("request", None)
        super().__init__(*args, **kwargs)
        consent = self.fields.get(CONSENT_FIELD)
        if consent is not None and self.page is not None:
            consent.label = self.page.get_consent_label(self.request)

    @property
    def editor_fields(self) -> list:
        """Bound fields the editor defined, in their order."""
        return [self[name] for name in self.fields if name not in SPECIAL_FIELDS]

    @property
    def consent_field(self):
        return self[CONSENT_FIELD]

    @property
    def honeypot_field(self):
        return self[HONEYPOT_FIELD]

    @property
    def token_field(self):
        return self[TOKEN_FIELD]

    def stored_data(self) -> dict[str, Any]:
        """The cleaned data without the spam guard's fields: what a submission keeps."""
        return {k: v for k, v in self.cleaned_data.items() if k not in UNSTORED_FIELDS}


class ConsultationFormBuilder(BoundedFormBuilder):
    """The bounded form builder with our three extra fields (consent, honeypot, token)."""

    form_class = ConsultationForm

    def get_extra_fields(self) -> dict[str, django.forms.Field]:
        return {
            CONSENT_FIELD: django.forms.BooleanField(
                required=True,
                label=_("I agree that my details are processed to answer my request."),
                error_messages={
                    "required": _(
                        "Please agree to the processing of your details; without it we cannot "
                        "answer your request."
                    )
                },
            ),
            HONEYPOT_FIELD: django.forms.CharField(
                required=False,
                max_length=MAX_SINGLE_LINE,
                label=_("Leave this field empty"),
                widget=django.forms.TextInput(
                    attrs={"tabindex": "-1", "autocomplete": "off", "aria-hidden": "true"}
                ),
            ),
            TOKEN_FIELD: django.forms.CharField(
                required=False, max_length=MAX_TOKEN, widget=django.forms.HiddenInput
            ),
        }

    @property
    def formfields(self):
        fields = OrderedDict(super().formfields)
        for name in SPECIAL_FIELDS:
            fields.pop(name, None)
        fields.update(self.get_extra_fields())
        return fields

    def get_form_class(self):
        return type("ConsultationForm", (self.form_class,), self.formfields)


class ConsultationFormPageAdminForm(WagtailAdminFormPageForm):
    """Page editor form: a new page starts with the page type's default fields.

    The defaults are offered as new (extra) forms of the inline panel, so the editor can change or
    delete them before the first save, and the saved page is built from what was posted.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        if self.is_bound or instance.pk is not None or "form_fields" not in self.formsets:
            return
        get_defaults = getattr(instance, "get_default_form_fields", None)
        if get_defaults is None:
            return
        formset = self.formsets["form_fields"]
        if formset.initial_form_count():
            return
        defaults = [
            {
                "label": field.label,
                "field_type": field.field_type,
                "required": field.required,
                "choices": field.choices,
                "help_text": field.help_text,
                "default_value": field.default_value,
            }
            for field in get_defaults()
        ]
        formset_class = type(type(formset).__name__, (type(formset),), {"extra": len(defaults)})
        self.formsets["form_fields"] = formset_class(
            instance=instance,
            prefix=formset.prefix,
            initial=defaults,
            form_kwargs=getattr(formset, "form_kwargs", {}),
        )
