"""Helpers of ``test_packaging.py``: subprocesses with readable failures, a clean environment,
the textual edits a site makes to a ``wagtail start`` project, and a server to fetch pages from.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

#: Capability apps DESIGN.md plans, with the third-party apps each needs in INSTALLED_APPS.
#: Only those that exist in the repository are installed into the test project.
CAPABILITY_APPS: dict[str, tuple[str, ...]] = {
    "kokreative_wagtail.offers": (),
    "kokreative_wagtail.events": ("recurrence",),
    "kokreative_wagtail.consultations": ("wagtail.contrib.forms",),
    "kokreative_wagtail.consent": ("cookie_consent",),
}

#: Top-level names of the work tree that never take part in a build.
_NOT_SOURCE = {
    ".git",
    ".venv",
    ".nox",
    ".pytest_cache",
    ".ruff_cache",
    "build",
    "dist",
    "node_modules",
}


class CommandFailed(AssertionError):
    pass


def clean_env(venv: Path | None = None) -> dict[str, str]:
    """Our environment without what pytest, pytest-django or our venv put into it."""
    env = dict(os.environ)
    for name in (
        "DJANGO_SETTINGS_MODULE",
        "DATABASE_URL",
        "PYTHONPATH",
        "PYTHONHOME",
        "VIRTUAL_ENV",
        "PYTHONSTARTUP",
        "PYTHONDONTWRITEBYTECODE",
    ):
        env.pop(name, None)
    env["PYTHONUNBUFFERED"] = "1"
    if venv is not None:
        env["VIRTUAL_ENV"] = str(venv)
        env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "")])
    return env


def run(
    args: list[str | Path],
    *,
    cwd: Path,
    env: dict[str, str],
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """Run ``args``; on failure raise an AssertionError that carries stdout and stderr."""
    argv = [str(arg) for arg in args]
    try:
        return subprocess.run(
            argv,
            cwd=cwd,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.CalledProcessError as exc:
        raise CommandFailed(
            f"{' '.join(argv)} exited with {exc.returncode} (in {cwd})\n"
            f"--- stdout ---\n{exc.stdout}\n--- stderr ---\n{exc.stderr}"
        ) from None
    except subprocess.TimeoutExpired as exc:
        raise CommandFailed(
            f"{' '.join(argv)} did not finish within {timeout} s (in {cwd})\n"
            f"--- stdout ---\n{_text(exc.stdout)}\n--- stderr ---\n{_text(exc.stderr)}"
        ) from None


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def output(result: subprocess.CompletedProcess[str]) -> str:
    return f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"


def copy_source_tree(target: Path) -> Path:
    """The work tree without VCS data, virtualenvs, build output and caches.

    Building from a copy keeps ``build/`` and ``*.egg-info`` out of the repository and stops a
    stale ``build/lib`` of an earlier build from slipping deleted files into the wheel.
    """

    def ignore(directory: str, names: list[str]) -> set[str]:
        ignored = {n for n in names if n == "__pycache__" or n.endswith((".pyc", ".pyo"))}
        if Path(directory).resolve() == REPO:
            ignored |= {n for n in names if n in _NOT_SOURCE or n.endswith(".egg-info")}
        return ignored

    shutil.copytree(REPO, target, ignore=ignore, symlinks=True)
    return target


def build_wheel(outdir: Path, workdir: Path) -> Path:
    """``python -m build --wheel`` of a copy of the work tree; returns the one wheel built."""
    source = copy_source_tree(workdir / "source")
    run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", outdir, source],
        cwd=source,
        env=clean_env(),
        timeout=600,
    )
    wheels = sorted(outdir.glob("kokreative_wagtail-*.whl"))
    assert len(wheels) == 1, f"expected one wheel in {outdir}, found {wheels}"
    return wheels[0]


def existing_capability_apps() -> list[str]:
    """The capability apps of DESIGN.md that exist as packages in the repository so far."""
    return [
        app for app in CAPABILITY_APPS if (REPO.joinpath(*app.split(".")) / "__init__.py").is_file()
    ]


def installed_apps_of(settings_text: str) -> set[str]:
    """Dotted names quoted in the ``INSTALLED_APPS = [...]`` list of a settings file."""
    match = re.search(r"^INSTALLED_APPS\s*=\s*\[(.*?)^\]", settings_text, re.S | re.M)
    assert match, "no INSTALLED_APPS = [...] in the generated settings"
    return set(re.findall(r"""["']([\w.]+)["']""", match.group(1)))


def add_installed_apps(settings_file: Path, apps: list[str]) -> list[str]:
    """Append ``INSTALLED_APPS += [...]`` with the apps the file does not list yet."""
    text = settings_file.read_text()
    present = installed_apps_of(text)
    added = [app for app in dict.fromkeys(apps) if app not in present]
    lines = f"\n\n# kokreative-wagtail\nINSTALLED_APPS += {added!r}\n"
    if "recurrence" in added and "DEFAULT_AUTO_FIELD" not in text:
        # the documented line for django-recurrence (system check kokreative_wagtail.W003)
        lines += 'DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"\n'
    settings_file.write_text(text.rstrip("\n") + lines)
    return added


_WAGTAIL_CATCH_ALL = re.compile(
    r"""^(?P<indent>[ \t]*)path\(\s*(?P<q>["'])(?P=q)\s*,\s*include\(\s*wagtail_urls\s*\)\s*\)""",
    re.M,
)


def include_our_urls(urls_file: Path) -> None:
    """Insert ``path("", include("kokreative_wagtail.urls"))`` before Wagtail's catch-all.

    DESIGN.md's ``urlpatterns += [...]`` would append it *after* ``path("", include(wagtail_urls))``
    in a ``wagtail start`` project, where Wagtail's page serving would answer first.
    """
    text = urls_file.read_text()
    matches = list(_WAGTAIL_CATCH_ALL.finditer(text))
    assert len(matches) == 1, (
        f"expected one path('', include(wagtail_urls)) in {urls_file}, found {len(matches)}:\n"
        + text
    )
    assert re.search(r"^from django\.urls import .*\binclude\b", text, re.M), text
    start = matches[0].start()
    indent = matches[0].group("indent")
    # Above the comment that introduces the catch-all ("This should be the last pattern ...").
    while start > 0:
        previous = text.rfind("\n", 0, start - 1) + 1
        if not text[previous:start].strip().startswith("#"):
            break
        start = previous
    line = f'{indent}path("", include("kokreative_wagtail.urls")),\n'
    urls_file.write_text(text[:start] + line + text[start:])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 30) -> tuple[int, str, str]:
    """GET ``url``: status, content type, body (HTTP errors are returned, not raised)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return (
                response.status,
                response.headers.get("Content-Type", ""),
                response.read().decode("utf-8", errors="replace"),
            )
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode(errors="replace")


def fetch_json(url: str):
    status, content_type, body = fetch(url)
    assert status == 200, f"GET {url}: {status}\n{body[:3000]}"
    assert content_type.startswith("application/json"), f"GET {url}: {content_type}\n{body[:500]}"
    return json.loads(body)


class Server:
    """``manage.py runserver`` on a free loopback port, stopped by ``stop()``."""

    def __init__(self, python: Path, project: Path, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._log_file = log.open("w")
        self.process = subprocess.Popen(
            [str(python), "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=project,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def log_text(self) -> str:
        self._log_file.flush()
        return self.log.read_text(errors="replace")

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"runserver exited with {self.process.returncode}:\n{self.log_text()}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.25)
        raise AssertionError(f"runserver did not answer within {timeout} s:\n{self.log_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self._log_file.close()
