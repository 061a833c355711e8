"""Placeholder: the helper writing this module replaces it."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def appraisal_list(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def appraise(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def advance(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def answers(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def survey_entry(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def survey_import(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def results(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def ranking(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def ranking_export(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
