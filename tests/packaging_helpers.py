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

#: The capability apps, with the third-party apps each needs in INSTALLED_APPS.
CAPABILITY_APPS: dict[str, tuple[str, ...]] = {
    "kokreative_wagtail.offers": (),
    "kokreative_wagtail.events": ("kokreative_wagtail.events.recurrence_app.RecurrenceConfig",),
    "kokreative_wagtail.consultations": ("wagtail.contrib.forms",),
    "kokreative_wagtail.consent": ("cookie_consent",),
    "kokreative_wagtail.accessibility": ("kokreative_wagtail.consent", "cookie_consent"),
    "kokreative_wagtail.registrations": (
        "kokreative_wagtail.events",
        "kokreative_wagtail.events.recurrence_app.RecurrenceConfig",
        "wagtail.contrib.forms",
    ),
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


def installed_apps_of(settings_text: str) -> set[str]:
    """Dotted names quoted in the ``INSTALLED_APPS = [...]`` list of a settings file."""
    match = re.search(r"^INSTALLED_APPS\s*=\s*\[(.*?)^\]", settings_text, re.S | re.M)
    assert match, "no INSTALLED_APPS = [...] in the generated settings"
    return set(re.findall(r"""["']([\w.]+)["']""", match.group(1)))


_WAGTAIL_CATCH_ALL = re.compile(
    r"""^(?P<indent>[ \t]*)path\(\s*(?P<q>["'])(?P=q)\s*,\s*include\(\s*wagtail_urls\s*\)\s*\)""",
    re.M,
)


def include_our_urls(
    urls_file: Path, line: str = 'path("", include("kokreative_wagtail.urls")),'
) -> None:
    """Insert ``line`` (our URLs) before Wagtail's catch-all.

    A plain ``urlpatterns += [...]`` would append it *after* ``path("", include(wagtail_urls))``
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
    urls_file.write_text(text[:start] + f"{indent}{line}\n" + text[start:])


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


# --- docs/installation.md, followed literally -------------------------------------------------

INSTALLATION = REPO / "docs" / "installation.md"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```[ \t]*$", re.M | re.S)


def installation_step(number: int) -> str:
    """The text of ``## <number>. …`` of docs/installation.md, up to the next ``## ``."""
    text = INSTALLATION.read_text(encoding="utf-8")
    match = re.search(rf"^## {number}\. .*?(?=^## |\Z)", text, re.M | re.S)
    assert match, f"docs/installation.md has no step {number}"
    return match.group(0)


def code_blocks(step_text: str, language: str) -> list[str]:
    return [body for lang, body in _FENCE.findall(step_text) if lang == language]


def step_commands(number: int) -> list[list[str]]:
    """The shell commands of a step, split into words (``python manage.py migrate``)."""
    commands = []
    for block in code_blocks(installation_step(number), "sh"):
        for line in block.splitlines():
            line = line.split(" #", 1)[0].strip()
            if line and not line.startswith("#"):
                commands.append(line.split())
    assert commands, f"step {number} of docs/installation.md has no shell command"
    return commands


def apply_settings_step(settings_file: Path) -> str:
    """Append step 2's Python block to the settings file, as it stands in the docs."""
    [block] = code_blocks(installation_step(2), "python")
    settings_file.write_text(settings_file.read_text().rstrip("\n") + "\n\n" + block)
    return block


def apply_urls_step(urls_file: Path) -> str:
    """Insert the line of step 3 that includes our URLs above Wagtail's catch-all, as told."""
    [block] = code_blocks(installation_step(3), "python")
    [line] = [line for line in block.splitlines() if '"kokreative_wagtail.urls"' in line]
    include_our_urls(urls_file, line.strip())
    return line.strip()


def apply_base_template_step(base_template: Path) -> str:
    """Put step 5's consent lines right before ``</body>`` of the site's base template."""
    [block] = [
        b for b in code_blocks(installation_step(5), "django") if "kokreative_consent_banner" in b
    ]
    text = base_template.read_text()
    assert text.count("</body>") == 1, text
    base_template.write_text(text.replace("</body>", block + "</body>"))
    return block


def post_json(url: str, payload: dict, timeout: float = 30) -> tuple[int, dict]:
    """POST ``payload`` as JSON: status and decoded body (HTTP errors are returned)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")
