"""Mixins and abstract pages of events; no concrete model here, so sites can import it freely."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.forms import CheckboxSelectMultiple
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.api import APIField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from ..abstract import KokreativePageMixin, easy_language_summary_field, intro_field
from ..admin_panels import ContributedPanel
from ..blocks.stream import PageStreamFieldSerializer
from ..capabilities import all_providers, provider
from ..fields import KokreativeStreamField
from ..localization import synchronized, translatable
from ..queries import public_q
from ..serializers import ElementsField, ImageField, LocalizedPageIdField
from ..serializers import RichTextField as RichTextAPIField
from . import rules
from .choices import OnlineLinkVisibility, OverrideAction
from .fields import SafeRecurrenceField
from .fields import serialize as serialize_recurrence
from .index_triggers import page_saved, page_saving
from .listing import listing_context
from .overrides import override_errors
from .panels import ScheduleProblemsPanel
from .serializers import DateTimeField as DateTimeAPIField
from .serializers import UpcomingOccurrencesField
from .series import (
    DEFAULT_ZONE,
    checked_series,
    get_zone,
    occurrences_of,
    schedule_problems,
    sorted_zone_names,
    zone_names,
)
from .subscriptions import FeedUrlField


def weekday_names() -> list[str]:

    return [str(WEEKDAYS_ABBR[i]) for i in range(7)]


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted_zone_names()]


class EventPageMixin(KokreativePageMixin):
    """One event or a series of events (a recurrence rule, with per-occurrence overrides)."""

    #: Its dates go into the stored occurrence index (``occurrence_index`` and
    #: ``index_triggers`` tell event pages by this, as this module imports them).
    has_occurrences = True

    teaser = models.TextField(
        _("teaser"),
        max_length=500,
        blank=True,
        help_text=_(
            "Plain text, at most 500 characters: the lead of the event page and the description "
            "in calendar files."
        ),
    )
    teaser_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("teaser image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Image for teasers where the site's front end shows them; the event page itself does "
            "not show it."
        ),
    )
    start = models.DateTimeField(
        _("start"),
        help_text=_("Date and time of the (first) occurrence, in the event's time zone."),
    )
    end = models.DateTimeField(
        _("end"),
        help_text=_(
            "End of the (first) occurrence, in the event's time zone; repeated occurrences last "
            "as long."
        ),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=DEFAULT_ZONE,
        choices=zone_choices,
        help_text=_("Start and end are local times in this zone; series keep their local time."),
    )
    all_day = models.BooleanField(
        _("all day"),
        default=False,
        help_text=_("Listings and calendars show the date only, without times."),
    )
    recurrence = SafeRecurrenceField(
        verbose_name=_("repeats"),
        blank=True,
        null=True,
        include_dtstart=False,
        help_text=_(
            "“Does not repeat” for a single date. Dates repeat in the event's time zone; change "
            "single dates under “Changes to single occurrences”."
        ),
    )
    body = KokreativeStreamField(
        blank=True,
        verbose_name=_("body"),
        help_text=_("The main content of the page, built from content blocks."),
    )
    location_name = models.CharField(
        _("location"),
        max_length=255,
        blank=True,
        help_text=_("Name of the place, for example “Town hall, room 3”; shown with every date."),
    )
    location_address = models.TextField(
        _("address"),
        blank=True,
        help_text=_("Street, postcode and town on separate lines; shown on the event page."),
    )
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_(
            "Link to the video conference; who sees it is set under “Who sees the online link”."
        ),
    )
    online_link_visibility = models.CharField(
        _("who sees the online link"),
        max_length=16,
        choices=OnlineLinkVisibility.choices,
        default=OnlineLinkVisibility.REGISTERED,
        help_text=_(
            "Whether and from when visitors see the link on the page; otherwise send it to "
            "registered participants yourselves."
        ),
    )
    online_link_visible_from = models.DateTimeField(
        _("show the online link from"),
        null=True,
        blank=True,
        help_text=_(
            "Only with “Show it from a given time”: the link is shown from then on, in the "
            "event's time zone."
        ),
    )
    elements = ParentalManyToManyField(
        "kokreative_wagtail.Element",
        verbose_name=_("elements"),
        blank=True,
        related_name="+",
        help_text=_("Visitors can filter the event list by these elements."),
    )
    related_offer = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("offer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The offer this event delivers; the offer page links back to it."),
    )
    registration_url = models.URLField(
        _("registration link"),
        blank=True,
        help_text=_(
            "Link to a registration elsewhere; a registration form page chosen below takes its "
            "place."
        ),
    )
    easy_language_summary = easy_language_summary_field()
    registration_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("registration form page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "A form page of this site for registrations; while it is published, it replaces the "
            "registration link."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("teaser"),
        FieldPanel("teaser_image"),
        MultiFieldPanel(
            [
                ScheduleProblemsPanel(),
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldRowPanel([FieldPanel("time_zone"), FieldPanel("all_day")]),
                FieldPanel("recurrence"),
            ],
            heading=_("Date and time"),
        ),
        InlinePanel("overrides", heading=_("Changes to single occurrences"), label=_("Change")),
        MultiFieldPanel(
            [
                FieldPanel("location_name"),
                FieldPanel("location_address"),
                FieldPanel("online_url"),
                FieldRowPanel(
                    [FieldPanel("online_link_visibility"), FieldPanel("online_link_visible_from")]
                ),
            ],
            heading=_("Place"),
        ),
        FieldPanel("elements", widget=CheckboxSelectMultiple),
        PageChooserPanel("related_offer", page_type="wagtailcore.Page"),
        ContributedPanel(
            [FieldPanel("registration_url"), PageChooserPanel("registration_page")],
            provider="event_page_panels",
            heading=_("Registration"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("easy_language_summary")],
            heading=_("Easy language"),
            classname="collapsed",
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("body"),
        index.SearchField("location_name"),
        index.FilterField("start"),
    ]

    api_fields = [
        APIField("teaser"),
        APIField("teaser_image", serializer=ImageField("TEASER_RENDITION")),
        APIField("start", serializer=DateTimeAPIField()),
        APIField("end", serializer=DateTimeAPIField()),
        APIField("time_zone"),
        APIField("all_day"),
        APIField("recurrence_rule"),
        APIField("upcoming_occurrences", serializer=UpcomingOccurrencesField()),
        APIField("location_name"),
        APIField("location_address"),
        # the link itself only where the editor chose to show it (see online_link_visible)
        APIField("public_online_url"),
        APIField("elements", serializer=ElementsField()),
        # ``offer_id`` as in GET occurrences (formerly ``related_offer_id``, see CHANGELOG.md)
        APIField("offer_id", serializer=LocalizedPageIdField(source="related_offer")),
        APIField("registration_link"),
        APIField("body", serializer=PageStreamFieldSerializer()),
        APIField("easy_language_summary"),
    ]

    kokreative_template = "kokreative_wagtail/events/event_page.html"

    localized_relations = ("elements", "related_offer", "registration_page")
    # wagtail-localize: a translated event keeps its schedule. Dates, zone, rule, links and
    # relations are copied from the source on every sync and cannot be changed in the
    # translation (the rule would otherwise be extracted as text); the address and the
    # registration link are copied but may be overridden. Texts, the body, and the overrides'
    # notes and places are translated; the overrides' dates and actions follow the source.
    override_translatable_fields = [
        *synchronized(
            "start",
            "end",
            "time_zone",
            "all_day",
            "recurrence",
            "online_url",
            "online_link_visibility",
            "online_link_visible_from",
            "teaser_image",
            "elements",
            "related_offer",
            "registration_page",
            overridable=False,
        ),
        *synchronized("location_address", "registration_url"),
        *translatable("teaser", "body", "location_name", "overrides", "easy_language_summary"),
    ]

    @property
    def recurrence_rule(self) -> str:
        """The stored rule as RFC 5545 text (RRULE/RDATE/EXDATE lines), empty for one-offs."""
        if not self.recurrence or self.schedule_problems:
            return ""  # a broken rule is not served: front ends would trip over it too
        return serialize_recurrence(self.recurrence)

    @property
    def public_online_url(self) -> str | None:
        return self.online_url if self.online_link_visible() else None

    @property
    def zone(self):
        return get_zone(self.time_zone)

    def clean(self) -> None:
        """Dates, zone and rule as the listings can serve them (see ``rules.py``): every rule
        component in its RFC 5545 range, our limits, and a rule that gives a date at all."""
        super().clean()
        for name in ("start", "end"):  # whole seconds, as iCalendar and the expansion have them
            value = getattr(self, name)
            if isinstance(value, datetime) and value.microsecond:
                setattr(self, name, value.replace(microsecond=0))
        errors: dict[str, list] = {}
        if self.start and self.end and self.end < self.start:
            errors.setdefault("end", []).append(_("The end must not be before the start."))
        if self.time_zone not in zone_names():
            errors.setdefault("time_zone", []).append(_("Choose a time zone from the list."))
        if self.start and self.end:
            for field, messages in rules.first_message_by_field(self.validate_schedule()).items():
                errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def validate_schedule(self, *, overrides: bool = False) -> list[rules.Problem]:
        """Every problem of the event's dates and rule, expanding where needed (a few ms).

        With ``overrides``, also changes to single dates that name no date of the series. The
        editor's form checks those against what is being saved; ``clean()`` leaves them out, so
        a change stored before the check existed never blocks publishing or a translation sync
        (``kokreative_check_events`` lists it).
        """
        series, found = checked_series(self)
        if series is not None and not found:
            found = rules.validate(series)
        if overrides and not found:
            for index, detail in override_errors(self, self.overrides.all()).items():
                found.append(
                    rules.Problem("overrides", "override", {"number": index + 1, "detail": detail})
                )
        return found

    @cached_property
    def schedule_problems(self) -> list[rules.Problem]:
        """What keeps this event out of listings, feeds and the API (cheap, no expansion);
        empty for a sound event. The event's page shows its base data and a note instead."""
        return schedule_problems(self)

    def displayable_start(self) -> datetime | None:
        """The start in the event's zone, or ``None`` when it is out of what can be shown."""
        try:
            start = timezone.localtime(self.start, self.zone)
        except (ArithmeticError, ValueError, TypeError, AttributeError):
            return None
        return start if rules.in_years(start) else None

    def get_admin_display_title(self) -> str:
        title = super().get_admin_display_title()
        loaded = "recurrence" in self.__dict__ and "start" in self.__dict__
        # a deferred instance (Wagtail's breadcrumbs) is left alone: no query per title
        if loaded and self.schedule_problems:
            # flagged wherever the admin lists or names the page
            return _("%(title)s (dates cannot be shown)") % {"title": title}
        return title

    def save(self, *args, **kwargs):
        """Save the page and its overrides, then write its occurrence index rows once."""
        with page_saving():
            result = super().save(*args, **kwargs)
        page_saved(self, kwargs.get("update_fields"))
        return result

    def get_occurrences(self, start: datetime, end: datetime):
        """This event's occurrences in [start, end), overrides applied."""
        return occurrences_of([self], start, end)

    def get_upcoming_occurrences(self, limit: int = 10, now: datetime | None = None):
        now = now or timezone.now()
        return self.get_occurrences(now, now + timedelta(days=366))[:limit]

    @property
    def registration_link(self) -> str | None:
        page = self.registration_page
        if page is not None and page.live:
            return page.get_url()
        return self.registration_url or None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["upcoming_occurrences"] = self.get_upcoming_occurrences()
        context["schedule_problems"] = self.schedule_problems
        if self.schedule_problems:
            context["schedule_start"] = self.displayable_start()
        context["online_link_visible"] = self.online_link_visible()
        context["registration_url"] = self.registration_link
        # sections of installed capability apps (registration): context and templates
        context["contributed_sections"] = []
        for contribute in all_providers("event_page_context"):
            contribute(self, request, context)
        return context

    def serve(self, request, *args, **kwargs):
        """A POST goes to the capability app that handles it (the registration form), if any."""
        if request.method == "POST":
            handler = provider("event_page_post")
            if handler is not None:
                return handler(self, request, *args, **kwargs)
        response = super().serve(request, *args, **kwargs)
        # a contributed section with a form (its token, a visitor's input) is never shared
        if (getattr(response, "context_data", None) or {}).get("never_cache"):
            add_never_cache_headers(response)
        return response

    def online_link_visible(self, now: datetime | None = None) -> bool:
        if not self.online_url:
            return False
        if self.online_link_visibility == OnlineLinkVisibility.ALWAYS:
            return True
        if self.online_link_visibility == OnlineLinkVisibility.LATER:
            now = now or timezone.now()
            return (
                self.online_link_visible_from is not None and now >= self.online_link_visible_from
            )
        return False

    class Meta:
        abstract = True


class AbstractEventPage(EventPageMixin, Page):
    class Meta:
        abstract = True


class AbstractOccurrenceOverride(TranslatableMixin, Orderable):
    """A change to one occurrence of a series: cancelled, moved or at another place.

    Translatable, so that wagtail-localize translates its note and place with the event page;
    the changed dates and the action are synchronized with the source.
    """

    #: Saving or deleting one rebuilds its page's occurrence index rows (``index_triggers``).
    changes_occurrences = True

    page = ParentalKey(
        "kokreative_events.EventPage", related_name="overrides", on_delete=models.CASCADE
    )
    original_start = models.DateTimeField(
        _("occurrence"), help_text=_("The start of the occurrence to change, as the series has it.")
    )
    action = models.CharField(
        _("change"),
        max_length=16,
        choices=OverrideAction.choices,
        default=OverrideAction.CANCEL,
        help_text=_("What happens to this one occurrence; the rest of the series stays as it is."),
    )
    new_start = models.DateTimeField(
        _("new start"),
        null=True,
        blank=True,
        help_text=_("Only when moving: the new start, in the event's time zone."),
    )
    new_end = models.DateTimeField(
        _("new end"),
        null=True,
        blank=True,
        help_text=_("Only when moving; leave empty to keep the occurrence's duration."),
    )
    location_name = models.CharField(
        _("new location"),
        max_length=255,
        blank=True,
        help_text=_("Replaces the event's location for this occurrence."),
    )
    location_address = models.TextField(
        _("new address"),
        blank=True,
        help_text=_("Replaces the event's address for this occurrence."),
    )
    note = models.CharField(
        _("note"), max_length=255, blank=True, help_text=_("Shown with the occurrence.")
    )
    seats = models.PositiveIntegerField(
        _("seats"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100_000)],
        help_text=_(
            "Only with registration for single dates: seats of this date. Leave empty for the "
            "number in the registration settings."
        ),
    )

    panels = [
        FieldPanel("original_start"),
        FieldPanel("action"),
        FieldRowPanel([FieldPanel("new_start"), FieldPanel("new_end")]),
        FieldRowPanel([FieldPanel("location_name"), FieldPanel("location_address")]),
        FieldRowPanel([FieldPanel("note"), FieldPanel("seats")]),
    ]

    override_translatable_fields = [
        *synchronized(
            "original_start", "action", "new_start", "new_end", "seats", overridable=False
        ),
        *synchronized("location_address"),
        *translatable("note", "location_name"),
    ]

    def clean(self) -> None:
        super().clean()
        if self.action == OverrideAction.MOVE and not self.new_start:
            raise ValidationError({"new_start": _("A moved occurrence needs a new start.")})
        if self.new_start and self.new_end and self.new_end < self.new_start:
            raise ValidationError({"new_end": _("The end must not be before the start.")})
        if self.action == OverrideAction.LOCATION and not (
            self.location_name or self.location_address
        ):
            raise ValidationError({"location_name": _("Give the new location.")})

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        abstract = True
        verbose_name = _("change to an occurrence")
        verbose_name_plural = _("changes to occurrences")


class EventIndexPageMixin(KokreativePageMixin):
    """Upcoming occurrences of the events below it: a list, a month view, past events."""

    intro = intro_field()
    empty_text = models.TextField(
        _("text when nothing is found"),
        blank=True,
        help_text=_("Leave empty for a standard text."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("empty_text")]
    api_fields = [
        APIField("intro", serializer=RichTextAPIField()),
        APIField("empty_text"),
        APIField("feed_url", serializer=FeedUrlField()),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    kokreative_template = "kokreative_wagtail/events/event_index_page.html"

    #: How far ahead the list looks and how many occurrences it shows.
    list_horizon = timedelta(days=366)
    list_limit = 50
    #: How many occurrences a day's cell of the month view shows; a link leads to the rest.
    month_day_limit = 3

    def get_event_model(self):
        """The page type listed; override for a subclassed event page."""
        return apps.get_model("kokreative_events", "EventPage")  # models.py imports this module

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(listing_context(self, request))
        context["weekday_names"] = weekday_names()
        return context

    def get_events(self):
        """Live, public events below this page with their overrides prefetched.

        The listing prefetches the elements only of the events it shows (see ``listing``).
        """
        return (
            self.get_event_model()
            .objects.descendant_of(self)
            .live()
            .filter(public_q())
            .defer("body")  # listings never show it; it is the widest column by far
            .select_related("locale")
            .prefetch_related("overrides")
        )

    class Meta:
        abstract = True


class AbstractEventIndexPage(EventIndexPageMixin, Page):
    class Meta:
        abstract = True
