"""Helpers shared by the browser tests: the demo content, request recording, axe-core."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_HINT = "axe-core is not installed: run `npm ci` in the repository root"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class Requests:
    """The hosts a browser context contacted; other hosts than the site's are blocked."""

    def __init__(self, context, site_url: str) -> None:
        self.site_host = urlsplit(site_url).hostname
        self.foreign: list[str] = []
        context.route("**/*", self.handle)

    def handle(self, route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:")) or host == self.site_host:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def foreign_hosts(self) -> set[str]:
        return {urlsplit(url).hostname for url in self.foreign}


def submit(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def require_axe() -> None:
    """Skip without axe-core outside CI; under CI=true the audit must run."""
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{AXE_HINT}; the audit must run under CI=true")
        pytest.skip(AXE_HINT)


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: tags})", AXE_TAGS)
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [{"target": n["target"], "html": n["html"]} for n in v["nodes"]],
        }
        for v in result["violations"]
    ]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"]:
            lines.append(f"    {json.dumps(node['target'])}: {node['html'][:300]}")
    return "\n".join(lines)


def assert_no_violations(page, where: str = "") -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe-core violations {where}:\n{format_violations(violations)}"


def tab_through(page, script: str, limit: int, came_round) -> list[dict]:
    """Press Tab until focus leaves the document or ``came_round(stop, stops)``; each stop is
    what ``script`` (a JavaScript function run on the focused element) returns, ``None`` for
    no focus. The focus walks of the consent and keyboard tests share it."""
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(script)
        if stop is None:
            if stops:
                break
            continue
        if stops and came_round(stop, stops):
            break
        stops.append(stop)
    return stops
