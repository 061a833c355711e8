"""Placeholder: being written."""

from django.http import HttpRequest, HttpResponse


def task_list(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def my_tasks(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def unit_tasks(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def overdue_tasks(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def timeline(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def task_export(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def bulk_assign(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
