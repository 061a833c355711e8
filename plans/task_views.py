"""Placeholder: being written."""

from django.http import HttpRequest, HttpResponse


def task_create(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def task_detail(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def task_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def task_delete(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def task_progress(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def task_contribute(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def task_comment(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def task_reassign(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def task_extend(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def task_cancel(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
