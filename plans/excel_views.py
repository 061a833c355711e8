"""Placeholder: being written."""

from django.http import HttpRequest, HttpResponse


def appendix_export(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def appendix_template(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def appendix_import(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
