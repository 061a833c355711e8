"""Placeholder: being written."""

from django.http import HttpRequest, HttpResponse


def area_list(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def area_create(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def area_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
