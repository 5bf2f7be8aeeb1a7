"""The example site's production settings: environment variables in, ``check --deploy`` clean.

Each case runs in a subprocess, because the module reads the environment once at import and
``django.setup()`` cannot be repeated with other settings inside the test process.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE_SITE = Path(__file__).resolve().parents[2] / "example_site"
MODULE = "kokreative_example.settings_production"

#: Variables the module reads; cleared so that a developer's own environment cannot leak in.
READ = (
    "DJANGO_SECRET_KEY",
    "DJANGO_SECRET_KEY_FALLBACKS",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "CACHE_URL",
    "REDIS_URL",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
    "DEFAULT_FROM_EMAIL",
    "SERVER_EMAIL",
    "WAGTAILADMIN_BASE_URL",
    "DJANGO_STATIC_ROOT",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_SECURE_HSTS_SECONDS",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "DJANGO_SECURE_HSTS_PRELOAD",
    "DJANGO_SECURE_PROXY_SSL_HEADER",
    "KOKREATIVE_TRUSTED_PROXY_COUNT",
    "KOKREATIVE_CORS_ALLOWED_ORIGINS",
    "DJANGO_LOG_LEVEL",
    # read by settings.py, which the production module starts from
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "MEDIA_ROOT",
)


def environment(tmp_path: Path, **variables: str) -> dict[str, str]:
    # the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for the whole test process; no deployment
    # has it (check --deploy reports it as async.E001)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in READ and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env["DJANGO_SETTINGS_MODULE"] = MODULE
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    env["DJANGO_ALLOWED_HOSTS"] = "example.org"
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env.update(variables)
    return {key: value for key, value in env.items() if value is not None}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=EXAMPLE_SITE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_values(env: dict[str, str], *names: str) -> dict:
    code = (
        "import json, importlib\n"
        f"s = importlib.import_module({MODULE!r})\n"
        f"print(json.dumps({{n: getattr(s, n, None) for n in {list(names)!r}}}, default=str))"
    )
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {
            "REDIS_URL": "redis://127.0.0.1:6379/1",
            "EMAIL_HOST": "smtp.example.org",
            "EMAIL_USE_TLS": "true",
            "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
            "KOKREATIVE_TRUSTED_PROXY_COUNT": "1",
        },
    ],
    ids=["required-only", "redis-smtp-proxy"],
)
def test_check_deploy_passes_without_any_warning(tmp_path, extra):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        environment(tmp_path, **extra),
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output, output
    assert "WARNING" not in output.upper(), output


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_a_missing_required_variable_fails_with_its_name(tmp_path, missing):
    result = run(["manage.py", "check"], environment(tmp_path, **{missing: None}))
    assert result.returncode != 0
    assert f"ImproperlyConfigured: Set the environment variable {missing}:" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"), [("DJANGO_SECRET_KEY", "  "), ("DJANGO_ALLOWED_HOSTS", " , ")]
)
def test_an_empty_value_counts_as_missing(tmp_path, name, value):
    result = run(["-c", f"import {MODULE}"], environment(tmp_path, **{name: value}))
    assert f"Set the environment variable {name}" in result.stderr


def test_defaults(tmp_path):
    values = settings_values(
        environment(tmp_path),
        "DEBUG",
        "ALLOWED_HOSTS",
        "CACHES",
        "EMAIL_BACKEND",
        "EMAIL_TIMEOUT",
        "WAGTAILADMIN_BASE_URL",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "KOKREATIVE",
        "MIDDLEWARE",
    )
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["example.org"]
    assert values["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["EMAIL_TIMEOUT"] == 10
    assert values["WAGTAILADMIN_BASE_URL"] == "https://example.org"
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 3600
    assert values["SECURE_PROXY_SSL_HEADER"] is None  # no proxy unless a variable says so
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["KOKREATIVE"] == {"BASE_TEMPLATE": "base.html", "TRUSTED_PROXY_COUNT": 0}
    assert values["MIDDLEWARE"][0] == "django.middleware.security.SecurityMiddleware"


def test_variables_map_to_settings(tmp_path):
    env = environment(
        tmp_path,
        DJANGO_ALLOWED_HOSTS="www.example.org, example.org",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://www.example.org,https://app.example.org",
        DJANGO_SECRET_KEY_FALLBACKS="old-one,older-one",
        DATABASE_URL="postgres://kk:pw@db.internal:5433/kokreative",
        CACHE_URL="redis://cache.internal:6379/2",
        REDIS_URL="redis://ignored:6379/0",
        EMAIL_HOST="smtp.example.org",
        EMAIL_USE_TLS="true",
        EMAIL_HOST_USER="kokreative",
        EMAIL_HOST_PASSWORD="s3cret",
        EMAIL_TIMEOUT="5",
        DEFAULT_FROM_EMAIL="Kokreative <no-reply@example.org>",
        WAGTAILADMIN_BASE_URL="https://admin.example.org/",
        DJANGO_SECURE_HSTS_SECONDS="31536000",
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        KOKREATIVE_TRUSTED_PROXY_COUNT="2",
    )
    values = settings_values(
        env,
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "SECRET_KEY_FALLBACKS",
        "DATABASES",
        "CACHES",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_USE_TLS",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_TIMEOUT",
        "DEFAULT_FROM_EMAIL",
        "SERVER_EMAIL",
        "WAGTAILADMIN_BASE_URL",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "KOKREATIVE",
    )
    assert values["ALLOWED_HOSTS"] == ["www.example.org", "example.org"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://www.example.org", "https://app.example.org"]
    assert values["SECRET_KEY_FALLBACKS"] == ["old-one", "older-one"]
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.internal",
        5433,
        "kokreative",
    )
    assert database["CONN_MAX_AGE"] == 60
    assert values["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",  # CACHE_URL wins over REDIS_URL
    }
    assert values["EMAIL_HOST"] == "smtp.example.org"
    assert values["EMAIL_PORT"] == 587  # STARTTLS's port unless EMAIL_PORT says otherwise
    assert values["EMAIL_USE_TLS"] is True
    assert (values["EMAIL_HOST_USER"], values["EMAIL_HOST_PASSWORD"]) == ("kokreative", "s3cret")
    assert values["EMAIL_TIMEOUT"] == 5
    assert values["DEFAULT_FROM_EMAIL"] == values["SERVER_EMAIL"]
    assert values["WAGTAILADMIN_BASE_URL"] == "https://admin.example.org"
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["KOKREATIVE"]["TRUSTED_PROXY_COUNT"] == 2


def test_redis_url_alone_selects_redis(tmp_path):
    values = settings_values(environment(tmp_path, REDIS_URL="redis://127.0.0.1:6379/1"), "CACHES")
    assert values["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/1"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"CACHE_URL": "memcached://cache:11211"}, "is not a Redis URL"),
        ({"EMAIL_USE_TLS": "maybe"}, "EMAIL_USE_TLS='maybe' is not a boolean"),
        ({"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "not both"),
        ({"KOKREATIVE_TRUSTED_PROXY_COUNT": "one"}, "is not a whole number"),
    ],
)
def test_wrong_values_fail_clearly(tmp_path, variables, message):
    result = run(["-c", f"import {MODULE}"], environment(tmp_path, **variables))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_the_default_settings_module_stays_the_development_one():
    for name in ("manage.py", "kokreative_example/wsgi.py"):
        text = (EXAMPLE_SITE / name).read_text(encoding="utf-8")
        assert '"DJANGO_SETTINGS_MODULE", "kokreative_example.settings"' in text
