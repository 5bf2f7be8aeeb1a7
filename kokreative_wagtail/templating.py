"""Which template our base template extends."""

from __future__ import annotations

from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from .conf import get_setting

FALLBACK_BASE_TEMPLATE = "kokreative_wagtail/minimal_base.html"


def get_base_template_name() -> str:
    """The site's base template (``KOKREATIVE["BASE_TEMPLATE"]``) if it exists, else ours."""
    name = get_setting("BASE_TEMPLATE")
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return FALLBACK_BASE_TEMPLATE
    return name
