"""Placeholder: being written."""

from django.http import Http404, HttpRequest, HttpResponse


def plan_docx(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def plan_pdf(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404
