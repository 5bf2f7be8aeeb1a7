"""Fuzzing our JSON API: schemathesis against the live test server's ``openapi.json``.

Every operation gets a bounded, derandomized number of generated requests; none may answer with
a 5xx, and every answer's status code, content type and body must be among those the schema
documents for it (the schema is complete). Generated requests are also poisoned with what broke
the demo site (NUL, a lone surrogate, control characters in every string; deeply nested JSON).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
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

from kokreative_wagtail.events.models import EventIndexPage, EventPage

from ..consultations.factories import create_consultation_page
from ..events.factories import add_event
from ..factories import add_page
from ..offers.factories import create_offer, create_offer_index, default_audiences
from ..registrations.factories import create_registration_event

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
    create_registration_event(index=events, seats=3)
    return create_consultation_page(programme)


def page_id_for(operation, api_data) -> int:
    """The page a ``page_id`` of ``operation`` should name: the event taking registrations for
    the events' paths, the form page for the others."""
    if "/events/" in operation.path:
        return EventPage.objects.filter(registration_options__isnull=False).first().pk
    return api_data.pk


def test_no_server_errors_and_responses_match_the_schema(live_server, api_data):
    schema = schemathesis.openapi.from_url(f"{live_server.url}{API}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8

    # A browser's session: the CSRF cookie, and its token in the header POSTs need.
    session = requests.Session()
    token = session.get(f"{live_server.url}{API}/consent/status").json()["csrf_token"]
    session.headers["X-CSRFToken"] = token

    for operation in operations:
        # Random ids almost never name a page: fuzz the form's and the event's ids as well.
        uses_page = any(p.name == "page_id" for p in operation.path_parameters)
        page_id = page_id_for(operation, api_data)
        path_choices = [None, {"page_id": page_id}] if uses_page else [None]
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for path_parameters in path_choices:
                strategy = operation.as_strategy(mode, path_parameters=path_parameters)
                try:
                    fuzz(strategy, live_server.url, session)
                except Unsatisfiable:
                    # An operation without parameters or body has no invalid request to make.
                    assert mode == GenerationMode.NEGATIVE


def fuzz(
    strategy,
    base_url: str,
    session: requests.Session,
    max_examples: int = MAX_EXAMPLES,
    poison: str | None = None,
) -> None:
    @given(case=strategy)
    @settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    def run(case):
        if poison is None:
            case.call_and_validate(base_url=base_url, session=session, checks=CHECKS)
        else:
            send_poisoned(case, poison, base_url, session)

    run()


#: Inserted into every string of a request: what PostgreSQL, exports and e-mails cannot take.
POISON = {"nul": "\x00", "surrogate": "\ud800", "soh": "\x01", "vertical_tab": "\x0b"}
POISON_EXAMPLES = 5
#: Nesting that made ``json.loads`` recurse into a RecursionError (a 500), as raw JSON text.
DEEP_BODIES = ['{"fields":' + "[" * 1000 + "]" * 1000 + ',"token":"x"}', "[" * 50_000]


def poisoned(value: Any, char: str) -> Any:
    """``value`` with ``char`` in the middle of every string, dictionary keys included."""
    if isinstance(value, str):
        middle = len(value) // 2
        return value[:middle] + char + value[middle:]
    if isinstance(value, dict):
        return {poisoned(k, char): poisoned(v, char) for k, v in value.items()}
    if isinstance(value, list):
        return [poisoned(item, char) for item in value]
    return value


def poison_values(value: Any, char: str) -> Any:
    """Like :func:`poisoned`, but the top level's keys stay (the fields the schema names)."""
    if isinstance(value, dict):
        return {key: poisoned(item, char) for key, item in value.items()}
    return poisoned(value, char)


def send_poisoned(case, char: str, base_url: str, session: requests.Session) -> None:
    """Send ``case`` with ``char`` in every string and check the answer against the schema.

    Sent by hand: schemathesis cannot revalidate a body holding a lone surrogate (no UTF-8).
    """
    has_body = isinstance(case.body, (dict, list, str))
    url_char = "" if char == POISON["surrogate"] else char  # a URL cannot carry a surrogate
    response = session.request(
        case.method,
        f"{base_url}{case.formatted_path}",
        params={name: poisoned(value, url_char) for name, value in case.query.items()},
        data=json.dumps(poison_values(case.body, char)) if has_body else None,
        headers={"Content-Type": "application/json"} if has_body else None,
    )
    case.validate_response(response, checks=CHECKS)


def test_poisoned_strings_and_deep_json_are_never_a_server_error(live_server, api_data):
    schema = schemathesis.openapi.from_url(f"{live_server.url}{API}/openapi.json")
    session = requests.Session()
    token = session.get(f"{live_server.url}{API}/consent/status").json()["csrf_token"]
    session.headers["X-CSRFToken"] = token

    poisonable = [
        operation
        for operation in (result.ok() for result in schema.get_all_operations())
        if operation.body or operation.query
    ]
    # elements, offers, occurrences (query); form submissions, consent, registering,
    # looking up, confirming and cancelling a registration (body)
    assert len(poisonable) == 9
    for operation in poisonable:
        uses_page = any(p.name == "page_id" for p in operation.path_parameters)
        path_parameters = {"page_id": page_id_for(operation, api_data)} if uses_page else None
        strategy = operation.as_strategy(GenerationMode.POSITIVE, path_parameters=path_parameters)
        for char in POISON.values():
            fuzz(strategy, live_server.url, session, max_examples=POISON_EXAMPLES, poison=char)
        if not operation.body:
            continue
        for body in DEEP_BODIES:
            case = operation.Case(
                path_parameters=path_parameters, body={}, media_type="application/json"
            )
            response = session.request(
                operation.method.upper(),
                f"{live_server.url}{case.formatted_path}",
                data=body,
                headers={"Content-Type": "application/json"},
            )
            assert response.status_code == 400, response.text
            case.validate_response(response, checks=CHECKS)
