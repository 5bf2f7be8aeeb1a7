"""Screenshots of every page type for the documentation (docs/img/).

    .venv/bin/python tools/screenshots.py

Builds the example site with its demo content in a temporary SQLite database (``migrate``,
``load_demo``), serves it with ``runserver`` on a free port, and lets Playwright drive Debian's
chromium (``/usr/bin/chromium``, never a downloaded browser) through every page type as the
default templates render it, the consent banner, and the admin's editor of every page type
(German admin, the demo's ``admin`` account). PNGs are 1280 px wide, cut at ``MAX_HEIGHT`` px
(the event page, whose details follow its dates, at 2800) and reduced to a 256-colour palette,
so each stays well below 250 KB. A page type without a live demo page stops the script.

Options: ``--out DIR`` (default ``docs/img``), ``--chromium PATH``, ``--keep`` (keep the temporary
directory with database and server log).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
MANAGE = REPO / "example_site" / "manage.py"
sys.path.insert(0, str(REPO))
from tests.browser.chromium import CHROMIUM_ARGS  # noqa: E402  (the browser tests' flags)

WIDTH = 1280
VIEWPORT_HEIGHT = 900
ADMIN_VIEWPORT_HEIGHT = 1100  # the editor scrolls inside the viewport
MAX_HEIGHT = 1600
ADMIN = ("admin", "admin")  # the demo's superuser (example_site/home/demo_content.py)

# For each page type of the package: the demo page to show (German, the default language).
FIND_PAGES = """
import json
from wagtail.models import Locale, get_page_models
wanted = {
    "ProgrammePage": "die-kokreative-kommune",
    "ElementPage": "raumstrukturen",
    "OfferIndexPage": "angebote",
    "OfferPage": "trainings-und-workshops",
    "EventIndexPage": "termine",
    "EventPage": "community-of-practice",
    "ConsultationFormPage": "beratungsgespraech",
    "EasyLanguagePage": "leichte-sprache",
}
locale = Locale.get_default()
found = {}
for model in get_page_models():
    if not model.__module__.startswith("kokreative_wagtail"):
        continue
    pages = model.objects.live().filter(locale=locale)
    page = pages.filter(slug=wanted.get(model.__name__, "")).first() or pages.first()
    found[model.__name__] = page and {"id": page.id, "path": page.get_url()}
print(json.dumps(found))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(MANAGE), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def wait_for(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("runserver stopped; see its log (--keep)")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"{url} did not answer within {timeout} s")


class Shooter:
    """Saves screenshots as small palette PNGs and reports their sizes."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.written: list[Path] = []

    def save(
        self, page, name: str, *, full_page: bool = True, max_height: int = MAX_HEIGHT
    ) -> None:
        height = page.viewport_size["height"]
        if full_page:
            height = min(max_height, page.evaluate("document.documentElement.scrollHeight"))
        png = page.screenshot(
            full_page=full_page, clip={"x": 0, "y": 0, "width": WIDTH, "height": height}
        )
        image = Image.open(io.BytesIO(png)).convert("RGB")
        image = image.quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
        path = self.out / f"{name}.png"
        image.save(path, optimize=True)
        self.written.append(path)
        shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
        print(f"  {shown}  {image.width}x{image.height}  {path.stat().st_size // 1024} KB")


def block_foreign_hosts(context, site_host: str) -> None:
    """Nothing but the example site is contacted (no embeds, fonts or trackers)."""

    def handle(route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname == site_host:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", handle)


def shoot_site(browser, base: str, pages: dict, shots: Shooter) -> None:
    context = browser.new_context(
        viewport={"width": WIDTH, "height": VIEWPORT_HEIGHT}, locale="de-DE", device_scale_factor=1
    )
    block_foreign_hosts(context, urlsplit(base).hostname)
    page = context.new_page()

    def visit(path: str) -> None:
        page.goto(base + path, wait_until="networkidle")

    # First visit: the banner, then the settings dialog; then reject all, as a visitor may.
    visit(pages["ProgrammePage"]["path"])
    shots.save(page, "consent-banner", full_page=False)
    page.click("#kk-consent-banner [data-kk-consent-open]")
    page.wait_for_selector("#kk-consent-dialog[open]")
    shots.save(page, "consent-dialog", full_page=False)
    page.click("#kk-consent-dialog [data-kk-consent-close]")
    with page.expect_navigation():
        page.click("#kk-consent-banner button[value=decline_all]")

    visit(pages["ProgrammePage"]["path"])
    shots.save(page, "programme-page")
    visit(pages["ElementPage"]["path"])
    shots.save(page, "element-page")
    visit(pages["OfferIndexPage"]["path"] + "?audience=verwaltung")
    shots.save(page, "offer-index-page")
    visit(pages["OfferPage"]["path"])
    shots.save(page, "offer-page")
    visit(pages["EventIndexPage"]["path"])
    shots.save(page, "event-index-page")
    visit(pages["EventIndexPage"]["path"] + "?view=month&month=2027-01")
    shots.save(page, "event-index-page-month")
    visit(pages["EventPage"]["path"])
    shots.save(page, "event-page", max_height=2800)  # the details follow the dates

    visit(pages["EasyLanguagePage"]["path"])
    shots.save(page, "easy-language-page")
    visit(pages["AccessibilityStatementPage"]["path"])
    shots.save(page, "accessibility-statement-page")

    visit(pages["ConsultationFormPage"]["path"])
    shots.save(page, "consultation-form-page")
    form = page.locator("main form").first
    for field in form.locator(
        "input[required]:not([type=checkbox]):not([type=hidden]), textarea[required]"
    ).all():
        kind = field.get_attribute("type") or ""
        field.fill("kim.muster@example.org" if kind == "email" else "Kim Muster")
    form.locator("input[type=checkbox][required]").check()
    page.wait_for_timeout(3500)  # the minimum fill time of the spam guard
    with page.expect_navigation():
        form.locator("[type=submit]").last.click()
    shots.save(page, "consultation-form-page-thank-you")
    context.close()


def shoot_admin(browser, base: str, pages: dict, shots: Shooter) -> None:
    context = browser.new_context(
        viewport={"width": WIDTH, "height": ADMIN_VIEWPORT_HEIGHT},
        locale="de-DE",
        device_scale_factor=1,
    )
    block_foreign_hosts(context, urlsplit(base).hostname)
    page = context.new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", ADMIN[0])
    page.fill("#id_password", ADMIN[1])
    with page.expect_navigation():
        page.click("button[type=submit]")
    for model, found in pages.items():
        name = "admin-" + kebab(model)
        page.goto(f"{base}/admin/pages/{found['id']}/edit/", wait_until="networkidle")
        page.wait_for_timeout(500)  # the editor's scripts settle (minimap, widgets)
        shots.save(page, name)
    context.close()


def kebab(name: str) -> str:
    """``ConsultationFormPage`` → ``consultation-form-page``."""
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in name).lstrip("-")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if not os.access(args.chromium, os.X_OK):
        sys.exit(f"no chromium at {args.chromium}: apt-get install -y chromium (as root)")
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)

    tmp = Path(tempfile.mkdtemp(prefix="kokreative-screenshots-"))
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp / "media"),
        "DEBUG": "1",
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
        "PYTHONUNBUFFERED": "1",
    }
    print(f"Example site in {tmp}: migrate, load_demo")
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_demo", "-v0")
    pages = json.loads(manage(env, "shell", "-c", FIND_PAGES).strip().splitlines()[-1])
    missing = [name for name, found in pages.items() if not found]
    if missing:
        sys.exit(f"the demo content has no live page of: {', '.join(missing)}")

    base = f"http://127.0.0.1:{port}"
    log = (tmp / "runserver.log").open("w")
    server = subprocess.Popen(
        [sys.executable, str(MANAGE), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    shots = Shooter(args.out)
    try:
        wait_for(f"{base}/admin/login/", server)
        print(f"Screenshots of {base} into {args.out}:")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=args.chromium, args=CHROMIUM_ARGS, headless=True
            )
            try:
                shoot_site(browser, base, pages, shots)
                shoot_admin(browser, base, pages, shots)
            finally:
                browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
        if args.keep:
            print(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    total = sum(path.stat().st_size for path in shots.written)
    print(f"{len(shots.written)} screenshots, {total // 1024} KB in all.")


if __name__ == "__main__":
    main()
