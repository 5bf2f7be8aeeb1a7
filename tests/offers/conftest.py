"""Fixtures of the offers tests."""

from __future__ import annotations

from datetime import datetime
from datetime import timezone as dt_timezone
from types import SimpleNamespace

import pytest
from wagtail.models import PageViewRestriction

from kokreative_wagtail.offers.models import Audience, OfferIndexPage

from .factories import (
    create_offer,
    create_offer_index,
    default_audiences,
)
from .offer_helpers import (
    make_private,
    set_published,
)

# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def audiences(db) -> dict[str, Audience]:
    return default_audiences()


@pytest.fixture
def offer_index(site_root) -> OfferIndexPage:
    return create_offer_index(site_root, intro="<p>Unsere <b>Angebote</b> für euch</p>")


@pytest.fixture
def catalogue(offer_index, audiences, elements):
    """Four live offers with distinct facts, in tree order a, b, c, d.

    Published: c oldest, then a, b, d newest. Alphabetically: b, d, c, a.
    """
    verwaltung, politik, zivil = (
        audiences["verwaltung"],
        audiences["politik"],
        audiences["zivilgesellschaft"],
    )
    culture, space = elements
    a = create_offer(
        offer_index,
        revisions=False,
        title="Workshop Beteiligung",
        kind="training",
        format="on_site",
        teaser="Moderation von Bürgerdialogen in der Kommune",
        audiences=[verwaltung],
        elements=[culture],
    )
    b = create_offer(
        offer_index,
        revisions=False,
        title="Keynote Zukunft",
        kind="inhouse",
        format="online",
        teaser="Ein Impulsvortrag über Stadtentwicklung",
        audiences=[politik],
        elements=[space],
    )
    c = create_offer(
        offer_index,
        revisions=False,
        title="Praxisgemeinschaft",
        kind="community",
        format="hybrid",
        teaser="Austausch unter Kolleginnen",
        body=[("rich_text", "<p>Kollegiale Fallberatung jeden Monat</p>")],
        audiences=[verwaltung, zivil],
        elements=[culture, space],
    )
    d = create_offer(
        offer_index,
        revisions=False,
        title="Onlineschulung Recht",
        kind="training",
        format="online",
        teaser="Grundlagen des Vergaberechts für die Kommune",
        audiences=[zivil],
    )
    for offer, month in ((c, 1), (a, 2), (b, 3), (d, 4)):
        set_published(offer, datetime(2025, month, 1, 9, tzinfo=dt_timezone.utc))
    return SimpleNamespace(a=a, b=b, c=c, d=d, index=offer_index, all=[a, b, c, d])


@pytest.fixture
def hidden_offers(offer_index, elements):
    """Offers no visitor may see: a draft, an unpublished one, two private ones."""
    culture = elements[0]

    def offer(title, teaser, **kwargs):
        return create_offer(
            offer_index, title=title, teaser=teaser, elements=[culture], revisions=False, **kwargs
        )

    draft = offer("Entwurf Geheimkurs", "Verborgenwort Entwurf", publish=False)
    unpublished = offer("Zurückgezogen", "Verborgenwort alt")
    unpublished.unpublish()
    private = offer("Intern Passwort", "Verborgenwort intern")
    make_private(private)
    login_only = offer("Nur Angemeldete", "Verborgenwort Login")
    PageViewRestriction.objects.create(page=login_only, restriction_type=PageViewRestriction.LOGIN)
    return [draft, unpublished, private, login_only]
