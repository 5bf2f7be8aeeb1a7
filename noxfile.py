"""The supported version matrix: ``nox`` runs the suite on each combination.

Pythons come from pyenv (``pyenv versions``) or PATH. ``make test`` runs the newest combination
on PostgreSQL under CI=true; ``.venv/bin/nox`` runs all three.
"""

import os
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True

PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"


def interpreter(version: str) -> str:
    """The pyenv interpreter for ``version`` (e.g. 3.13), else the name nox looks up on PATH."""
    candidates = sorted(PYENV.glob(f"{version}.*/bin/python{version}"))
    return str(candidates[-1]) if candidates else version


MATRIX = [
    # (id, python, wagtail requirement, Django requirement)
    ("wagtail7.0-django5.2-py3.10", "3.10", "wagtail~=7.0.0", "Django~=5.2.0"),
    ("wagtail7.4-django5.2-py3.11", "3.11", "wagtail~=7.4.0", "Django~=5.2.0"),
    ("wagtail8-django6-py3.13", "3.13", "wagtail>=8,<9", "Django>=6.0,<6.2"),
]


@nox.session
@nox.parametrize(
    "python,wagtail,django",
    [nox.param(interpreter(py), w, d, id=name) for name, py, w, d in MATRIX],
)
def tests(session: nox.Session, wagtail: str, django: str) -> None:
    """Run the suite (without the slow wheel test) on one combination."""
    session.install(wagtail, django, "-e", ".[test]")
    session.run(
        "python",
        "-c",
        "import django, wagtail; print('Django', django.__version__, "
        "'Wagtail', wagtail.__version__)",
    )
    session.run(
        "python", "-m", "pytest", "-m", "not slow", "-p", "no:cacheprovider", *session.posargs
    )
