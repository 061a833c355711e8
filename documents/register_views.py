"""Placeholder: being written."""

from django.http import Http404, HttpRequest, HttpResponse


def register(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def register_create(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def outgoing_detail(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def outgoing_edit(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def outgoing_signed(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def series_list(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def series_create(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def series_edit(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def series_delete(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def type_list(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def type_create(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def type_edit(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404
