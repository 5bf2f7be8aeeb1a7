"""django-recurrence's admin widget, fixed for Wagtail's page editor.

The library's widget has four faults in Wagtail: it looks for Django's removed
``javascript_catalog`` view, so its labels stay English; its CSS gives Wagtail's checkboxes
``width: auto`` (2 px wide); it builds ``<form>`` elements inside the page form, so Enter in
one of its fields submits that nested form and reloads the editor, losing unsaved input; and
its media include Django admin's ``jquery.init.js``, which replaces ``window.django`` and so
turns Wagtail's own admin texts (sidebar, "Alle einklappen") back to English.
"""

from __future__ import annotations

import contextlib

from django import forms
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from recurrence.forms import RecurrenceWidget

#: URL name of the JavaScript catalogue with django-recurrence's translations (admin URL).
JS_CATALOG_URL_NAME = "kokreative_recurrence_jsi18n"


class KokreativeRecurrenceWidget(RecurrenceWidget):
    """The recurrence widget with its translations, sized checkboxes and no nested submits."""

    def get_media(self) -> forms.Media:
        library = super().get_media()
        js = [
            # Django admin's jquery.init.js would replace window.django (Wagtail's gettext)
            static("kokreative_wagtail/events/jquery-init.js")
            if "admin/js/jquery.init.js" in str(path)  # a path, or a Script (Django 6)
            else path
            for path in library._js
            if "jsi18n" not in str(path)
        ]
        # The catalogue must load before recurrence.js, which reads gettext() at import; a form
        # outside Wagtail's admin URLs (a plain Django form) goes without it.
        with contextlib.suppress(NoReverseMatch):
            js.insert(0, reverse(JS_CATALOG_URL_NAME))
        js.append(static("kokreative_wagtail/events/recurrence-admin.js"))
        css = {
            "all": [
                *library._css.get("all", []),
                static("kokreative_wagtail/events/recurrence-admin.css"),
            ]
        }
        return forms.Media(js=js, css=css)

    media = property(get_media)
