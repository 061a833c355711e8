"""Placeholder: the helper writing this module replaces it."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def set_list(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def set_create(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def set_import(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def set_template(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def set_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def set_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def set_copy(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def set_publish(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def set_export(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def criterion_create(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def criterion_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def criterion_delete(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
