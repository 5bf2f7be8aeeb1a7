"""Benchmark: consultation form submissions per second (JSON API, HTML form, concurrent).

Run: ``.venv/bin/python bench/consultations_submit.py`` (SQLite in memory), or with
``DATABASE_URL=postgres://…`` for PostgreSQL. Prints figures; never asserts a timing.

Data: one consultation form page with the eight default fields and a notification address; the
e-mail backend is the test settings' in-memory one and the task backend the immediate one, so
every submission also renders and "sends" its notification in the request, after the commit.
The rate limit is raised for the run; tokens are older than the minimum fill time.

Measured, each over ``N`` submissions after ``WARMUP`` warm-up ones:

- ``json, sequential``: ``POST /api/kokreative/v1/forms/<id>/submissions`` through Django's test
  client, one after the other (in-process: no HTTP server, no network);
- ``html, sequential``: the same data posted as the HTML form to the page's URL;
- ``json, 50 threads``: ``N`` submissions from 50 client threads against a live server
  (Django's threaded test server, one process), PostgreSQL only: SQLite in memory serializes
  writers on one shared connection.

Each row gives submissions per second (wall time), the SQL queries of one submission, and the
rows stored (checked against the number sent).
"""

from __future__ import annotations

import json
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import environment_line, setup_django, test_database  # noqa: E402

N = 300
WARMUP = 10
THREADS = 50


def create_form_page():
    from wagtail.models import Site

    from kokreative_wagtail.consultations.models import ConsultationFormPage

    root = Site.objects.get(is_default_site=True).root_page
    page = ConsultationFormPage(
        title="Beratungsgespräch vereinbaren", slug="beratung", to_address="team@example.org"
    )
    page.form_fields = page.get_default_form_fields()
    root.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def values(page, number: int) -> dict:
    names = [f.clean_name for f in page.form_fields.all()]
    texts = [
        f"Person {number}",
        "Stadt Beispielstadt",
        "Verwaltung",
        f"person{number}@example.org",
        "",
        None,
        "Wir möchten Partizipation in unserer Verwaltung verankern. " * 5,
        "dienstags vormittags",
    ]
    return {name: text for name, text in zip(names, texts, strict=True) if text is not None}


def json_body(page, number: int, token: str) -> bytes:
    data = {"fields": {**values(page, number), "privacy_consent": True}, "token": token}
    return json.dumps(data).encode()


def html_data(page, number: int, token: str) -> dict:
    return {**values(page, number), "privacy_consent": "on", "kk_token": token, "kk_website": ""}


def timed(func, count: int) -> float:
    start = time.perf_counter()
    for number in range(count):
        func(number)
    return time.perf_counter() - start


def queries_of(func) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        func(10**6)
    return len(context.captured_queries)


def run() -> list[tuple[str, float, int, int]]:
    from django.core import mail
    from django.db import connection
    from django.test import Client, override_settings
    from wagtail.contrib.forms.models import FormSubmission

    from kokreative_wagtail import spam

    rows = []
    with override_settings(KOKREATIVE={"FORM_RATE_LIMIT": 0}):
        page = create_form_page()
        token = spam.make_token(page.pk, issued_at=time.time() - 60)
        client = Client()
        url = f"/api/kokreative/v1/forms/{page.pk}/submissions"

        def post_json(number):
            response = client.post(
                url, json_body(page, number, token), content_type="application/json"
            )
            assert response.status_code == 201, response.content

        def post_html(number):
            response = client.post(page.url, html_data(page, number, token))
            # the landing page, whatever the language of its thank-you text
            assert response.status_code == 200 and b"kk-consultation-landing" in response.content

        for what, func in (("json, sequential", post_json), ("html, sequential", post_html)):
            timed(func, WARMUP)
            queries = queries_of(func)
            before = FormSubmission.objects.count()
            seconds = timed(func, N)
            stored = FormSubmission.objects.count() - before
            rows.append((what, N / seconds, queries, stored))
        mail.outbox = []

        if connection.vendor == "postgresql":
            rows.append(concurrent(page, token))
        else:
            rows.append(("json, 50 threads", 0.0, 0, 0))
    return rows


def concurrent(page, token: str) -> tuple[str, float, int, int]:
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import LiveServerThread, _StaticFilesHandler
    from wagtail.contrib.forms.models import FormSubmission

    class Server(ThreadedWSGIServer):
        request_queue_size = 4 * THREADS

    class Thread(LiveServerThread):
        server_class = Server

    server = Thread("127.0.0.1", _StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    url = f"http://127.0.0.1:{server.port}/api/kokreative/v1/forms/{page.pk}/submissions"
    per_thread = N // THREADS
    barrier = threading.Barrier(THREADS + 1)
    failures = []

    def client(offset: int) -> None:
        bodies = [
            json_body(page, 10**7 + offset * per_thread + i, token) for i in range(per_thread)
        ]
        barrier.wait()
        for body in bodies:
            request = urllib.request.Request(
                url, data=body, headers={"Content-Type": "application/json"}, method="POST"
            )
            with urllib.request.urlopen(request, timeout=60) as response:
                if response.status != 201:
                    failures.append(response.status)

    before = FormSubmission.objects.count()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    server.terminate()
    close_other_sessions()
    stored = FormSubmission.objects.count() - before
    assert not failures, failures
    return (f"json, {THREADS} threads", per_thread * THREADS / seconds, 0, stored)


def close_other_sessions() -> None:
    """End the sessions the server's request threads left open (the database is dropped next)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def print_table(rows) -> None:
    print(f"consultations_submit: {N} submissions per row after {WARMUP} warm-up submissions")
    print(environment_line())
    print()
    print(f"| {'what':<16} | {'per second':>10} | {'queries':>7} | {'stored':>6} |")
    print("|:-----------------|-----------:|--------:|-------:|")
    for what, per_second, queries, stored in rows:
        if not stored:
            print(f"| {what:<16} | {'-':>10} | {'-':>7} | {'-':>6} | PostgreSQL only")
            continue
        shown_queries = queries or "-"
        print(f"| {what:<16} | {per_second:>10.1f} | {shown_queries:>7} | {stored:>6} |")


def main() -> None:
    setup_django()
    started = time.perf_counter()
    with test_database():
        rows = run()
    print_table(rows)
    print(f"\n(total {time.perf_counter() - started:.0f} s including set-up)")


if __name__ == "__main__":
    main()
