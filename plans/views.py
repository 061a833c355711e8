"""Placeholder: being written."""

from django.http import HttpRequest, HttpResponse


def plan_list(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def plan_create(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def plan_detail(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def plan_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def plan_delete(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def plan_transition(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def version_list(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def version_detail(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def plan_copy(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def basis_create(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def basis_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def basis_delete(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def section_create(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def section_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def section_delete(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
