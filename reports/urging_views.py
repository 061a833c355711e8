"""Urging notes (placeholder: being written)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def urge(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def urging_history(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
