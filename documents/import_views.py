"""Placeholder: being written."""

from django.http import Http404, HttpRequest, HttpResponse


def import_upload(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def import_review(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def import_discard(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404
