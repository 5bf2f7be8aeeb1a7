"""Installing the package writes no migration anywhere, whatever the site's DEFAULT_AUTO_FIELD.

django-recurrence ships no AppConfig: listed as plain ``"recurrence"`` on an ``AutoField`` site,
``makemigrations`` would write into its site-packages folder, and the old advice (set
``DEFAULT_AUTO_FIELD = BigAutoField``) would migrate the site's own tables instead. A ``wagtail
start`` project with an app of its own (an auto ``id``, made under the site's setting) gets
step 2 of docs/installation.md as written; then neither the site's apps nor django-recurrence
may want a migration. ``slow``: it runs ``wagtail start`` and ``migrate`` in the dev virtualenv
(no wheel, no network).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ..packaging_helpers import apply_settings_step, clean_env, output, run

#: An app of the site's own as older sites have it: no AppConfig, so the type of its auto-created
#: ``id`` comes from DEFAULT_AUTO_FIELD (``wagtail start``'s home app sets its own, as does
#: ``startapp``, so neither would show the old advice's damage).
HOST_MODELS = '''from django.db import models


class Note(models.Model):
    """A table of the site's own: its ``id`` type must not change when our apps are added."""

    text = models.CharField(max_length=100)
'''


def add_host_app(project: Path) -> None:
    app = project / "notes"
    (app / "migrations").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "migrations" / "__init__.py").write_text("")
    (app / "models.py").write_text(HOST_MODELS)


@pytest.mark.slow
@pytest.mark.parametrize("auto_field", ["AutoField", "BigAutoField"])
def test_documented_apps_need_no_migration_anywhere(tmp_path: Path, auto_field: str) -> None:
    python = Path(sys.executable)
    env = clean_env(Path(sys.prefix))
    project = tmp_path / "project"
    project.mkdir()
    run([python.parent / "wagtail", "start", "mysite", project], cwd=tmp_path, env=env)

    def manage(*args: str):
        return run([python, "manage.py", *args], cwd=project, env=env, timeout=300)

    # The site as it was before our package: its setting and a migrated model of its own.
    settings_file = project / "mysite" / "settings" / "base.py"
    settings_file.write_text(
        settings_file.read_text().rstrip("\n")
        + f'\n\nINSTALLED_APPS += ["notes"]\nDEFAULT_AUTO_FIELD = "django.db.models.{auto_field}"\n'
    )
    add_host_app(project)
    manage("makemigrations", "notes", "--no-input")

    block = apply_settings_step(settings_file)
    assert "DEFAULT_AUTO_FIELD" not in block, "step 2 must leave the site's key type alone"
    assert '"recurrence"' not in block, "step 2 must list django-recurrence through our config"

    manage("migrate", "--no-input")
    check = manage("check")
    assert "kokreative_wagtail.W003" not in check.stdout + check.stderr, output(check)
    # Every app: the site's own (notes, home, search), django-recurrence and ours.
    result = manage("makemigrations", "--check", "--dry-run", "--no-input")
    assert "No changes detected" in result.stdout, output(result)
    recurrence = manage("showmigrations", "recurrence")
    assert recurrence.stdout.count("[X]") == 2, output(recurrence)  # its own 0001 and 0002 only
