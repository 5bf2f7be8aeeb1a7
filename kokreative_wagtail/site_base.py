"""How our pages fit into the site's own base template.

Django's ``{% block %}`` names are fixed in a template, so a site whose base template names its
blocks differently gets a small generated adapter template between ours and its own: it fills the
site's block with a block of our name. What the site's base already has (a ``<main>``, a stylesheet
block) is read from its parsed template once and decides what our base renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.template import Context, Engine, TemplateDoesNotExist
from django.template.base import Node, NodeList, TextNode
from django.template.loader import get_template
from django.template.loader_tags import BlockNode, ExtendsNode

from .conf import DEFAULTS, get_setting
from .templating import get_base_template_name

#: Our block names, which the page templates fill.
OUR_BLOCKS = ("content", "extra_css", "body_class")


def block_names() -> dict[str, str]:
    """Our block name -> the site's name for it (a partial setting keeps the other defaults)."""
    names = dict(DEFAULTS["BASE_TEMPLATE_BLOCKS"])
    configured = get_setting("BASE_TEMPLATE_BLOCKS")
    if isinstance(configured, dict):
        names.update({k: v for k, v in configured.items() if k in names})
    return names


def _template_chain(name: str) -> list[Any]:
    """The Django templates of ``name`` and of every constant-named template it extends."""
    chain = []
    seen = set()
    while name and name not in seen:
        seen.add(name)
        try:
            template = get_template(name).template
        except (TemplateDoesNotExist, AttributeError):
            break
        chain.append(template)
        extends = template.nodelist.get_nodes_by_type(ExtendsNode)
        name = extends[0].parent_name.resolve(Context()) if extends else ""
        name = name if isinstance(name, str) else ""
    return chain


def _text_outside(nodelist: NodeList, skip_block: str) -> list[str]:
    """The literal HTML of ``nodelist`` outside the block ``skip_block`` (ours replaces that)."""
    texts = []
    for node in nodelist:
        if isinstance(node, BlockNode) and node.name == skip_block:
            continue
        if isinstance(node, TextNode):
            texts.append(node.s)
        for attr in getattr(node, "child_nodelists", ()):
            child = getattr(node, attr, None)
            if isinstance(child, NodeList):
                texts.extend(_text_outside(child, skip_block))
        if isinstance(node, Node) and hasattr(node, "conditions_nodelists"):  # {% if %}
            for _condition, child in node.conditions_nodelists:
                texts.extend(_text_outside(child, skip_block))
    return texts


@dataclass(frozen=True)
class SiteBase:
    """What the site's base template offers, read from its parsed templates."""

    name: str
    blocks: frozenset[str]
    has_main: bool
    has_breadcrumb: bool


def inspect_site_base(name: str, content_block: str = "content") -> SiteBase | None:
    """Block names (through ``extends``) and landmarks of the template ``name``; None if missing."""
    chain = _template_chain(name)
    if not chain:
        return None
    blocks: set[str] = set()
    html = []
    for template in chain:
        blocks.update(node.name for node in template.nodelist.get_nodes_by_type(BlockNode))
        html.extend(_text_outside(template.nodelist, content_block))
    text = "".join(html).lower()
    return SiteBase(
        name=name,
        blocks=frozenset(blocks),
        has_main="<main" in text,
        has_breadcrumb="breadcrumb" in text,
    )


@lru_cache(maxsize=32)
def _adapter(base: str, mapping: tuple[tuple[str, str], ...], engine: Engine) -> Any:
    """A template extending ``base`` that fills each renamed site block with our block."""
    parts = ["{% extends " + repr(base).replace("'", '"') + " %}"]
    for ours, theirs in mapping:
        inner = "{% block " + ours + " %}{% endblock %}"
        if ours == "extra_css":  # our stylesheet and classes add to the site's own
            inner = "{{ block.super }}" + inner
        elif ours == "body_class":
            inner = "{{ block.super }} " + inner
        parts.append("{% block " + theirs + " %}" + inner + "{% endblock %}")
    return engine.from_string("".join(parts))


def frame_context() -> dict[str, Any]:
    """Context our ``kokreative_wagtail/base.html`` reads to fit the site's base template."""
    name = get_base_template_name()
    names = block_names()
    site = inspect_site_base(name, names["content"] or "content")
    blocks = site.blocks if site else frozenset()
    renamed = tuple(
        (ours, theirs)
        for ours, theirs in names.items()
        if theirs and theirs != ours and theirs in blocks
    )
    template: Any = name
    if renamed:
        template = _adapter(name, renamed, Engine.get_default())
    landmark = get_setting("MAIN_LANDMARK")
    if landmark not in ("ours", "site"):
        landmark = "site" if site and site.has_main else "ours"
    css_block = names["extra_css"]
    return {
        "kokreative_base_template": name,
        "kokreative_frame": {
            "template": template,
            "main": landmark == "ours",
            "css_in_body": not css_block or css_block not in blocks,
            "breadcrumbs": bool(get_setting("BREADCRUMBS")),
        },
    }
