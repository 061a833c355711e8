"""Service indicators (placeholder: being written)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def indicators(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
