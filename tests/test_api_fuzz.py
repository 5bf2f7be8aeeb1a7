"""Fuzzing our JSON API: schemathesis against the live test server's ``openapi.json``.

Every operation gets a bounded, derandomized number of generated requests; none may answer with
a 5xx, and every answer's status code, content type and body must be among those the schema
documents for it (the schema is complete).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kokreative_wagtail.events.models import EventIndexPage

from .consultation_factories import create_consultation_page
from .factories import add_page
from .offer_factories import create_offer, create_offer_index, default_audiences
from .test_events import add_event

API = "/api/kokreative/v1"
MAX_EXAMPLES = 25
#: No 5xx; every status code, content type and body the schema documents (a complete schema).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_data(programme, elements, site_root):
    offers = create_offer_index(site_root)
    create_offer(
        offers,
        title="Zukunftswerkstatt",
        audiences=list(default_audiences().values())[:1],
        elements=elements[:1],
    )
    events = add_page(site_root, EventIndexPage, title="Termine", slug="termine")
    start = datetime(2026, 1, 8, 16, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    add_event(
        events,
        "Community of Practice",
        start,
        start + timedelta(minutes=90),
        "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH",
    )
    return create_consultation_page(programme)


def test_no_server_errors_and_responses_match_the_schema(live_server, api_data):
    schema = schemathesis.openapi.from_url(f"{live_server.url}{API}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8

    # A browser's session: the CSRF cookie, and its token in the header POSTs need.
    session = requests.Session()
    token = session.get(f"{live_server.url}{API}/consent/status").json()["csrf_token"]
    session.headers["X-CSRFToken"] = token

    for operation in operations:
        # Random ids almost never name the form page: fuzz its own id as well.
        uses_page = any(p.name == "page_id" for p in operation.path_parameters)
        path_choices = [None, {"page_id": api_data.pk}] if uses_page else [None]
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for path_parameters in path_choices:
                strategy = operation.as_strategy(mode, path_parameters=path_parameters)
                try:
                    fuzz(strategy, live_server.url, session)
                except Unsatisfiable:
                    # An operation without parameters or body has no invalid request to make.
                    assert mode == GenerationMode.NEGATIVE


def fuzz(strategy, base_url: str, session: requests.Session) -> None:
    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    def run(case):
        case.call_and_validate(base_url=base_url, session=session, checks=CHECKS)

    run()
