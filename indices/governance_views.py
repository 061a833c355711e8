"""Placeholder: the helper writing this module replaces it."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def improvement_plan(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def governance(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def governance_record(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def dimension_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
