"""Confirmation and cancellation pages of the e-mails' links."""

from django.http import HttpResponse


def confirm_view(request, token: str) -> HttpResponse:
    return HttpResponse(status=501)


def cancel_view(request, token: str) -> HttpResponse:
    return HttpResponse(status=501)
