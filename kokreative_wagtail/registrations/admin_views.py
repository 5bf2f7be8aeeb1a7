"""The registrations in Wagtail's admin: which dates are how full, who registered, who waits.

Who sees an event's registrations (and cancels, moves, marks attendance, exports) is who may
edit its page (``overview.may_see``); for anyone else the event's pages do not exist (404), so
they learn nothing about it. Every change is a POST with CSRF and goes through ``seats`` or
``moves``, under the date's row lock; a refused change re-renders the date with the reason and
a 4xx status.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from ..events.series import occurrence_at
from ..spreadsheets import display_cell
from . import exports, moves, overview, seats
from .choices import Mode, Status
from .dates import options_for, seats_of_date
from .forms import extra_field_name
from .models import Registration, RegistrationDate
from .seats import RegistrationError, cancel

#: Upcoming dates per event on the index (the event's own view lists more).
INDEX_DATES = 5
#: Attendance values of the form, as stored.
ATTENDANCE = {"yes": True, "no": False, "unknown": None}
ACTIONS = ("cancel", "move", "attendance")


def event_page(request: HttpRequest, page_id: int):
    """The event page ``page_id`` if it has registration settings and the user may edit it."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404
    page = page.specific
    if not hasattr(page, "registration_options") or not overview.may_see(request.user, page):
        raise Http404
    return page


def display_value(value: Any) -> Any:
    """An extra field's value for the HTML list (lists joined, booleans as Yes/No)."""
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(item) for item in value)
    return "" if value is None else display_cell(value)


def seats_function(page, options):
    """``seats_of`` for ``seats.cancel``: the date's seats and whether a waiting list is kept."""

    def seats_of(registration) -> tuple[int, bool]:
        if options is None:  # registration switched off: nobody moves up
            return 0, False
        return seats_of_date(page, options, registration.date.original_start), options.waiting_list

    return seats_of


class AdminPageMixin(WagtailAdminTemplateMixin):
    """Wagtail's admin page furniture; breadcrumbs Home › Registrations › …"""

    page_title = gettext_lazy("Registrations")
    header_icon = "group"

    def get_breadcrumbs_items(self) -> list:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("kokreative_registrations:index"), "label": _("Registrations")},
        ]


class IndexView(AdminPageMixin, TemplateView):
    """The event pages the user may edit that take registrations, with their next dates."""

    template_name = "kokreative_wagtail/registrations/admin/index.html"

    def get_breadcrumbs_items(self) -> list:
        return [*self.breadcrumbs_items, {"url": "", "label": _("Registrations")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        pages = list(overview.editable_event_pages(self.request.user))
        counts = overview.counts_of(pages)
        now = timezone.now()
        events = [
            (page, overview.upcoming(page, counts, now=now, limit=INDEX_DATES)) for page in pages
        ]
        return super().get_context_data(events=events, **kwargs)


class EventView(AdminPageMixin, TemplateView):
    """One event page's dates: the upcoming ones and earlier ones that have registrations."""

    template_name = "kokreative_wagtail/registrations/admin/event.html"

    def dispatch(self, request, page_id: int, *args, **kwargs):
        self.page = event_page(request, page_id)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self) -> list:
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_subtitle()}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        counts = overview.counts_of([self.page])
        upcoming = overview.upcoming(self.page, counts)
        return super().get_context_data(
            page=self.page,
            options=options_for(self.page),
            upcoming=upcoming,
            earlier=overview.earlier(self.page, counts, upcoming),
            **kwargs,
        )


class DateMixin:
    """The event page and one of its dates (``scope``) from the URL, or 404."""

    def dispatch(self, request, page_id: int, scope: str, *args, **kwargs):
        self.page = event_page(request, page_id)
        self.options = options_for(self.page)
        try:
            original_start = seats.parse_scope(scope)
        except ValueError:
            raise Http404 from None
        self.row = RegistrationDate.objects.filter(
            event_key=self.page.translation_key, scope=scope
        ).first()
        self.counts = overview.counts_of([self.page])
        self.fill = self.find_date(original_start)
        if self.fill is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def find_date(self, original_start):
        """The date, if the event has it now or it has registrations (a past date, one that
        left the series)."""
        options, page = self.options, self.page
        if options is not None and options.mode == Mode.SERIES and original_start is None:
            return overview.upcoming(page, self.counts)[0]
        if options is not None and options.mode == Mode.DATE and original_start is not None:
            occurrence = occurrence_at(page, original_start)
            if occurrence is not None:
                return overview._fill(page, options, self.counts, original_start, occurrence)
        if self.row is not None:
            return overview._fill(page, options, self.counts, original_start)
        return None

    def registrations(self) -> list:
        if self.row is None:
            return []
        return exports.ordered(Registration.objects.filter(date=self.row))

    def fields(self) -> list:
        return list(self.page.registration_fields.all())


class DateView(AdminPageMixin, DateMixin, TemplateView):
    """Who registered for one date, the waiting list in its order, and the editors' actions."""

    template_name = "kokreative_wagtail/registrations/admin/date.html"

    def get_page_subtitle(self) -> str:
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self) -> list:
        return [
            *super().get_breadcrumbs_items(),
            {
                "url": reverse("kokreative_registrations:event", args=[self.page.pk]),
                "label": self.get_page_subtitle(),
            },
            {"url": "", "label": _("Date")},
        ]

    def move_targets(self) -> list:
        if self.options is None or self.options.mode != Mode.DATE:
            return []
        now = timezone.now()
        return [
            fill
            for fill in overview.upcoming(self.page, self.counts, now=now)
            if fill.scope != self.fill.scope and not fill.cancelled and fill.start > now
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        registrations = self.registrations()
        fields = self.fields()
        for registration in registrations:
            data = registration.data if isinstance(registration.data, dict) else {}
            registration.extra_values = [
                display_value(data.get(extra_field_name(field))) for field in fields
            ]
        return super().get_context_data(
            page=self.page,
            fill=self.fill,
            fields=fields,
            seated=[r for r in registrations if r.status in (Status.CONFIRMED, Status.PENDING)],
            waiting=[r for r in registrations if r.status == Status.WAITING],
            others=[r for r in registrations if r.status in (Status.CANCELLED, Status.FULL)],
            targets=self.move_targets(),
            attendance_choices=[
                ("unknown", _("not recorded")),
                ("yes", _("attended")),
                ("no", _("did not attend")),
            ],
            formats=exports.FORMATS,
            **kwargs,
        )

    # -- actions ------------------------------------------------------------------------------

    def refuse(self, message: str, status: int = 400) -> HttpResponse:
        messages.error(self.request, message)
        response = self.get(self.request)
        response.status_code = status
        return response

    def post(self, request, *args, **kwargs) -> HttpResponse:
        action = request.POST.get("action")
        if action not in ACTIONS:
            return self.refuse(_("Unknown action."))
        pk = request.POST.get("registration", "")
        registration = None
        if pk.isdigit() and len(pk) < 19 and self.row is not None:
            registration = Registration.objects.filter(pk=int(pk), date=self.row).first()
        if registration is None:
            return self.refuse(_("This registration is not one of this date."))
        try:
            response = getattr(self, f"do_{action}")(registration)
        except RegistrationError as error:
            return self.refuse(str(error), error.status)
        return response or redirect(request.get_full_path())

    def tell_promoted(self, change) -> None:
        """Name the people a freed seat moved up from the waiting list (cancel and move)."""
        for promoted in change.promoted:
            messages.success(
                self.request,
                _("%(name)s moved up from the waiting list and is told by e-mail.")
                % {"name": promoted.name},
            )

    def do_cancel(self, registration) -> HttpResponse | None:
        if registration.status not in (Status.CONFIRMED, Status.WAITING, Status.PENDING):
            return self.refuse(_("This registration is already cancelled."))
        change = cancel(
            registration.public_id,
            seats_of=seats_function(self.page, self.options),
            by_editor=True,
        )
        messages.success(
            self.request,
            _("The registration of %(name)s was cancelled; they are told by e-mail.")
            % {"name": registration.name},
        )
        self.tell_promoted(change)
        return None

    def do_move(self, registration) -> HttpResponse | None:
        try:
            target = seats.parse_scope(self.request.POST.get("to", ""))
        except ValueError:
            target = None
        if target is None:
            return self.refuse(_("Choose the date to move the person to."))
        change = moves.move(registration, target, page=self.page)
        messages.success(
            self.request,
            _("%(name)s was moved to the other date and is told by e-mail.")
            % {"name": registration.name},
        )
        self.tell_promoted(change)
        return None

    def do_attendance(self, registration) -> HttpResponse | None:
        value = self.request.POST.get("attended")
        if value not in ATTENDANCE:
            return self.refuse(_("Choose whether the person attended."))
        if registration.status != Status.CONFIRMED:
            return self.refuse(_("Attendance is recorded for confirmed people only."))
        Registration.objects.filter(pk=registration.pk).update(attended=ATTENDANCE[value])
        messages.success(
            self.request, _("Attendance of %(name)s saved.") % {"name": registration.name}
        )
        return None


class ExportView(DateMixin, View):
    """The date's registrations as CSV or XLSX (``export_format`` in the URL)."""

    def get(self, request, export_format: str, *args, **kwargs) -> HttpResponse:
        if export_format not in exports.FORMATS:
            raise Http404
        name = exports.filename(self.page, self.fill)
        write = exports.csv_response if export_format == exports.CSV else exports.xlsx_response
        response = write(self.registrations(), self.fields(), name, self.page.zone)
        response["Cache-Control"] = "private, no-store"
        return response
