"""Downloads of generated Decree 30 documents: the plan as Word and as PDF."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from accounts import access
from documents import builders
from lib.filenames import display_name
from lib.nd30 import docx, pdf
from plans.models import Plan


@login_required
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_plan(access.signed_in(request), pk)
    content = docx.render(builders.plan_document(plan))
    return _download(content, filename(plan, "docx"), docx.DOCX_TYPE)


@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_plan(access.signed_in(request), pk)
    content = pdf.render(builders.plan_document(plan))
    return _download(content, filename(plan, "pdf"), pdf.PDF_TYPE)


def filename(plan: Plan, extension: str) -> str:
    """ "KH-01-SNgV-2026.docx"; a plan not issued yet: "KH-SNgV-2027-Dự-thảo.docx"."""
    abbreviation = re.sub(r"[\s/\\]+", "-", plan.agency.abbreviation)
    if plan.number and not plan.is_editable:
        stem = f"{plan.doc_type}-{plan.number:02d}-{abbreviation}-{plan.year}"
    else:
        stem = f"{plan.doc_type}-{abbreviation}-{plan.year}-Dự-thảo"
    return display_name(f"{stem}.{extension}")


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or ""
    return response
