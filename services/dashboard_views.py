"""The one-stop-shop dashboard (placeholder: being written)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def dashboard(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def dashboard_export(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
