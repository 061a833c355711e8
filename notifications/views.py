"""The notification centre, preferences and the mail queue (placeholder: being written)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def notification_list(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def badge(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def read(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def read_all(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def preferences(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def outbox(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def retry(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
