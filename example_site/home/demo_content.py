"""Demo content of the example site, created by code (never by JSON fixtures).

The texts mirror the seed text of the programme ("Die Kokreative Kommune") faithfully; only the
heading "Prozesstrukturen" is spelled "Prozessstrukturen", as in the seed's own element list.
Besides the programme and its element pages, the demo has the offer index "Alle Angebote der
Kokreativen Kommune" below the programme page with the seed's three offers.

``DemoLoader`` is idempotent: what exists already (looked up by slug, title or username) is left
alone, so ``make demo`` can run it on every start without overwriting an editor's changes. With
``reset=True`` existing demo objects are brought back to the state defined here; an object that is
already in that state is not touched (no new revision, no save).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import recurrence
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils.html import escape
from recurrence.fields import RecurrenceField
from wagtail.contrib.forms.utils import get_field_clean_name
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from home.models import HomePage
from kokreative_wagtail.accessibility.choices import (
    ConformityStatus,
    EvaluationMethod,
    NonAccessibleReason,
)
from kokreative_wagtail.accessibility.models import (
    AccessibilityStatementPage,
    EasyLanguagePage,
    NonAccessiblePart,
)
from kokreative_wagtail.consultations.models import ConsultationFormField, ConsultationFormPage
from kokreative_wagtail.events.choices import OnlineLinkVisibility, OverrideAction
from kokreative_wagtail.events.models import EventIndexPage, EventPage, OccurrenceOverride
from kokreative_wagtail.models import Element, ElementPage, KokreativeSettings, ProgrammePage
from kokreative_wagtail.offers.choices import OfferFormat, OfferKind
from kokreative_wagtail.offers.models import Audience, OfferIndexPage, OfferPage
from kokreative_wagtail.registrations.choices import Mode
from kokreative_wagtail.registrations.models import RegistrationField, RegistrationOptions

# --- Where the demo runs -----------------------------------------------------------------------

SITE_NAME = "Kokreative Kommune – Beispielseite"
SITE_HOSTNAME = "127.0.0.1"
SITE_PORT = 8000
SITE_URL = f"http://{SITE_HOSTNAME}:{SITE_PORT}"
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin"  # demo only
ADMIN_EMAIL = "admin@example.org"

# Wagtail's initial page, created by its migrations; replaced by our HomePage.
WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"
WAGTAIL_WELCOME_SLUG = "home"

# The call to action links to the demo's consultation form page. On the very first run the
# programme page exists before its form page, so it points here until the form page is there.
CONSULTATION_URL = "https://example.org/beratung"

# Block ids are derived from this namespace, so the same content always has the same ids and a
# second run can tell that nothing changed.
BLOCK_ID_NAMESPACE = uuid.UUID("6f1c2f4e-8d0b-4a57-9a43-2f6f0e6b1c11")

# --- Texts from the seed -----------------------------------------------------------------------

HOME = {
    "title": "Startseite",
    "slug": "startseite",
    "intro": (
        "<p>Dies ist die Beispielseite von <b>kokreative-wagtail</b>: Seitentypen, Inhaltsblöcke "
        "und eine JSON-API für das Programm „Die Kokreative Kommune“.</p>"
    ),
}

PROGRAMME_TITLE = "Die Kokreative Kommune"
PROGRAMME_SLUG = "die-kokreative-kommune"
AUDIENCE_QUESTION = "Verwaltungsmitarbeitende oder Politiker:in?"
PROGRAMME_INTRO = [
    "Kokreative Kommune bedeute für uns eine veränderte Zusammenarbeit aller Akteur:innen vor Ort "
    "in den Städten und Gemeinden. Wir sind überzeugt, dass wir die anstehenden transformativen "
    "Herausforderungen nur bewältigen können, wenn wir die Art wie wir zusammenarbeiten grundlegen "
    "ändern. Für uns ist Partizipation daher einer Kern- und Zukunftskompetenz jeder Kommune: egal "
    "ob in der Verwaltung, Politik oder Zivilgesellschaft.",
    "Mit unseren Trainings und Workshops helfen wir euch diese Kompetenz und die dafür notwendigen "
    "Strukturen aufzubauen. Gemeinsam entwickeln wir eine neue Haltung.",
]
ELEMENTS_HEADING = "Die Elemente der Kokreativen Kommune"
ELEMENTS_INTRO = (
    "Die Kokreative Kommune begegnet den komplexen Herausforderungen unserer Zeit und bietet "
    "Lösungen für die dysfunktionalen Strukturen in denen wir uns bewegen. Sie baut die "
    "notwendigen Zukunftsstrukturen auf:"
)


@dataclass(frozen=True)
class ElementText:
    name: str
    slug: str
    summary: str
    paragraphs: tuple[str, ...]
    colour: str  # at least 4.5:1 against white, so it also carries white text
    sort_order: int


ELEMENTS = (
    ElementText(
        name="Kultureller Wandel",
        slug="kultureller-wandel",
        summary=(
            "Die Menschen und eine Kultur des Miteinanders stehen beim Gestalten eines "
            "zukunftsfähigen Gemeinwesens im Zentrum."
        ),
        paragraphs=(
            "Gemeinsam mit euch etablieren wir eine transparente, inklusive, produktive und "
            "kreative Kultur des Miteinanders. Wir bauen Fähigkeiten zum Community Organizing, für "
            "offene Kommunikations- und Handlungsformen und eine produktive gemeinschaftliche "
            "Atmosphäre auf. Alles aus unserer Haltung heraus, dass eine kokreative Kultur des "
            "Miteinanders und entsprechende Zukunftsstrukturen unsere Projektideen befördern, "
            "statt sie zu behindern.",
        ),
        colour="#b5361c",
        sort_order=1,
    ),
    ElementText(
        name="Raumstrukturen",
        slug="raumstrukturen",
        summary=(
            "Räume und Orte prägen wie wir arbeiten, uns begegnen und miteinander umgehen. Daher "
            "brauche wir gute Räume."
        ),
        paragraphs=(
            "Wir gestalten kommunale Räume für Kokreation und deren Ausstattung: Stadtwerkstätten, "
            "Labs, Inkubatoren, Pop-Ups u.v.m. Wir schaffen virtuelle Räume der Zusammenarbeit.",
            "Wir trainieren Kompetenzen, in Hosting, Kokreation und Facilitation von Design-, "
            "Planungs- und Projektarbeit.",
        ),
        colour="#1d6f42",
        sort_order=2,
    ),
    ElementText(
        name="Prozessstrukturen",
        slug="prozessstrukturen",
        summary=(
            "Für das beste Ergebnis haben wir immer den bestmöglichen Prozess vor Augen. "
            "Verfahren, Formate, Methoden: Ein abgestimmter Prozess bestimmt unser Ergebnis."
        ),
        paragraphs=(
            "Wir entwickeln passgenaue Verfahren und Formate. Wir berücksichtigen den gesamten "
            "Prozess und seine Dynamik von der ersten Konzeption bis zur Verstetigung der "
            "Ergebnisse.",
            "Wir schulen Prozessverständnis und Kompetenzen zur Prozessbegleitung. Unseren "
            "methodischen Werkzeugkoffer vermitteln wir allen lokalen Akteur:innen.",
        ),
        colour="#1d5e8c",
        sort_order=3,
    ),
    ElementText(
        name="Governancestrukturen",
        slug="governancestrukturen",
        summary=(
            "Schlechte Governance kann vieles verhindern, gute dagegen ermöglichen. Regeln, "
            "Entscheidungswege und Schnittstellen entscheiden über das Gelingen von Ideen."
        ),
        paragraphs=(
            "Wir entwickeln und transformieren Organisationen, Institution, Satzungen, "
            "Geschäftsordnungen und Verfahrensregeln, in dem wir ihre Codes neu schreiben.",
            "Wir vermitteln Kompetenzen in OE, Abstimmungs- und Entscheidungsmodelle und "
            "trainieren das Gestalten von Regeln, Abläufen und Schnittstellen für die "
            "Projektarbeit.",
        ),
        colour="#6b3fa0",
        sort_order=4,
    ),
)

# The site's privacy policy: the forms' consent and the consent banner link to it
# (Settings → Kokreative Kommune). An example page of the site's own page type.
PRIVACY = {
    "title": "Datenschutzerklärung",
    "slug": "datenschutz",
    "intro": (
        "<p>Dies ist die Datenschutzerklärung der Beispielseite. Eine Kommune setzt hier ihre "
        "eigene ein: wer verantwortlich ist, welche Daten die Beratungsformulare speichern und "
        "wie lange (Einstellungen → Einstellungen Kokreative Kommune → Aufbewahrungsdauer), an "
        "wen Benachrichtigungen gehen und welche Cookies nur mit eurer Einwilligung gesetzt "
        "werden (Cookie-Einstellungen im Fußbereich jeder Seite).</p>"
        "<p>Die Einwilligungen werden pseudonym nachgewiesen: ohne IP-Adresse, ohne "
        "Browserkennung, ohne Bezug zu einem Konto.</p>"
    ),
}

# A video behind the consent banner (two-click solution) on the element page "Raumstrukturen";
# only with kokreative_wagtail.consent installed. Before consent for "Externe Medien" the page
# shows a placeholder and the browser contacts no YouTube server.
EMBED_PAGE_SLUG = "raumstrukturen"
EMBED = {
    "url": "https://www.youtube.com/watch?v=jNQXAC9IVRw",
    "title": "Beispielvideo: ein eingebettetes YouTube-Video",
    "provider_name": "",
    "privacy_url": "",
    "group": "external_media",
    "caption": "Das Video lädt erst nach der Einwilligung in „Externe Medien“.",
}

PARTICIPATION_HEADING = "Partizipation: Neue Kernkompetenz der Kommunen"
PARTICIPATION_PARAGRAPHS = (
    "Die Durchführung von inklusiven Partizipations- und Beteiligungsprozess gelingt nur, wenn die "
    "Kommunen selbst die Kompetenzen, Strukturen und Technologien dafür aufbauen.",
    "Wenn sie das Wissen, die Erfahrungen und Methoden durch eigene vorhandene bzw. neu "
    "eingestellte Mitarbeiter:innen besitzen und dabei gleichzeitig die Abhängigkeit zu externen "
    "Dienstleistern deutlich reduzieren. Partizipation soll in der Verwaltung zu einer neuen "
    "Kernkompetenz werden, die nicht externalisiert werden muss.",
    "Vor diesem Hintergrund setzen wir auf einen Befähigungsansatz, der Kommunen, Städte und "
    "Gemeinden in die Lage versetzt, die dringend notwendigen Beteiligungsprozesse selbst "
    "erfolgreich durchzuführen. Mit der Kokreativen Kommunen möchten wir zeigen wie Partizipation "
    "als Kompetenz in kommunalen Verwaltungen institutionalisiert wird.",
)
CTA_HEADING = "Seht Ihr diesen Kompetenzbedarf auch in eurer Kommune?"
CTA_LINK_LABEL = "Vereinbart ein Beratungsgespräch!"

OFFERS_HEADING = "Unsere Angebote"
OFFER_INDEX_TITLE = "Alle Angebote der Kokreativen Kommune"
OFFER_INDEX_SLUG = "angebote"
OFFER_INDEX_INTRO = "Hier siehst Du alle Angebote, die Teil der Kokreativen Kommune sind."

# The audiences migration 0002 of the offers app creates in the default language (slugs fixed;
# names translated, so German here). The loader only creates one an editor has deleted, and
# restores names and order with ``reset``.
AUDIENCES = (
    ("verwaltung", "Verwaltung", 1),
    ("politik", "Politik", 2),
    ("zivilgesellschaft", "Zivilgesellschaft", 3),
)


@dataclass(frozen=True)
class OfferText:
    title: str
    slug: str
    text: str  # the seed's paragraph: the body; its first two sentences are the teaser
    kind: str
    format: str
    audiences: tuple[str, ...]  # audience slugs
    elements: tuple[str, ...]  # element slugs
    duration: str = ""
    with_image: bool = False  # the elements chart as teaser image
    easy_language: str = ""  # the summary in Leichte Sprache, one sentence per line


OFFERS = (
    OfferText(
        title="Trainings und Workshops",
        slug="trainings-und-workshops",
        text=(
            "Ihr seid dabei Beteiligungs- und Partizipationsverfahren zunehmend in eurem "
            "Verwaltungsalltag zu implementieren? Wir helfen euch dabei die notwendigen "
            "Kompetenzen auf Seiten von Verwaltung und Politik aufzubauen. Dabei schulen und "
            "trainieren wir kleine und große Gruppen in allen Aspekten kommunaler Partizipation: "
            "von der richtigen Ausschreibung über Konzeption, Prozessgestaltung, Durchführung und "
            "Nachbereitung bis zur Implementierung der Ergebnisse. Wir bauen Eure "
            "Partizipationskompetenz auf."
        ),
        kind=OfferKind.TRAINING,
        format=OfferFormat.HYBRID,
        audiences=("verwaltung", "politik"),
        elements=("kultureller-wandel", "prozessstrukturen"),
        easy_language=(
            "Sie arbeiten in einer Verwaltung oder in der Politik?\n"
            "Sie wollen die Menschen in Ihrer Kommune mehr beteiligen?\n"
            "Dann lernen Sie bei uns, wie das geht.\n"
            "Wir üben mit kleinen und mit großen Gruppen.\n"
            "Sie lernen alle Schritte:\n"
            "vom Planen bis zum Ergebnis."
        ),
    ),
    OfferText(
        title="Inhouse und Keynotes",
        slug="inhouse-und-keynotes",
        text=(
            "Ihr benötigt ganz gezielte Fortbildungen und Trainings für Dich und Dein Team? Der "
            "Aufbau von Kompetenzen soll in Eurer Verwaltung weiter in den Mittelpunkt gestellt "
            "werden? Vielleicht willst Du einfach auch nur Menschen begeistern, aufrütteln und "
            "inspirieren und suchst nach außergewöhnlichen Inhalten für Vorträge, Keynotes und "
            "Transformationsevents? Dann nehmt zu uns Kontakt auf und lasst Euch über deine "
            "Möglichkeiten informieren."
        ),
        kind=OfferKind.INHOUSE,
        format=OfferFormat.ON_SITE,
        audiences=("verwaltung", "politik"),
        elements=("kultureller-wandel",),
        easy_language=(
            "Wir kommen zu Ihnen in die Verwaltung.\n"
            "Dort lernen Sie und Ihr Team zusammen.\n"
            "Wir halten auch Vorträge.\n"
            "Die Vorträge machen Mut für Veränderungen.\n"
            "Schreiben Sie uns.\n"
            "Dann sprechen wir über Ihre Wünsche."
        ),
    ),
    OfferText(
        title="Community of Practice",
        slug="community-of-practice",
        text=(
            "Ihr seid auf der Suche nach Austausch mit weiteren Verwaltungsmitarbeitenden und "
            "Politiker:innen, die sich für zukunftsfähige Kommunen, Städte und Regionen "
            "engagieren und diese kokreativ gestalten wollen? Dann werde Teil unsere Community of "
            "Practice! In unserer Lern- und Handlungsgemeinschaft bringen wir Menschen aus "
            "verschiedenen Städten und Kommunen zusammen. Gemeinsam besprechen wir Modelle, "
            "Methoden und Fallbeispiele aus unserem Arbeitsalltag und tauchen in die einzelnen "
            "Elemente der Kokreativen Kommune ein."
        ),
        kind=OfferKind.COMMUNITY,
        format=OfferFormat.ONLINE,
        audiences=("verwaltung", "politik", "zivilgesellschaft"),
        # "tauchen in die einzelnen Elemente der Kokreativen Kommune ein": all four.
        elements=(
            "kultureller-wandel",
            "raumstrukturen",
            "prozessstrukturen",
            "governancestrukturen",
        ),
        # The seed's event listing: "alle vier Wochen Donnerstags 16:30-18:00".
        duration="alle vier Wochen donnerstags, 16:30–18:00 Uhr",
        with_image=True,
        easy_language=(
            "Die Community of Practice ist eine Gruppe.\n"
            "In der Gruppe sind Menschen aus vielen Kommunen.\n"
            "Sie arbeiten in der Verwaltung oder in der Politik.\n"
            "Oder sie machen in ihrer Kommune mit.\n"
            "Die Gruppe trifft sich alle 4 Wochen im Internet.\n"
            "Immer am Donnerstag von 16:30 Uhr bis 18 Uhr.\n"
            "Dort lernen alle voneinander."
        ),
    ),
)

# The offer-list block of the programme page: the three latest offers, whatever their kind.
OFFER_LIST = {
    "heading": OFFERS_HEADING,
    "mode": "latest",
    "offers": [],
    "kind": "",
    "element": None,
    "count": 3,
}

IMAGE_TITLE = "Schaubild: Die vier Elemente der Kokreativen Kommune"
IMAGE_FILENAME = "kokreative-kommune-elemente.png"
IMAGE_ALT_TEXT = (
    "Vier farbige Felder mit den Namen der Elemente der Kokreativen Kommune: Kultureller Wandel, "
    "Raumstrukturen, Prozessstrukturen und Governancestrukturen."
)
IMAGE_CAPTION = "Die vier Elemente bauen die Zukunftsstrukturen einer Kokreativen Kommune auf."


# --- Events (the seed's event listing) ---------------------------------------------------------

EVENT_ZONE = "Europe/Berlin"
BERLIN = ZoneInfo(EVENT_ZONE)

EVENT_INDEX_TITLE = "Termine"
EVENT_INDEX_SLUG = "termine"
EVENT_INDEX_INTRO = (
    "Hier findet Ihr die nächsten Termine der Kokreativen Kommune: Infosalons und die Treffen "
    "unserer Community of Practice."
)


@dataclass(frozen=True)
class OverrideText:
    original_start: datetime  # aware, in the event's zone
    action: str
    note: str


@dataclass(frozen=True)
class FieldText:
    label: str
    field_type: str
    required: bool = True
    help_text: str = ""
    choices: tuple[str, ...] = ()  # "ELEMENTS" stands for the names of the four elements


@dataclass(frozen=True)
class RegistrationText:
    """Registration on the event page (registrations app)."""

    mode: str
    seats: int
    consent_text: str
    extra_fields: tuple[FieldText, ...] = ()


@dataclass(frozen=True)
class EventText:
    title: str
    slug: str
    teaser: str
    start: datetime  # aware wall time in EVENT_ZONE
    end: datetime
    recurrence: str  # django-recurrence text; "" for a one-off event
    location_name: str
    elements: tuple[str, ...]  # element slugs
    offer: str = ""  # slug of the related offer page
    overrides: tuple[OverrideText, ...] = ()
    registration: RegistrationText | None = None


EVENTS = (
    # Seed: "Infosalon September – 2022 / 15. September 2022 16:30-17:30".
    EventText(
        title="Infosalon September 2022",
        slug="infosalon-september-2022",
        teaser=(
            "Im Infosalon stellen wir die Kokreative Kommune vor: ihre vier Elemente, unsere "
            "Angebote und wie Eure Kommune Partizipation als Kernkompetenz aufbauen kann. Mit "
            "Zeit für Eure Fragen."
        ),
        start=datetime(2022, 9, 15, 16, 30, tzinfo=BERLIN),
        end=datetime(2022, 9, 15, 17, 30, tzinfo=BERLIN),
        recurrence="",
        location_name="Online (Videokonferenz)",
        elements=(
            "kultureller-wandel",
            "raumstrukturen",
            "prozessstrukturen",
            "governancestrukturen",
        ),
    ),
    # Seed: "Community of Practice / alle vier Wochen Donnerstags 16:30-18:00". A fixed first
    # Thursday keeps the demo the same on every machine and day; the series has no end.
    EventText(
        title="Community of Practice",
        slug="community-of-practice",
        teaser=(
            "Alle vier Wochen donnerstags treffen sich Verwaltungsmitarbeitende und "
            "Politiker:innen aus verschiedenen Kommunen online zum Austausch über Modelle, "
            "Methoden und Fallbeispiele der Kokreativen Kommune."
        ),
        start=datetime(2026, 1, 8, 16, 30, tzinfo=BERLIN),
        end=datetime(2026, 1, 8, 18, 0, tzinfo=BERLIN),
        recurrence="RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH",
        location_name="Online (Videokonferenz)",
        elements=(
            "kultureller-wandel",
            "raumstrukturen",
            "prozessstrukturen",
            "governancestrukturen",
        ),
        offer="community-of-practice",
        # 2027-01-07 is the 27th meeting (26 × 4 weeks after 2026-01-08).
        overrides=(
            OverrideText(
                original_start=datetime(2027, 1, 7, 16, 30, tzinfo=BERLIN),
                action=OverrideAction.CANCEL,
                note="Fällt aus – Winterpause. Wir sehen uns am 4. Februar wieder.",
            ),
        ),
        # Seed: "Dann werde Teil unserer Community of Practice!": one registration for the series.
        registration=RegistrationText(
            mode=Mode.SERIES,
            seats=40,
            consent_text=(
                "Ich bin einverstanden, dass meine Angaben gespeichert und verarbeitet werden, um "
                "mich zu den Treffen der Community of Practice einzuladen."
            ),
            extra_fields=(
                FieldText(
                    "Ich bin …",
                    "radio",
                    required=False,
                    choices=(
                        "Verwaltungsmitarbeitende:r",
                        "Politiker:in",
                        "in der Zivilgesellschaft aktiv",
                    ),
                ),
            ),
        ),
    ),
)


# --- Helpers -----------------------------------------------------------------------------------


def paragraphs_html(paragraphs) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)


def first_sentences(text: str, count: int = 2) -> str:
    """The first ``count`` sentences of ``text`` (a teaser)."""
    return " ".join(re.split(r"(?<=[.?!])\s+", text.strip())[:count])


def block_id(*parts: object) -> str:
    return str(uuid.uuid5(BLOCK_ID_NAMESPACE, ":".join(str(part) for part in parts)))


def elements_png(width: int = 1200, height: int = 600) -> bytes:
    """A 2x2 chart of the four elements, each tile in the element's colour with its name."""
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    try:
        font = ImageFont.load_default(size=44)
    except TypeError:  # Pillow < 10.1 has no scalable default font
        font = ImageFont.load_default()
    canvas = PILImage.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(canvas)
    tile_w, tile_h, gap = width // 2, height // 2, 8
    for index, element in enumerate(ELEMENTS):
        left, top = (index % 2) * tile_w, (index // 2) * tile_h
        box = (left + gap, top + gap, left + tile_w - gap, top + tile_h - gap)
        draw.rectangle(box, fill=element.colour)
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        draw.text(centre, element.name, fill="#ffffff", font=font, anchor="mm")
    buffer = BytesIO()
    canvas.save(buffer, format="PNG")
    return buffer.getvalue()


def _child_values(item: models.Model) -> tuple:
    """The content of an inline child object (no id, parent, sort order or translation ids)."""
    skip = {"id", "page", "sort_order", "translation_key", "locale"}
    return tuple(
        (f.name, getattr(item, f.attname)) for f in item._meta.concrete_fields if f.name not in skip
    )


def _comparable(model_field: models.Field, value):
    if isinstance(model_field, models.ManyToOneRel):  # inline children (ParentalKey)
        items = value.all() if hasattr(value, "all") else value
        return sorted(_child_values(item) for item in items)
    if isinstance(model_field, RecurrenceField):
        return recurrence.serialize(value) if value else ""
    if isinstance(model_field, models.ManyToManyField):  # also modelcluster's ParentalManyToMany
        items = value.all() if hasattr(value, "all") else value
        return sorted(item.pk if isinstance(item, models.Model) else item for item in items)
    if isinstance(model_field, StreamField):
        prepared = model_field.get_prep_value(model_field.to_python(value))
        return json.dumps(prepared, cls=DjangoJSONEncoder, sort_keys=True)
    if isinstance(model_field, models.ForeignKey):
        return value.pk if isinstance(value, models.Model) else value
    return value


def changed_fields(instance: models.Model, values: dict) -> list[str]:
    """Names of the fields in ``values`` whose value differs from the instance's."""
    changed = []
    for name, wanted in values.items():
        model_field = instance._meta.get_field(name)
        if isinstance(model_field, models.ForeignKey):
            current = getattr(instance, model_field.attname)
        else:
            current = getattr(instance, name)
        if _comparable(model_field, current) != _comparable(model_field, wanted):
            changed.append(name)
    return changed


# --- Forms (kokreative_wagtail.consultations) --------------------------------------------------


@dataclass(frozen=True)
class FormText:
    title: str
    slug: str
    intro: tuple[str, ...]
    fields: tuple[FieldText, ...]
    consent_text: str
    submit_label: str
    thank_you: str
    to_address: str
    confirmation_subject: str
    confirmation_text: str


ELEMENT_CHOICES = "ELEMENTS"

FORMS = (
    # Seed: "Seht Ihr diesen Kompetenzbedarf auch in eurer Kommune? Vereinbart ein
    # Beratungsgespräch!" The fields are the page type's default set, in German.
    FormText(
        title="Beratungsgespräch vereinbaren",
        slug="beratungsgespraech",
        intro=(
            "Seht Ihr diesen Kompetenzbedarf auch in eurer Kommune? Vereinbart ein "
            "Beratungsgespräch!",
            "Mit unseren Trainings und Workshops helfen wir euch diese Kompetenz und die dafür "
            "notwendigen Strukturen aufzubauen. Erzählt uns kurz, worum es geht, und wir melden "
            "uns für einen Termin.",
        ),
        fields=(
            FieldText("Name", "singleline"),
            FieldText("Kommune / Organisation", "singleline"),
            FieldText(
                "Funktion",
                "singleline",
                required=False,
                help_text="Zum Beispiel Verwaltung, Politik oder Zivilgesellschaft.",
            ),
            FieldText("E-Mail", "email"),
            FieldText("Telefon", "singleline", required=False),
            FieldText(
                "Thema", "dropdown", required=False, choices=(ELEMENT_CHOICES, "Etwas anderes")
            ),
            FieldText("Eure Nachricht", "multiline"),
            FieldText(
                "Wunschtermin",
                "singleline",
                required=False,
                help_text="Zum Beispiel „dienstags vormittags“ oder ein Datum.",
            ),
        ),
        consent_text=(
            "Ich bin einverstanden, dass meine Angaben gespeichert und verarbeitet werden, um "
            "meine Anfrage zu beantworten."
        ),
        submit_label="Beratungsgespräch anfragen",
        thank_you=(
            "Danke für Eure Anfrage! Wir melden uns in den nächsten Tagen bei Euch, um einen "
            "Termin für das Beratungsgespräch zu vereinbaren."
        ),
        to_address="beratung@example.org",
        confirmation_subject="Eure Anfrage an die Kokreative Kommune",
        confirmation_text=(
            "Danke für Eure Anfrage! Wir melden uns in den nächsten Tagen bei Euch.\n\n"
            "Das Team der Kokreativen Kommune"
        ),
    ),
    # Seed: the Community of Practice, "alle vier Wochen Donnerstags 16:30-18:00".
    FormText(
        title="Anmeldung zur Community of Practice",
        slug="community-of-practice-anmeldung",
        intro=(
            "Ihr seid auf der Suche nach Austausch mit weiteren Verwaltungsmitarbeitenden und "
            "Politiker:innen, die sich für zukunftsfähige Kommunen, Städte und Regionen "
            "engagieren und diese kokreativ gestalten wollen? Dann werde Teil unsere Community of "
            "Practice!",
            "Wir treffen uns alle vier Wochen donnerstags von 16:30 bis 18:00 Uhr online. Meldet "
            "Euch an, dann schicken wir Euch die Einladung zum nächsten Treffen.",
        ),
        fields=(
            FieldText("Name", "singleline"),
            FieldText("Kommune / Organisation", "singleline"),
            FieldText("E-Mail", "email"),
            FieldText(
                "Ich bin …",
                "radio",
                required=False,
                choices=(
                    "Verwaltungsmitarbeitende:r",
                    "Politiker:in",
                    "in der Zivilgesellschaft aktiv",
                ),
            ),
            FieldText(
                "Welche Elemente interessieren Euch besonders?",
                "checkboxes",
                required=False,
                choices=(ELEMENT_CHOICES,),
            ),
            FieldText("Möchtet Ihr uns noch etwas mitteilen?", "multiline", required=False),
        ),
        consent_text=(
            "Ich bin einverstanden, dass meine Angaben gespeichert und verarbeitet werden, um "
            "mich zu den Treffen der Community of Practice einzuladen."
        ),
        submit_label="Anmelden",
        thank_you=(
            "Danke für Eure Anmeldung! Wir schicken Euch die Einladung zum nächsten Treffen der "
            "Community of Practice."
        ),
        to_address="community@example.org",
        confirmation_subject="Eure Anmeldung zur Community of Practice",
        confirmation_text=(
            "Danke für Eure Anmeldung! Die Einladung zum nächsten Treffen kommt per E-Mail.\n\n"
            "Das Team der Kokreativen Kommune"
        ),
    ),
)


# --- Accessibility (kokreative_wagtail.accessibility) ------------------------------------------

#: Where reports of barriers go; editors change it on the form page ("Barriere melden").
BARRIER_REPORT_ADDRESS = "barrierefreiheit@example.org"

BARRIER_FORM = FormText(
    title="Barriere melden",
    slug="barriere-melden",
    intro=(
        "Ihr seid auf dieser Website auf eine Barriere gestoßen, oder Ihr braucht einen Inhalt "
        "in einer barrierefreien Form? Schreibt uns, wir antworten innerhalb von zwei Wochen.",
    ),
    fields=(
        FieldText("Name", "singleline", required=False),
        FieldText("E-Mail", "email"),
        FieldText(
            "Auf welcher Seite?",
            "singleline",
            required=False,
            help_text="Die Adresse oder der Titel der Seite.",
        ),
        FieldText("Was funktioniert nicht?", "multiline"),
        FieldText(
            "In welcher Form braucht Ihr den Inhalt?",
            "singleline",
            required=False,
            help_text="Zum Beispiel als Text, in Leichter Sprache oder in Gebärdensprache.",
        ),
    ),
    consent_text=(
        "Ich bin einverstanden, dass meine Angaben gespeichert und verarbeitet werden, um meine "
        "Meldung zu beantworten."
    ),
    submit_label="Barriere melden",
    thank_you=(
        "Danke für Eure Meldung! Wir prüfen die Barriere und melden uns innerhalb von zwei "
        "Wochen bei Euch."
    ),
    to_address=BARRIER_REPORT_ADDRESS,
    confirmation_subject="Eure Meldung einer Barriere",
    confirmation_text=(
        "Danke für Eure Meldung! Wir melden uns innerhalb von zwei Wochen bei Euch.\n\n"
        "Das Team der Kokreativen Kommune"
    ),
)

STATEMENT_SLUG = "barrierefreiheit"
STATEMENT = {
    "title": "Erklärung zur Barrierefreiheit",
    "body_name": "Die Kokreative Kommune",
    "conformity_status": ConformityStatus.PARTIAL,
    "evaluation_method": EvaluationMethod.SELF_EVALUATION,
    "evaluation_details": (
        "Wir haben die Seiten selbst geprüft: mit dem Prüfwerkzeug axe-core (WCAG 2.2, Stufe AA), "
        "nur mit der Tastatur und mit einem Screenreader."
    ),
    "feedback_email": BARRIER_REPORT_ADDRESS,
    "show_in_menus": False,
}
NON_ACCESSIBLE_PARTS = (
    (
        "Das eingebettete Video auf der Seite „Raumstrukturen“ hat keine deutschen Untertitel "
        "und keine Übersetzung in Deutsche Gebärdensprache.",
        NonAccessibleReason.NON_COMPLIANCE,
        "Den Inhalt des Videos schicken wir Euch auf Anfrage als Text.",
    ),
)

EASY_LANGUAGE_TITLE = "Leichte Sprache"
EASY_LANGUAGE_SLUG = "leichte-sprache"
EASY_LANGUAGE_INTRO = (
    "Hier erklären wir diese Internet-Seite in Leichter Sprache.\n"
    "Die Internet-Seite heißt: Die Kokreative Kommune."
)
EASY_LANGUAGE_PICTURE_ALT = "Ein Bild mit 4 bunten Feldern. Auf jedem Feld steht ein Element."
#: (heading, sentences) of the start page: what the site contains, how to find one's way, where
#: the accessibility statement is (BITV 2.0 § 4).
EASY_LANGUAGE_SECTIONS = (
    (
        "Was ist die Kokreative Kommune?",
        "Die Kokreative Kommune ist ein Programm für Kommunen.\n"
        "Kommunen sind Städte und Gemeinden.\n"
        "In einer Kommune arbeiten viele Menschen:\n"
        "in der Verwaltung,\n"
        "in der Politik\n"
        "und die Menschen, die dort wohnen.\n"
        "\n"
        "Alle sollen zusammen ihre Kommune gestalten.\n"
        "Das heißt: Beteiligung.\n"
        "Wir helfen dabei.\n"
        "Zum Beispiel mit Trainings und Workshops.",
    ),
    (
        "Was gibt es auf dieser Internet-Seite?",
        "Es gibt 4 Elemente.\n"
        "Ein Element ist ein Thema.\n"
        "Zum Beispiel: Kultureller Wandel.\n"
        "Zu jedem Element gibt es eine eigene Seite.\n"
        "\n"
        "Es gibt Angebote.\n"
        "Zum Beispiel Trainings und Workshops.\n"
        "\n"
        "Es gibt Termine.\n"
        "Dort stehen die nächsten Treffen.\n"
        "\n"
        "Es gibt ein Formular.\n"
        "Damit können Sie ein Beratungs-Gespräch vereinbaren.",
    ),
    (
        "So finden Sie sich zurecht",
        "Oben auf jeder Seite ist das Menü.\n"
        "Dort finden Sie die wichtigen Seiten.\n"
        "Oben steht auch der Link: Leichte Sprache.\n"
        "Damit kommen Sie immer zu dieser Seite zurück.\n"
        "Mit der Tab-Taste kommen Sie von Link zu Link.\n"
        "Die Internet-Seite gibt es auch auf Englisch.",
    ),
    (
        "Barriere-Freiheit",
        "Alle Menschen sollen diese Internet-Seite benutzen können.\n"
        "Das heißt: Barriere-Freiheit.\n"
        "Unten auf jeder Seite ist der Link: Erklärung zur Barriere-Freiheit.\n"
        "Dort steht: Was auf der Seite noch nicht barriere-frei ist.\n"
        "\n"
        "Haben Sie ein Problem mit der Internet-Seite?\n"
        "Dann schreiben Sie uns.\n"
        "Dafür gibt es das Formular: Barriere melden.",
    ),
)
EASY_LANGUAGE_PICTURE_TEXT = (
    "Auf dem Bild sehen Sie die 4 Elemente.\nJedes Element hat eine eigene Farbe."
)


# --- The loader --------------------------------------------------------------------------------


class DemoLoader:
    """Creates (or with ``reset``, restores) the demo content; ``log`` receives one line a step."""

    CREATED, UPDATED, UNCHANGED, KEPT = "angelegt", "aktualisiert", "unverändert", "vorhanden"

    def __init__(self, log: Callable[[str], None] = print, reset: bool = False):
        self.log = log
        self.reset = reset
        self.admin_password_known = False
        self.created_pks: set[int] = set()  # pages this run created (not yet seen by editors)

    @transaction.atomic
    def run(self) -> ProgrammePage:
        self.locale = Locale.get_default()
        home = self.ensure_home()
        privacy = self.ensure_privacy(home)
        elements = self.ensure_elements()
        image = self.ensure_image()
        audiences = self.ensure_audiences()
        programme = self.ensure_programme(home, image)
        element_pages = self.ensure_element_pages(programme, elements)
        offer_index = self.ensure_offer_index(programme)
        offers = self.ensure_offers(offer_index, elements, audiences, image)
        self.event_index = self.ensure_event_index(programme)
        events = self.ensure_events(self.event_index, elements, offers)
        forms = self.ensure_forms(programme, elements)
        self.link_consultation(programme, image, offers)
        self.ensure_english(
            [
                *elements,
                *audiences.values(),
                home,
                privacy,
                programme,
                *element_pages,
                offer_index,
                *offers,
                self.event_index,
                *events,
                *forms,
            ]
        )
        # after the translations, so the ids of the pages above stay those the docs show
        self.ensure_accessibility(home, image, elements)
        self.ensure_admin()
        return programme

    def ensure_english(self, objects: list) -> None:
        """English translations of ``objects`` (in order) through wagtail-localize, when the
        site has it and English; without it the demo stays German only."""
        if not apps.is_installed("wagtail_localize"):
            return
        from home.demo_translations import DemoTranslator, english_wanted

        if english_wanted():
            DemoTranslator(self.log, self.reset).translate_all(objects)

    # Site and home page

    def ensure_home(self) -> HomePage:
        site = Site.objects.filter(is_default_site=True).first()
        home = None
        if site is not None and site.root_page.specific_class is HomePage:
            home = site.root_page.specific
        if home is None:
            home = HomePage.objects.filter(depth=2, slug=HOME["slug"]).first()
        values = {"title": HOME["title"], "intro": HOME["intro"]}
        if home is None:
            home = HomePage(slug=HOME["slug"], **values)
            Page.get_first_root_node().add_child(instance=home)
            home.save_revision().publish()
            self.log(f"Startseite „{home.title}“: {self.CREATED}")
        else:
            self._update_page(home, values, f"Startseite „{home.title}“")

        self.ensure_site(site, home)
        self.remove_welcome_page()
        return home

    def ensure_privacy(self, home: HomePage) -> HomePage:
        """The privacy page, and the site setting pointing to it when none is chosen yet."""
        values = {"title": PRIVACY["title"], "intro": PRIVACY["intro"], "show_in_menus": False}
        page = self._ensure_child(home, HomePage, PRIVACY["slug"], values, "Datenschutzseite")
        site = Site.objects.get(is_default_site=True)
        settings = KokreativeSettings.for_site(site)
        if settings.privacy_page_id is None:
            settings.privacy_page = page
            settings.save()
            self.log(f"Einstellungen: Datenschutzseite „{page.title}“ gewählt")
        return page

    def ensure_site(self, site: Site | None, home: HomePage) -> Site:
        if site is None:
            site = Site.objects.create(
                hostname=SITE_HOSTNAME,
                port=SITE_PORT,
                root_page=home,
                is_default_site=True,
                site_name=SITE_NAME,
            )
            self.log(f"Website {SITE_URL}/: {self.CREATED}")
            return site
        changed = {}
        if site.root_page_id != home.pk:
            changed["root_page_id"] = home.pk
        # The name is set when the site gets our home page, and restored by a reset only.
        if site.site_name != SITE_NAME and (
            self.reset or not site.site_name or "root_page_id" in changed
        ):
            changed["site_name"] = SITE_NAME
        # Wagtail's default localhost:80 becomes the address runserver listens on, so links
        # from the admin ("view live") work; a hostname someone chose is left alone.
        taken = (
            Site.objects.filter(hostname=SITE_HOSTNAME, port=SITE_PORT).exclude(pk=site.pk).exists()
        )
        if (site.hostname, site.port) == ("localhost", 80) and not taken:
            changed.update(hostname=SITE_HOSTNAME, port=SITE_PORT)
        if changed:
            for name, value in changed.items():
                setattr(site, name, value)
            site.save()
            self.log(f"Website {site.root_url}/: {self.UPDATED}")
        else:
            self.log(f"Website {site.root_url}/: {self.UNCHANGED}")
        return site

    def remove_welcome_page(self) -> None:
        """Delete Wagtail's initial welcome page, but only while nobody has touched it."""
        candidates = Page.objects.filter(
            depth=2, slug=WAGTAIL_WELCOME_SLUG, title=WAGTAIL_WELCOME_TITLE, numchild=0
        )
        for page in candidates:
            untouched = (
                page.specific_class is Page
                and page.latest_revision_id is None
                and not Site.objects.filter(root_page=page).exists()
            )
            if untouched:
                page.delete()
                self.log(f"Wagtails Willkommensseite „{WAGTAIL_WELCOME_TITLE}“: gelöscht")

    # Elements

    def ensure_elements(self) -> list[Element]:
        result = []
        for text in ELEMENTS:
            values = {
                "name": text.name,
                "summary": text.summary,
                "description": paragraphs_html(text.paragraphs),
                "colour": text.colour,
                "sort_order": text.sort_order,
            }
            element = Element.objects.filter(slug=text.slug, locale=self.locale).first()
            if element is None:
                element = Element(slug=text.slug, locale=self.locale, **values)
                element.full_clean()
                element.save()
                status = self.CREATED
            elif not self.reset:
                status = self.KEPT
            elif changed_fields(element, values):
                for name, value in values.items():
                    setattr(element, name, value)
                element.full_clean()
                element.save()
                status = self.UPDATED
            else:
                status = self.UNCHANGED
            self.log(f"Element „{element.name}“: {status}")
            result.append(element)
        return result

    # Audiences of offers

    def ensure_audiences(self) -> dict[str, Audience]:
        result = {}
        for slug, name, sort_order in AUDIENCES:
            values = {"name": name, "sort_order": sort_order}
            audience = Audience.objects.filter(slug=slug, locale=self.locale).first()
            if audience is None:
                audience = Audience(slug=slug, locale=self.locale, **values)
                audience.full_clean()
                audience.save()
                status = self.CREATED
            elif not self.reset:
                status = self.KEPT
            elif changed_fields(audience, values):
                for field, value in values.items():
                    setattr(audience, field, value)
                audience.full_clean()
                audience.save()
                status = self.UPDATED
            else:
                status = self.UNCHANGED
            self.log(f"Zielgruppe „{audience.name}“: {status}")
            result[slug] = audience
        return result

    # Image

    def ensure_image(self):
        image_model = get_image_model()
        image = image_model.objects.filter(title=IMAGE_TITLE).order_by("pk").first()
        has_description = any(f.name == "description" for f in image_model._meta.get_fields())
        if image is None:
            image = image_model(title=IMAGE_TITLE, collection=Collection.get_first_root_node())
            if has_description:  # Wagtail's default alt text of the image (Wagtail >= 6.3)
                image.description = IMAGE_ALT_TEXT
            image.file = ImageFile(BytesIO(elements_png()), name=IMAGE_FILENAME)
            image._set_image_file_metadata()
            image.save()
            status = self.CREATED
        elif not image.file.storage.exists(image.file.name):
            # The database survived but the media folder did not: draw the file again.
            image.file = ImageFile(BytesIO(elements_png()), name=IMAGE_FILENAME)
            image._set_image_file_metadata()
            image.save()
            image.renditions.all().delete()
            status = self.UPDATED
        elif has_description and self.reset and image.description != IMAGE_ALT_TEXT:
            image.description = IMAGE_ALT_TEXT
            image.save(update_fields=["description"])
            status = self.UPDATED
        else:
            status = self.UNCHANGED if self.reset else self.KEPT
        self.log(f"Bild „{image.title}“: {status}")
        return image

    # Pages

    def consultation_form(self, programme: ProgrammePage | None):
        """The demo's consultation form page below ``programme``, once it exists."""
        if programme is None:
            return None
        return ConsultationFormPage.objects.child_of(programme).filter(slug=FORMS[0].slug).first()

    def programme_body(self, image, consultation=None) -> list[dict]:
        def block(name: str, kind: str, value) -> dict:
            return {"type": kind, "value": value, "id": block_id(PROGRAMME_SLUG, name)}

        image_value = {
            "image": image.pk,
            "alt_text": IMAGE_ALT_TEXT,
            "decorative": False,
            "caption": IMAGE_CAPTION,
        }
        heading = {"text": PARTICIPATION_HEADING, "level": "h2", "anchor": "partizipation"}
        call_to_action = {
            "heading": CTA_HEADING,
            "text": "",
            "link_page": consultation.pk if consultation is not None else None,
            "link_url": "" if consultation is not None else CONSULTATION_URL,
            "link_label": CTA_LINK_LABEL,
        }
        return [
            block("image", "image", image_value),
            block("participation-heading", "heading", heading),
            block("participation-text", "rich_text", paragraphs_html(PARTICIPATION_PARAGRAPHS)),
            block("consultation", "call_to_action", call_to_action),
            # The latest three offers of the site (the offer pages below the offer index).
            block("offers", "offer_list", OFFER_LIST),
        ]

    def ensure_programme(self, home: HomePage, image) -> ProgrammePage:
        existing = ProgrammePage.objects.child_of(home).filter(slug=PROGRAMME_SLUG).first()
        consultation = self.consultation_form(existing)
        values = {
            "title": PROGRAMME_TITLE,
            "show_in_menus": True,
            "audience_question": AUDIENCE_QUESTION,
            "intro": paragraphs_html(PROGRAMME_INTRO),
            "elements_heading": ELEMENTS_HEADING,
            "elements_intro": ELEMENTS_INTRO,
            "body": self.programme_body(image, consultation),
            "consultation_page": consultation,
        }
        return self._ensure_child(home, ProgrammePage, PROGRAMME_SLUG, values, "Programmseite")

    def ensure_element_pages(
        self, programme: ProgrammePage, elements: list[Element]
    ) -> list[ElementPage]:
        pages = []
        for text, element in zip(ELEMENTS, elements, strict=True):
            values = {
                "title": text.name,
                "element": element,
                "intro": paragraphs_html(text.paragraphs),
            }
            if text.slug == EMBED_PAGE_SLUG and apps.is_installed("kokreative_wagtail.consent"):
                values["body"] = [
                    {"type": "consent_embed", "value": EMBED, "id": block_id(text.slug, "embed")}
                ]
            pages.append(
                self._ensure_child(programme, ElementPage, text.slug, values, "Elementseite")
            )
        return pages

    def ensure_offer_index(self, programme: ProgrammePage) -> OfferIndexPage:
        values = {"title": OFFER_INDEX_TITLE, "intro": paragraphs_html([OFFER_INDEX_INTRO])}
        return self._ensure_child(
            programme, OfferIndexPage, OFFER_INDEX_SLUG, values, "Angebotsübersicht"
        )

    def ensure_offers(
        self,
        index: OfferIndexPage,
        elements: list[Element],
        audiences: dict[str, Audience],
        image,
    ) -> list[OfferPage]:
        elements_by_slug = {element.slug: element for element in elements}
        consultation = self.consultation_form(index.get_parent())
        new_pages: list[OfferPage] = []
        pages = []
        for text in OFFERS:
            values = {
                "title": text.title,
                "kind": text.kind,
                "format": text.format,
                "teaser": first_sentences(text.text),
                "teaser_image": image if text.with_image else None,
                "audiences": [audiences[slug] for slug in text.audiences],
                "elements": [elements_by_slug[slug] for slug in text.elements],
                "duration": text.duration,
                "easy_language_summary": text.easy_language,
                "consultation_page": consultation,
                "body": [
                    {
                        "type": "rich_text",
                        "value": paragraphs_html([text.text]),
                        "id": block_id(text.slug, "text"),
                    }
                ],
            }
            pages.append(
                self._ensure_child(index, OfferPage, text.slug, values, "Angebot", new_pages)
            )
        # New offers are published in reverse order, so "newest first" (the programme page's
        # offer list) shows them in the seed's order, as the index page does (tree order).
        for page in reversed(new_pages):
            page.save_revision().publish()
        return pages

    def ensure_event_index(self, programme: ProgrammePage) -> EventIndexPage:
        values = {"title": EVENT_INDEX_TITLE, "intro": paragraphs_html([EVENT_INDEX_INTRO])}
        index = self._ensure_child(
            programme, EventIndexPage, EVENT_INDEX_SLUG, values, "Terminübersicht"
        )
        url = index.get_url() or ""
        if url.startswith("/"):
            url = f"{SITE_URL}{url}"
        if url:
            self.log(f"Termine: {url} (Kalender: {url}feed.ics)")
        return index

    def ensure_events(
        self, index: EventIndexPage, elements: list[Element], offers: list[OfferPage]
    ) -> list[EventPage]:
        elements_by_slug = {element.slug: element for element in elements}
        offers_by_slug = {offer.slug: offer for offer in offers}
        pages = []
        for text in EVENTS:
            values = {
                "title": text.title,
                "teaser": text.teaser,
                "start": text.start,
                "end": text.end,
                "time_zone": EVENT_ZONE,
                "all_day": False,
                "recurrence": (
                    recurrence.deserialize(text.recurrence) if text.recurrence else None
                ),
                "location_name": text.location_name,
                "location_address": "",
                "online_url": "",
                "online_link_visibility": OnlineLinkVisibility.REGISTERED,
                "elements": [elements_by_slug[slug] for slug in text.elements],
                "related_offer": offers_by_slug.get(text.offer) if text.offer else None,
                "overrides": [
                    OccurrenceOverride(
                        original_start=override.original_start,
                        action=override.action,
                        note=override.note,
                        sort_order=order,
                    )
                    for order, override in enumerate(text.overrides)
                ],
                **self.registration_values(text.registration),
            }
            pages.append(self._ensure_child(index, EventPage, text.slug, values, "Termin"))
        return pages

    def registration_values(self, text: RegistrationText | None) -> dict:
        """The registration settings and fields of an event page (none without ``text``)."""
        if text is None:
            return {"registration_options": [], "registration_fields": []}
        options = RegistrationOptions(
            mode=text.mode, seats=text.seats, waiting_list=True, consent_text=text.consent_text
        )
        fields = [
            RegistrationField(
                label=field.label,
                clean_name=get_field_clean_name(field.label),
                field_type=field.field_type,
                required=field.required,
                help_text=field.help_text,
                choices="\r\n".join(field.choices),
                default_value="",
                sort_order=order,
            )
            for order, field in enumerate(text.extra_fields)
        ]
        return {"registration_options": [options], "registration_fields": fields}

    def form_fields(self, text: FormText, elements: list[Element]) -> list[ConsultationFormField]:
        names = [element.name for element in elements]
        fields = []
        for order, field in enumerate(text.fields):
            choices = [
                name
                for choice in field.choices
                for name in (names if choice == ELEMENT_CHOICES else [choice])
            ]
            fields.append(
                ConsultationFormField(
                    label=field.label,
                    clean_name=get_field_clean_name(field.label),
                    field_type=field.field_type,
                    required=field.required,
                    help_text=field.help_text,
                    # CRLF, as a browser posts the admin's text area (Wagtail 7.0 splits on it).
                    choices="\r\n".join(choices),
                    default_value="",
                    sort_order=order,
                )
            )
        return fields

    def form_values(self, text: FormText, elements: list[Element]) -> dict:
        return {
            "title": text.title,
            "intro": paragraphs_html(text.intro),
            "form_fields": self.form_fields(text, elements),
            "consent_text": text.consent_text,
            "submit_label": text.submit_label,
            "thank_you_text": paragraphs_html([text.thank_you]),
            "to_address": text.to_address,
            "send_confirmation": True,
            "confirmation_subject": text.confirmation_subject,
            "confirmation_text": text.confirmation_text,
        }

    def ensure_forms(
        self, programme: ProgrammePage, elements: list[Element]
    ) -> list[ConsultationFormPage]:
        pages = []
        for text in FORMS:
            values = self.form_values(text, elements)
            pages.append(
                self._ensure_child(programme, ConsultationFormPage, text.slug, values, "Formular")
            )
        return pages

    def _ensure_child(
        self,
        parent: Page,
        model,
        slug: str,
        values: dict,
        label: str,
        publish_later: list | None = None,
    ):
        """The child ``slug`` of ``parent``, created and published when missing.

        A new page is appended to ``publish_later`` instead of being published, when given.
        """
        existing = Page.objects.child_of(parent).filter(slug=slug).first()
        if existing is not None and not issubclass(existing.specific_class or Page, model):
            raise CommandError(
                f"Unter „{parent.title}“ gibt es schon eine Seite mit dem Kurznamen „{slug}“, "
                f"aber sie ist keine {model._meta.verbose_name}."
            )
        page = existing.specific if existing is not None else None
        if page is None:
            page = model(slug=slug, **values)
            parent.add_child(instance=page)
            self.created_pks.add(page.pk)
            if publish_later is None:
                page.save_revision().publish()
            else:
                publish_later.append(page)
            self.log(f"{label} „{page.title}“: {self.CREATED}")
            return page
        self._update_page(page, values, f"{label} „{page.title}“")
        return page

    def _update_page(self, page: Page, values: dict, label: str) -> None:
        if not self.reset:
            self.log(f"{label}: {self.KEPT}")
            return
        if not changed_fields(page, values) and page.live and not page.has_unpublished_changes:
            self.log(f"{label}: {self.UNCHANGED}")
            return
        for name, value in values.items():
            setattr(page, name, value)
        page.save_revision().publish()
        self.log(f"{label}: {self.UPDATED}")

    # Accessibility: the "Barriere melden" form, the statement, the Leichte Sprache start page

    def ensure_accessibility(self, home: HomePage, image, elements: list[Element]) -> None:
        form = self._ensure_child(
            home,
            ConsultationFormPage,
            BARRIER_FORM.slug,
            {**self.form_values(BARRIER_FORM, elements), "show_in_menus": False},
            "Formular",
        )
        existing = AccessibilityStatementPage.objects.child_of(home).filter(slug=STATEMENT_SLUG)
        prepared = existing.values_list("prepared_on", flat=True).first()
        values = {
            **STATEMENT,
            "prepared_on": prepared or datetime.now(BERLIN).date(),
            "feedback_page": form,
            "non_accessible_parts": [
                NonAccessiblePart(
                    description=what, reason=reason, alternative=alternative, sort_order=order
                )
                for order, (what, reason, alternative) in enumerate(NON_ACCESSIBLE_PARTS)
            ],
        }
        self._ensure_child(
            home, AccessibilityStatementPage, STATEMENT_SLUG, values, "Barrierefreiheit"
        )
        picture = {
            "image": image.pk,
            "alt_text": EASY_LANGUAGE_PICTURE_ALT,
            "text": EASY_LANGUAGE_PICTURE_TEXT,
        }
        body = []
        for number, (heading, text) in enumerate(EASY_LANGUAGE_SECTIONS):
            body += [
                {"type": "heading", "value": heading, "id": block_id(EASY_LANGUAGE_SLUG, number)},
                {"type": "text", "value": text, "id": block_id(EASY_LANGUAGE_SLUG, number, "text")},
            ]
            if number == 1:  # the elements, beside their chart
                body.append(
                    {
                        "type": "picture_text",
                        "value": picture,
                        "id": block_id(EASY_LANGUAGE_SLUG, "picture"),
                    }
                )
        values = {
            "title": EASY_LANGUAGE_TITLE,
            "intro": EASY_LANGUAGE_INTRO,
            "is_start_page": True,
            "show_in_menus": False,
            "body": body,
        }
        self._ensure_child(
            home, EasyLanguagePage, EASY_LANGUAGE_SLUG, values, "Leichte-Sprache-Seite"
        )

    # Login for the demo

    def link_consultation(self, programme: ProgrammePage, image, offers: list) -> None:
        """On a first run the programme and offers exist before the consultation form page:
        link their calls to consultation to it now (pages created in this run only)."""
        consultation = self.consultation_form(programme)
        if consultation is None:
            return
        if programme.pk in self.created_pks and programme.consultation_page_id is None:
            programme.body = self.programme_body(image, consultation)
            programme.consultation_page = consultation
            programme.save_revision().publish()
        for offer in reversed(offers):  # keeps "newest first" in the seed's order
            if offer.pk in self.created_pks and offer.consultation_page_id is None:
                offer.consultation_page = consultation
                offer.save_revision().publish()

    def ensure_admin(self) -> None:
        user_model = get_user_model()
        lookup = {user_model.USERNAME_FIELD: ADMIN_USERNAME}
        user = user_model.objects.filter(**lookup).first()
        if user is None:
            user_model.objects.create_superuser(
                **lookup, email=ADMIN_EMAIL, password=ADMIN_PASSWORD
            )
            self.admin_password_known = True
            self.log(f"Superuser „{ADMIN_USERNAME}“: {self.CREATED}")
        else:
            self.admin_password_known = user.check_password(ADMIN_PASSWORD)
            self.log(f"Benutzer „{ADMIN_USERNAME}“: {self.KEPT}")
