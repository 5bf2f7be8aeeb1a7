"""The built wheel: what it contains, and a fresh ``wagtail start`` project that installs it.

Both tests are ``slow``: they build the wheel (once per session, from a copy of the work tree into a
temporary directory, never into ``dist/``) and install it with pip into a new virtualenv, as a
municipal web team would (DESIGN.md, "What a site does to install it").
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path

import pytest

from .packaging_helpers import (
    CAPABILITY_APPS,
    REPO,
    Server,
    add_installed_apps,
    build_wheel,
    clean_env,
    existing_capability_apps,
    fetch,
    fetch_json,
    include_our_urls,
    installed_apps_of,
    output,
    run,
)

PACKAGE = REPO / "kokreative_wagtail"

#: Files a site cannot work without; checked by name so a wrong MANIFEST.in shows at once.
REQUIRED_FILES = [
    "kokreative_wagtail/templates/kokreative_wagtail/programme_page.html",
    "kokreative_wagtail/templates/kokreative_wagtail/element_page.html",
    "kokreative_wagtail/templates/kokreative_wagtail/base.html",
    "kokreative_wagtail/templates/kokreative_wagtail/minimal_base.html",
    "kokreative_wagtail/static/kokreative_wagtail/css/kokreative.css",
    "kokreative_wagtail/migrations/__init__.py",
    "kokreative_wagtail/migrations/0001_initial.py",
]

#: The German catalogue, source and compiled: Django reads only the .mo, translators the .po.
CATALOGUE = [
    "kokreative_wagtail/locale/de/LC_MESSAGES/django.po",
    "kokreative_wagtail/locale/de/LC_MESSAGES/django.mo",
]

#: Top-level folders of the repository that must stay out of the wheel.
NOT_SHIPPED = ["tests/", "example_site/", "bench/", "docs/"]


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built once per session with ``python -m build --wheel``."""
    return build_wheel(
        outdir=tmp_path_factory.mktemp("wheel"), workdir=tmp_path_factory.mktemp("build")
    )


def _source_files(folder: str, suffixes: tuple[str, ...] | None = None) -> list[str]:
    """Wheel names of the files under every ``<folder>`` of the package (core and apps)."""
    names = []
    for path in sorted(p for root in PACKAGE.rglob(folder) for p in root.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.name.startswith("."):
            continue
        if suffixes is not None and path.suffix not in suffixes:
            continue
        names.append(path.relative_to(REPO).as_posix())
    return names


@pytest.mark.slow
def test_wheel_contents(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())

    missing = [name for name in REQUIRED_FILES if name not in names]
    assert not missing, f"missing from {wheel.name}: {missing}"

    block_templates = [
        n
        for n in names
        if re.fullmatch(r"kokreative_wagtail/templates/kokreative_wagtail/blocks/[\w-]+\.html", n)
    ]
    assert block_templates, f"no block templates in {wheel.name}"

    # Everything the work tree has in the package-data folders is shipped, whatever its name.
    in_source = [
        *_source_files("templates"),
        *_source_files("static"),
        *_source_files("locale", (".po", ".mo")),
        *_source_files("migrations", (".py",)),
    ]
    not_shipped = sorted(set(in_source) - names)
    assert not not_shipped, f"in the work tree but not in {wheel.name}: {not_shipped}"

    leaked = sorted(n for n in names if n.startswith(tuple(NOT_SHIPPED)))
    assert not leaked, f"{wheel.name} ships files that are not part of the package: {leaked}"
    dist_info = re.compile(r"kokreative_wagtail-[^/]+\.dist-info/")
    strangers = sorted(
        n for n in names if not n.startswith("kokreative_wagtail/") and not dist_info.match(n)
    )
    assert not strangers, f"{wheel.name} ships files outside the package: {strangers}"
    compiled = sorted(n for n in names if "__pycache__" in n or n.endswith((".pyc", ".pyo")))
    assert not compiled, f"{wheel.name} ships bytecode: {compiled}"

    # Last, so that everything above is checked even while the catalogue is missing.
    missing = [name for name in CATALOGUE if name not in names]
    assert not missing, f"German catalogue missing from {wheel.name}: {missing}"


CREATE_PAGES = """
import json
import kokreative_wagtail
from wagtail.models import Locale, Site
from kokreative_wagtail.models import Element, ElementPage, ProgrammePage

root = Site.objects.get(is_default_site=True).root_page.specific
element = Element.objects.create(
    name="Kultureller Wandel", summary="Gemeinsam anders arbeiten.", colour="#b5361c",
    sort_order=1, locale=Locale.get_default(),
)
programme = ProgrammePage(
    title="Die Kokreative Kommune", slug="kokreative-kommune",
    intro="<p>Kokreative Kommune bedeutet gemeinsam gestalten.</p>",
)
root.add_child(instance=programme)
programme.save_revision().publish()
element_page = ElementPage(title="Kultureller Wandel", slug="kultureller-wandel", element=element)
programme.add_child(instance=element_page)
element_page.save_revision().publish()
programme.refresh_from_db()
element_page.refresh_from_db()
print("KOKREATIVE_RESULT=" + json.dumps({
    "root": type(root).__name__,
    "programme": programme.url,
    "element_page": element_page.url,
    "live": [programme.live, element_page.live],
    "package": kokreative_wagtail.__file__,
}))
"""


def _shell_result(stdout: str) -> dict:
    for line in stdout.splitlines():
        if line.startswith("KOKREATIVE_RESULT="):
            return json.loads(line.removeprefix("KOKREATIVE_RESULT="))
    raise AssertionError(f"the shell script printed no result:\n{stdout}")


@pytest.mark.slow
def test_wheel_installs_into_a_new_wagtail_project(wheel, tmp_path):
    # A new virtualenv with nothing but the wheel and what it pulls in.
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=tmp_path, env=clean_env(), timeout=300)
    env = clean_env(venv)
    python = venv / "bin" / "python"
    run(
        [python, "-m", "pip", "install", "--quiet", wheel],
        cwd=tmp_path,
        env=env,
        timeout=600,
    )

    # wagtail-localize is supported, not required: the project must work without it.
    localize = run(
        [python, "-c", "import importlib.util as u; print(u.find_spec('wagtail_localize'))"],
        cwd=tmp_path,
        env=env,
    )
    assert localize.stdout.strip() == "None", "wagtail-localize was installed with the wheel"

    # `wagtail start`, then the two edits of DESIGN.md.
    project = tmp_path / "project"
    project.mkdir()
    run([venv / "bin" / "wagtail", "start", "mysite", project], cwd=tmp_path, env=env)
    settings_file = project / "mysite" / "settings" / "base.py"
    generated_apps = installed_apps_of(settings_file.read_text())
    apps = ["kokreative_wagtail", "wagtail.contrib.settings"]
    for app in existing_capability_apps():
        apps += [app, *CAPABILITY_APPS[app]]
    added = add_installed_apps(settings_file, apps)
    assert "kokreative_wagtail" in added
    assert not set(added) & generated_apps
    include_our_urls(project / "mysite" / "urls.py")

    def manage(*args: str, timeout: float = 300):
        return run([python, "manage.py", *args], cwd=project, env=env, timeout=timeout)

    check = manage("check", "--fail-level", "WARNING")
    assert "kokreative_wagtail." not in check.stdout + check.stderr, output(check)
    manage("migrate", "--no-input")
    manage("makemigrations", "--check", "--dry-run", "--no-input")

    result = _shell_result(manage("shell", "-c", CREATE_PAGES).stdout)
    assert result["root"] == "HomePage", result
    assert result["live"] == [True, True], result
    assert result["package"].startswith(str(venv)), f"imported from {result['package']}"
    assert result["programme"] == "/kokreative-kommune/", result
    assert result["element_page"] == "/kokreative-kommune/kultureller-wandel/", result

    server = Server(python, project, env, tmp_path / "runserver.log")
    try:
        server.wait_until_up()
        pages = [
            (result["programme"], "Die Kokreative Kommune"),
            (result["element_page"], "Kultureller Wandel"),
        ]
        for path, title in pages:
            status, content_type, html = fetch(server.base_url + path)
            assert status == 200, f"GET {path}: {status}\n{html[:3000]}\n{server.log_text()}"
            assert content_type.startswith("text/html"), content_type
            assert title in html, f"{title!r} not in GET {path}:\n{html[:3000]}"
        # Our base template extends the site's own base.html and adds our stylesheet.
        stylesheet = re.search(r'href="([^"]*kokreative_wagtail/css/kokreative\.css)"', html)
        assert stylesheet, f"no link to kokreative.css in GET {path}:\n{html[:3000]}"
        status, content_type, css = fetch(server.base_url + stylesheet.group(1))
        assert status == 200, f"GET {stylesheet.group(1)}: {status}"
        assert content_type.startswith("text/css"), content_type

        elements = fetch_json(server.base_url + "/api/kokreative/v1/elements")
        assert elements["count"] == 1, elements
        assert elements["items"][0]["name"] == "Kultureller Wandel", elements
        schema = fetch_json(server.base_url + "/api/kokreative/v1/openapi.json")
        assert "/api/kokreative/v1/elements" in schema["paths"], sorted(schema["paths"])
    finally:
        server.stop()
