"""Fail loudly when the PostgreSQL server of DATABASE_URL is unreachable (CI must not skip it)."""

import sys
import time

import psycopg

url = sys.argv[1]
# Connect to the maintenance database; pytest-django creates test_<name> itself.
base, _, _name = url.rpartition("/")
deadline = time.monotonic() + 30
while True:
    try:
        psycopg.connect(f"{base}/postgres", connect_timeout=3).close()
        break
    except psycopg.OperationalError as exc:
        if time.monotonic() > deadline:
            sys.exit(f"PostgreSQL at {url} is unreachable: {exc}")
        time.sleep(1)
print(f"PostgreSQL at {base} is reachable.")
