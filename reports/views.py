"""The reporting calendar, periods and unit reports (placeholder: being written)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def index(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def calendar(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def adhoc_create(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def rates(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def period(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def period_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def unit_report(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def unit_report_submit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def unit_report_return(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def unit_report_accept(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
