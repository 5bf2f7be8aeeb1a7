"""The built wheel: what it contains, and a fresh ``wagtail start`` project that installs it.

Both tests are ``slow``: they build the wheel (once per session, from a copy of the work tree into a
temporary directory, never into ``dist/``) and install it with pip into a new virtualenv, as a
municipal web team would, following docs/installation.md literally.
"""

from __future__ import annotations

import json
import re
import sys
import time
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ..packaging_helpers import (
    CAPABILITY_APPS,
    REPO,
    Server,
    apply_base_template_step,
    apply_settings_step,
    apply_urls_step,
    build_wheel,
    clean_env,
    fetch,
    fetch_json,
    installed_apps_of,
    output,
    post_json,
    run,
    step_commands,
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
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import kokreative_wagtail
import recurrence
from wagtail.models import Locale, Site
from kokreative_wagtail.consultations.models import ConsultationFormPage
from kokreative_wagtail.events.models import EventIndexPage, EventPage
from kokreative_wagtail.models import Element, ElementPage, ProgrammePage
from kokreative_wagtail.offers.models import OfferIndexPage, OfferPage


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


root = Site.objects.get(is_default_site=True).root_page.specific
element = Element.objects.create(
    name="Kultureller Wandel", summary="Gemeinsam anders arbeiten.", colour="#b5361c",
    sort_order=1, locale=Locale.get_default(),
)
programme = publish(root, ProgrammePage(
    title="Die Kokreative Kommune", slug="kokreative-kommune",
    intro="<p>Kokreative Kommune bedeutet gemeinsam gestalten.</p>",
))
element_page = publish(
    programme, ElementPage(title="Kultureller Wandel", slug="kultureller-wandel", element=element)
)
offers = publish(root, OfferIndexPage(title="Angebote", slug="angebote"))
offer = OfferPage(
    title="Trainings und Workshops", slug="trainings", kind="training", format="hybrid",
    teaser="Kompetenzen für Beteiligung aufbauen.",
)
offer.elements = [element]
offer = publish(offers, offer)
events = publish(root, EventIndexPage(title="Termine", slug="termine"))
berlin = ZoneInfo("Europe/Berlin")
today = date.today()
thursday = today + timedelta(days=(3 - today.weekday()) % 7 + 7)
start = datetime(thursday.year, thursday.month, thursday.day, 16, 30, tzinfo=berlin)
event = publish(events, EventPage(
    title="Community of Practice", slug="community-of-practice", start=start,
    end=start + timedelta(minutes=90), time_zone="Europe/Berlin",
    recurrence=recurrence.deserialize("RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"),
))
form_page = ConsultationFormPage(title="Beratungsgespräch vereinbaren", slug="beratung")
form_page.form_fields = form_page.get_default_form_fields()
form_page = publish(root, form_page)
print("KOKREATIVE_RESULT=" + json.dumps({
    "root": type(root).__name__,
    "pages": {
        "programme": programme.url, "element_page": element_page.url, "offers": offers.url,
        "offer": offer.url, "events": events.url, "event": event.url, "form": form_page.url,
    },
    "titles": {
        "programme": programme.title, "element_page": element_page.title,
        "offers": offers.title, "offer": offer.title, "events": events.title,
        "event": event.title, "form": form_page.title,
    },
    "form_id": form_page.pk,
    "first": start.isoformat(),
    "live": [p.live for p in (programme, element_page, offers, offer, events, event, form_page)],
    "package": kokreative_wagtail.__file__,
}))
"""

COUNT_SUBMISSIONS = """
from wagtail.contrib.forms.models import FormSubmission
print("KOKREATIVE_RESULT=" + str(FormSubmission.objects.count()))
"""


def _shell_result(stdout: str):
    for line in stdout.splitlines():
        if line.startswith("KOKREATIVE_RESULT="):
            return json.loads(line.removeprefix("KOKREATIVE_RESULT="))
    raise AssertionError(f"the shell script printed no result:\n{stdout}")


def _form_values(form: dict) -> dict:
    """Values for every field of ``GET forms/{id}`` a visitor must fill."""
    values = {}
    for field in form["fields"]:
        if not field["required"]:
            continue
        if field["type"] in ("checkboxes", "multiselect"):
            values[field["name"]] = field["choices"][:1]
        elif field["type"] == "email":
            values[field["name"]] = "kim@example.org"
        elif field["choices"]:
            values[field["name"]] = field["choices"][0]
        elif field["type"] == "checkbox":
            values[field["name"]] = True
        else:
            values[field["name"]] = "Kim Muster"
    values[form["consent"]["name"]] = True
    return values


@pytest.mark.slow
def test_wheel_installs_into_a_new_wagtail_project(wheel, tmp_path):
    """docs/installation.md, step by step, in a new ``wagtail start`` project, every app."""
    # A new virtualenv with nothing but the wheel and what it pulls in (step 1).
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

    project = tmp_path / "project"
    project.mkdir()
    run([venv / "bin" / "wagtail", "start", "mysite", project], cwd=tmp_path, env=env)

    # Steps 2, 3 and 5 of docs/installation.md, with the very text the page shows.
    settings_file = project / "mysite" / "settings" / "base.py"
    block = apply_settings_step(settings_file)
    for app in CAPABILITY_APPS:  # the page installs every capability app and what it needs
        assert f'"{app}"' in block, app
        for needed in CAPABILITY_APPS[app]:
            assert f'"{needed}"' in block or needed in installed_apps_of(
                settings_file.read_text()
            ), needed
    apply_urls_step(project / "mysite" / "urls.py")
    apply_base_template_step(project / "mysite" / "templates" / "base.html")

    def manage(*args: str, timeout: float = 300):
        return run([python, "manage.py", *args], cwd=project, env=env, timeout=timeout)

    # Steps 4 and 6: the commands as written (``python`` is the project's virtualenv).
    for number in (4, 6):
        for command in step_commands(number):
            assert command[:2] == ["python", "manage.py"], command
            result = manage(*command[2:])
            # no system check message of ours (they would name kokreative_wagtail.E001 …)
            assert not re.search(r"kokreative_wagtail\.[EW]\d{3}", result.stdout + result.stderr), (
                output(result)
            )
    check = manage("check", "--fail-level", "WARNING")
    assert "kokreative_wagtail." not in check.stdout + check.stderr, output(check)
    manage("makemigrations", "--check", "--dry-run", "--no-input")

    result = _shell_result(manage("shell", "-c", CREATE_PAGES).stdout)
    assert result["root"] == "HomePage", result
    assert all(result["live"]), result
    assert result["package"].startswith(str(venv)), f"imported from {result['package']}"
    assert result["pages"]["programme"] == "/kokreative-kommune/", result
    assert result["pages"]["element_page"] == "/kokreative-kommune/kultureller-wandel/", result

    server = Server(python, project, env, tmp_path / "runserver.log")
    try:
        server.wait_until_up()
        base = server.base_url

        # Every page type renders through the site's own base.html, with our stylesheet and
        # (step 5) the consent banner and footer link.
        for name, path in result["pages"].items():
            status, content_type, html = fetch(base + path)
            assert status == 200, f"GET {path}: {status}\n{html[:3000]}\n{server.log_text()}"
            assert content_type.startswith("text/html"), content_type
            assert result["titles"][name] in html, f"{name} not in GET {path}:\n{html[:3000]}"
            assert 'class="kk-consent-banner"' in html, f"no consent banner in GET {path}"
        stylesheet = re.search(r'href="([^"]*kokreative_wagtail/css/kokreative\.css)"', html)
        assert stylesheet, f"no link to kokreative.css in GET {path}:\n{html[:3000]}"
        status, content_type, css = fetch(base + stylesheet.group(1))
        assert status == 200, f"GET {stylesheet.group(1)}: {status}"
        assert content_type.startswith("text/css"), content_type

        # The JSON API of every app.
        api = base + "/api/kokreative/v1"
        elements = fetch_json(api + "/elements")
        assert [item["name"] for item in elements["items"]] == ["Kultureller Wandel"], elements
        offers = fetch_json(api + "/offers")
        assert [item["title"] for item in offers["items"]] == ["Trainings und Workshops"]
        first = datetime.fromisoformat(result["first"])
        window = f"from={first.date().isoformat()}&to={(first + timedelta(days=60)).date()}"
        occurrences = fetch_json(f"{api}/occurrences?{window}")
        starts = [datetime.fromisoformat(item["start"]) for item in occurrences["items"]]
        assert starts[:3] == [first + timedelta(weeks=4 * n) for n in range(3)], occurrences
        groups = fetch_json(api + "/consent")
        assert {g["varname"] for g in groups["groups"]} >= {"necessary", "statistics"}, groups
        schema = fetch_json(api + "/openapi.json")
        for path in ("/elements", "/offers", "/occurrences", "/consent"):
            assert "/api/kokreative/v1" + path in schema["paths"], sorted(schema["paths"])

        # The month view of the first date, in the site's base.html; rendered, then its grid
        # from the site's cache (no CACHES setting in a new project: local memory).
        month_url = f"{base}{result['pages']['events']}?view=month&month={first:%Y-%m}"
        grids = []
        for _ in range(2):
            status, content_type, html = fetch(month_url)
            assert status == 200, f"GET {month_url}: {status}\n{html[:3000]}\n{server.log_text()}"
            assert 'class="kk-consent-banner"' in html, "the month view left the site's base"
            grid = re.search(r'<table class="kk-calendar">.*?</table>', html, re.S)
            assert grid and "Community of Practice" in grid.group(0), html[:3000]
            grids.append(grid.group(0))
        assert grids[0] == grids[1]

        # Calendar feeds.
        status, content_type, ics = fetch(base + result["pages"]["events"] + "feed.ics")
        assert status == 200 and content_type.startswith("text/calendar"), (status, ics[:500])
        assert "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH" in ics, ics

        # A consultation form sent as JSON, by a server-side front end (no cookies).
        form = fetch_json(f"{api}/forms/{result['form_id']}")
        time.sleep(form["min_fill_seconds"] + 0.5)
        status, body = post_json(
            f"{api}/forms/{result['form_id']}/submissions",
            {"fields": _form_values(form), "token": form["token"], "honeypot": ""},
        )
        assert status == 201, (status, body, server.log_text()[-3000:])
    finally:
        server.stop()
    stored = _shell_result(manage("shell", "-c", COUNT_SUBMISSIONS).stdout)
    assert stored == 1
