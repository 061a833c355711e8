"""Placeholder: the helper writing this module replaces it."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def index(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def assessment_open(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def assessment_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def assessment_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def assessment_submit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def assessment_report(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def score_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def evidence_add(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def evidence_delete(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
