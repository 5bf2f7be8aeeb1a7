"""The accessibility statement: the EU model's structure, its check, the footer link."""

from __future__ import annotations

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils import timezone

from kokreative_wagtail.accessibility.checks import (
    NO_STATEMENT,
    REVIEW_OVERDUE,
    check_accessibility_statements,
    statement_messages,
)
from kokreative_wagtail.accessibility.choices import NonAccessibleReason

from ..consultations.factories import create_consultation_page
from .factories import create_statement

pytestmark = pytest.mark.django_db

EU_MODEL_HEADINGS = [
    "Compliance status",
    "Non-accessible content",
    "Preparation of this accessibility statement",
    "Feedback and contact information",
    "Enforcement procedure",
]


def test_the_statement_follows_the_eu_model(client, site_root):
    form = create_consultation_page(site_root, title="Barriere melden", slug="barriere-melden")
    statement = create_statement(
        site_root,
        feedback_email="barrierefrei@musterstadt.example",
        feedback_page=form,
        reviewed_on=timezone.localdate(),
        parts=[
            ("Ältere PDF-Dokumente sind nicht barrierefrei.", "non_compliance", "Auf Anfrage."),
            ("Videos ohne Untertitel.", "disproportionate_burden", ""),
        ],
    )
    response = client.get("/en" + statement.url)  # English: the msgids, whatever the catalogue
    assert response.status_code == 200
    article = BeautifulSoup(response.content.decode(), "html.parser").select_one(
        "article.kk-accessibility-statement"
    )
    assert [h.get_text() for h in article.select("h2")] == EU_MODEL_HEADINGS
    assert [h.get_text() for h in article.select("h3")] == [
        str(NonAccessibleReason.NON_COMPLIANCE.label),
        str(NonAccessibleReason.DISPROPORTIONATE_BURDEN.label),
    ]
    text = " ".join(article.get_text().split())
    assert "Stadt Musterstadt is committed to making its website accessible" in text
    assert "partially compliant" in text
    assert "Accessible alternative: Auf Anfrage." in text
    assert article.select_one(f"a[href='{form.url}']").get_text() == "Barriere melden"
    assert article.select_one("a[href='mailto:barrierefrei@musterstadt.example']")
    arbitration = article.select_one("address").get_text()
    assert "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz" in arbitration
    assert "Mauerstraße 53" in arbitration
    assert article.select_one("a[href='https://www.schlichtungsstelle-bgg.de']")
    assert len(article.select("time[datetime]")) == 2


def test_the_review_cannot_precede_the_preparation(site_root):
    statement = create_statement(site_root)
    statement.reviewed_on = statement.prepared_on - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        statement.clean()
    assert "reviewed_on" in raised.value.message_dict


def test_the_check_wants_a_current_statement_per_site(site_root):
    assert [m.id for m in statement_messages()] == [NO_STATEMENT]
    statement = create_statement(site_root, age_days=400)
    [message] = statement_messages()
    assert (message.id, message.obj.pk) == (REVIEW_OVERDUE, statement.pk)
    statement.reviewed_on = timezone.localdate()
    statement.save_revision().publish()
    assert statement_messages() == []
    # a database check: a plain ``check`` leaves the database alone
    assert check_accessibility_statements(databases=None) == []


def test_the_footer_link(site_root):
    def link(page=None):
        html = Template(
            "{% load kokreative_accessibility %}{% kokreative_accessibility_statement_link %}"
        ).render(RequestContext(RequestFactory().get("/"), {"page": page}))
        return BeautifulSoup(html, "html.parser").find("a")

    assert link() is None
    statement = create_statement(site_root)
    assert link()["href"] == statement.url
    assert link(statement)["aria-current"] == "page"
