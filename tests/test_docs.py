"""The documentation: it builds strictly, the README starts with its two commands, links resolve."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
DOCS = REPO / "docs"

FENCE = re.compile(r"^(```|~~~)[^\n]*\n(.*?)^\1[ \t]*$", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
INLINE_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.M)
EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//|#)", re.I)


def markdown_files() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def fenced_commands(text: str) -> list[str]:
    """Lines of the fenced code blocks in order, without blank lines and ``#`` comments."""
    commands = []
    for match in FENCE.finditer(text):
        for line in match.group(2).splitlines():
            line = line.split(" #", 1)[0].strip()
            if line and not line.startswith("#"):
                commands.append(line)
    return commands


def relative_links(text: str) -> list[str]:
    """Targets of Markdown links and images that point into the repository."""
    prose = INLINE_CODE.sub("", FENCE.sub("", text))
    targets = INLINE_LINK.findall(prose) + REFERENCE_LINK.findall(prose)
    return [target for target in targets if not EXTERNAL.match(target)]


def test_mkdocs_builds_strictly(tmp_path):
    if importlib.util.find_spec("mkdocs") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("mkdocs is not installed, and CI must build the docs: pip install mkdocs")
        pytest.skip("mkdocs is not installed: pip install mkdocs")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    assert (tmp_path / "index.html").exists()


def test_readme_starts_with_make_demo_and_make_test():
    text = README.read_text(encoding="utf-8")
    assert fenced_commands(text)[:2] == ["make demo", "make test"]
    # Right after the one-line title and the one-sentence description.
    before_first_fence = text[: FENCE.search(text).start()]
    lines = [line for line in before_first_fence.splitlines() if line.strip()]
    assert lines[0].startswith("# ")
    assert len(lines) <= 2, f"more than a title and a sentence before `make demo`: {lines}"


def test_readme_includes_our_urls_before_wagtails_catch_all():
    text = README.read_text(encoding="utf-8")
    ours = text.index('path("", include("kokreative_wagtail.urls"))')
    catch_all = text.index('path("", include(wagtail_urls))')
    assert ours < catch_all


@pytest.mark.parametrize("path", markdown_files(), ids=lambda path: path.name)
def test_relative_links_point_to_existing_files(path):
    text = path.read_text(encoding="utf-8")
    missing = []
    for target in relative_links(text):
        file_part = target.split("#", 1)[0].split("?", 1)[0]
        if file_part and not (path.parent / file_part).exists():
            missing.append(target)
    assert not missing, f"{path.relative_to(REPO)} links to missing files: {missing}"


def test_every_docs_page_is_in_the_mkdocs_nav():
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    nav = set(re.findall(r"^\s+-\s+[^:\n]+:\s+(\S+\.md)\s*$", config, re.M))
    pages = {page.name for page in DOCS.glob("*.md")}
    assert nav == pages


def test_link_helpers_find_what_they_should():
    sample = (
        "See [docs](docs/a.md#x), ![img](img.png), [web](https://example.org), [top](#top)\n"
        "`[not](a-link.md)`\n```\n[no](code.md)\n```\n[ref]: other.md\n"
    )
    assert relative_links(sample) == ["docs/a.md#x", "img.png", "other.md"]
    assert fenced_commands("x\n```sh\n# c\nmake demo   # d\n\nmake test\n```\n") == [
        "make demo",
        "make test",
    ]
