"""Placeholder: being written."""

from django.http import HttpRequest, HttpResponse


def target_list(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def target_create(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def target_detail(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def target_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def target_delete(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def target_value(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
