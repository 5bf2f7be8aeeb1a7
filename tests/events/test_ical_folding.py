"""The fast content-line writer: RFC 5545 folding, and the same bytes as ``to_ical()``."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar
import pytest
from icalendar.parser import Contentline

from kokreative_wagtail.events import ical_folding

BERLIN = ZoneInfo("Europe/Berlin")

#: Characters of one to four octets, the escapes and what TEXT escapes.
ALPHABET = "abcXYZ 019-äöüßÄ€—“”😀🎉\\^,;:\"'"


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def physical_lines(text: str) -> list[bytes]:
    return text.encode("utf-8").split(b"\r\n")


def library_fold(line: str) -> str:
    """How ``icalendar`` folds one content line (``Contentline.to_ical()``)."""
    return Contentline(line).to_ical().decode("utf-8")


#: ``icalendar`` 7 keeps an escape with what it escapes; 6 folds after 74 octets whatever
#: they are. Elsewhere both fold as the writer does.
LIBRARY_KEEPS_ESCAPES = not library_fold("D:" + "a" * 71 + "\\n").split("\r\n")[0].endswith("\\")


@pytest.mark.parametrize("length", [1, 12, 73, 74, 75, 76, 148, 149, 150, 300])
def test_ascii_lines_of_every_length_around_the_limit(length):
    line = ("DESCRIPTION:" + "x" * 300)[:length]
    folded = ical_folding.fold(line)
    assert unfold(folded) == line
    assert all(len(raw) <= 75 for raw in physical_lines(folded))
    assert folded == library_fold(line)
    if len(line) <= 74:
        assert folded is line  # written as it is


def test_a_short_non_ascii_line_is_not_folded_but_a_long_one_by_octets():
    short = "SUMMARY:Größe " + "ü" * 25  # 14 + 50 octets
    assert ical_folding.fold(short) == short
    long = "SUMMARY:" + "ü" * 40  # 88 octets in 48 characters
    folded = ical_folding.fold(long)
    assert folded != long
    assert unfold(folded) == long
    assert all(len(raw) <= 75 for raw in physical_lines(folded))


@pytest.mark.parametrize("char", ["ä", "€", "😀"], ids=["2 octets", "3 octets", "4 octets"])
@pytest.mark.parametrize("offset", range(4))
def test_no_character_is_split(char, offset):
    line = "DESCRIPTION:" + "a" * offset + char * 60
    folded = ical_folding.fold(line)
    for raw in physical_lines(folded):
        assert len(raw) <= 75
        raw.decode("utf-8")  # each physical line is whole characters
    assert unfold(folded) == line
    assert folded == library_fold(line)


@pytest.mark.parametrize("escape", ["\\", "^"])
def test_an_escape_stays_with_what_it_escapes(escape):
    # the escape would be the 74th octet, the last of the first physical line
    line = "D:" + "a" * 71 + escape + "n" + "b" * 20
    folded = ical_folding.fold(line)
    first, second = folded.split("\r\n")[:2]
    assert not first.endswith(escape)
    assert second.startswith(" " + escape + "n")
    assert unfold(folded) == line
    if LIBRARY_KEEPS_ESCAPES:
        assert folded == library_fold(line)


def test_random_lines_fold_as_the_library_folds():
    rng = random.Random(5545)
    for _ in range(2000):
        line = "X-TEXT:" + "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 260)))
        folded = ical_folding.fold(line)
        assert unfold(folded) == line
        if LIBRARY_KEEPS_ESCAPES or not {"\\", "^"} & set(line):
            assert folded == library_fold(line)
        for raw in physical_lines(folded):
            assert len(raw) <= 75
            raw.decode("utf-8")


def sample_event() -> icalendar.Event:
    """Every kind of value the writer puts into a VEVENT, set the plain ``add()`` way."""
    event = icalendar.Event()
    event.add("uid", "kokreative-event-1-de@example.org")
    event.add("dtstamp", datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    event.add("last-modified", datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    event.add("summary", "Straßenfest 🎉; Planung, Teil 2 \\ Ü-Wagen")
    event.add(
        "description",
        "Erste Zeile mit Umlauten (äöü), Emoji 😀 und Zeichen ,;\\ die TEXT maskiert.\n"
        "Zweite Zeile – lang genug, dass sie mehrfach gefaltet werden muss: " + "ß€" * 40,
    )
    event.add("location", "Rathaus, Großer Saal; Marktplatz 1")
    event.add("url", "https://example.org/termine/stra%C3%9Fenfest/")
    event.add("dtstart", datetime(2026, 3, 5, 16, 30, tzinfo=BERLIN))
    event.add("dtend", datetime(2026, 3, 5, 18, 0, tzinfo=BERLIN))
    event.add("rrule", {"FREQ": "WEEKLY", "BYDAY": ["TH"], "INTERVAL": 2})
    event.add("rrule", {"FREQ": "MONTHLY", "BYMONTHDAY": [1]})
    event.add("rdate", [datetime(2026, 4, 1, 10, tzinfo=BERLIN)])
    event.add("exdate", [datetime(2026, 3, 19, 16, 30, tzinfo=BERLIN)])
    event.add("exdate", [date(2026, 4, 2), date(2026, 4, 16)])
    event.add("status", "CANCELLED")
    event.add("categories", ["Planung", "Straßen, Plätze"])
    event.add("duration", timedelta(hours=1))
    event.add("x-custom", "Wert", parameters={"X-NAME": "ä b", "LANGUAGE": "de"})
    event["X-PLAIN"] = "ein nicht kodierter Wert"
    return event


def test_a_component_is_written_as_to_ical_writes_it():
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Test//DE")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Termine für Groß & Klein, " + "ä" * 50)
    calendar.add_component(sample_event())
    all_day = icalendar.Event()
    all_day.add("uid", "2@example.org")
    all_day.add("dtstart", date(2026, 3, 28))
    all_day.add("dtend", date(2026, 3, 29))
    all_day.add("recurrence-id", date(2026, 3, 28))
    calendar.add_component(all_day)
    written = ical_folding.to_ical([calendar])
    assert unfold(written.decode()) == unfold(calendar.to_ical().decode())
    if LIBRARY_KEEPS_ESCAPES:  # icalendar >= 7.3 folds as we do, byte for byte
        assert written == calendar.to_ical()
    reparsed = icalendar.Calendar.from_ical(written)
    assert reparsed == icalendar.Calendar.from_ical(calendar.to_ical())
    event = reparsed.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Straßenfest 🎉; Planung, Teil 2 \\ Ü-Wagen"


def test_components_one_after_another_and_nothing():
    events = [sample_event(), sample_event()]
    expected = b"".join(e.to_ical() for e in events)
    assert unfold(ical_folding.to_ical(events).decode()) == unfold(expected.decode())
    if LIBRARY_KEEPS_ESCAPES:
        assert ical_folding.to_ical(events) == expected
    assert ical_folding.to_ical([]) == b""


class _Unescaped:
    """A value that writes a bare line break (no type of ``icalendar`` lets one through)."""

    params = icalendar.Parameters()

    def to_ical(self) -> bytes:
        return b"a\nb"


def test_a_line_break_in_a_value_that_is_not_escaped_is_refused():
    event = icalendar.Event()
    event["X-RAW"] = _Unescaped()
    with pytest.raises(ValueError, match="line break"):
        ical_folding.to_ical([event])


def test_a_leading_byte_order_mark_is_dropped_as_the_library_drops_it():
    event = icalendar.Event()
    event.add("summary", "\ufeffTitel mit \ufeff in der Mitte")
    assert ical_folding.to_ical([event]) == event.to_ical()
