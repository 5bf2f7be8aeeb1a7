"""The documentation: it builds strictly, the README starts with its two commands, links resolve."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
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


# Screenshots: every page type of the package is shown in docs/page-types.md.

IMAGE = re.compile(r"!\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_IMAGE = re.compile(r"<img\b[^>]*\bsrc=[\"']([^\"']+)[\"']", re.I)
HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
PAGE_TYPES = DOCS / "page-types.md"


def images(text: str) -> list[tuple[str, str]]:
    """``(alt, target)`` of the Markdown images outside code; HTML images with alt ``None``."""
    prose = INLINE_CODE.sub("", FENCE.sub("", text))
    return IMAGE.findall(prose) + [(None, src) for src in HTML_IMAGE.findall(prose)]


def sections(text: str) -> dict[str, str]:
    """Each heading's text mapped to its section, up to the next heading of its level or above."""
    prose = FENCE.sub("", text)
    headings = list(HEADING.finditer(prose))
    result = {}
    for index, heading in enumerate(headings):
        level = len(heading.group(1))
        end = next(
            (h.start() for h in headings[index + 1 :] if len(h.group(1)) <= level), len(prose)
        )
        result[heading.group(2)] = prose[heading.end() : end]
    return result


def package_page_models() -> list[type]:
    from wagtail.models import get_page_models

    return [
        model
        for model in get_page_models()
        if model.__module__.startswith("kokreative_wagtail") and not model._meta.abstract
    ]


def test_every_page_type_has_a_section_with_a_screenshot_in_page_types_md():
    models = package_page_models()
    assert len(models) >= 7, [model.__name__ for model in models]
    by_heading = sections(PAGE_TYPES.read_text(encoding="utf-8"))
    problems = []
    for model in models:
        name = f"`{model.__name__}`"
        found = [body for heading, body in by_heading.items() if name in heading]
        if not found:
            problems.append(f"{model.__name__}: no heading with {name} in docs/page-types.md")
            continue
        shots = [target for _, target in images(found[0])]
        existing = [target for target in shots if (DOCS / target.split("#")[0]).is_file()]
        if not existing:
            problems.append(
                f"{model.__name__}: no existing image in its section (found {shots}); "
                "run `.venv/bin/python tools/screenshots.py` and add one"
            )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", markdown_files(), ids=lambda path: path.name)
def test_images_exist_and_have_alt_text(path):
    problems = []
    for alt, target in images(path.read_text(encoding="utf-8")):
        if EXTERNAL.match(target):
            problems.append(f"{target}: images are committed to docs/img, not linked")
        elif not (path.parent / target.split("#")[0]).is_file():
            problems.append(f"{target}: missing")
        if alt is not None and not alt.strip():
            problems.append(f"{target}: no alt text")
    assert not problems, f"{path.relative_to(REPO)}:\n" + "\n".join(problems)


def test_every_image_in_docs_img_is_used():
    used = {
        (path.parent / target).resolve()
        for path in markdown_files()
        for _, target in images(path.read_text(encoding="utf-8"))
        if not EXTERNAL.match(target)
    }
    unused = [p.name for p in sorted((DOCS / "img").glob("*")) if p.resolve() not in used]
    assert not unused, f"images in docs/img that no page shows: {unused}"


def test_image_helpers_find_what_they_should():
    sample = (
        '# A\n![Alt one](img/a.png)\n## `B`\n<img src="img/b.png" alt="b">\n'
        "```\n![no](img/c.png)\n# not a heading\n```\n### C\n![](img/d.png)\n# D\ntext\n"
    )
    assert images(sample) == [("Alt one", "img/a.png"), ("", "img/d.png"), (None, "img/b.png")]
    found = sections(sample)
    assert list(found) == ["A", "`B`", "C", "D"]
    assert "img/b.png" in found["A"] and "img/d.png" in found["`B`"]
    assert "img/a.png" not in found["`B`"] and found["D"].strip() == "text"
