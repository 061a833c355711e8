"""The consolidated agency report and the province side (placeholder: being written)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def agency_report_create(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def agency_report(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def agency_report_refresh(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def agency_report_submit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def agency_report_approve(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def agency_report_send_back(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def agency_report_send(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def agency_report_return(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def agency_report_receive(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def agency_report_docx(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def agency_report_pdf(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def inbox(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def province_status(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
