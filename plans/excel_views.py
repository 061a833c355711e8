"""The plan's appendix as Excel: download it, download a template, import one.

An import is checked as a whole first. With problems, nothing is stored and
they are listed with their row numbers. Without, the person reviews how each
row was read; the checked rows wait in the session until they confirm, so the
file is not uploaded twice. Storing checks the units, areas and people again.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts import access
from lib import xlsx
from plans import excel
from plans.actions import ActionError
from plans.models import Plan

TEMPLATE = "plans/appendix_import.html"
MAX_PROBLEMS_SHOWN = 300


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Appendix (.xlsx)"),
        help_text=gettext_lazy("An Excel workbook with the columns of the appendix, e.g. the template filled in."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + xlsx.XLSX_TYPE}),
    )


@login_required
def appendix_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_plan(access.signed_in(request), pk)
    return xlsx.response(excel.export_appendix(plan), excel.filename(plan))


@login_required
def appendix_template(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_plan(access.signed_in(request), pk, manage=True)
    return xlsx.response(excel.build_template(plan), excel.filename(plan, "Mau-phu-luc"))


@login_required
def appendix_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_plan(access.signed_in(request), pk, manage=True)
    if plan.is_closed:
        return _page(request, plan, closed=True)
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, plan)
    if request.method != "POST":
        return _page(request, plan, form=UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, plan, form=form)
    upload = form.cleaned_data["file"]
    appendix = excel.read_appendix(upload, plan, name=upload.name, size=upload.size)
    if not appendix.ok:
        request.session.pop(_key(plan), None)
        return _page(request, plan, form=UploadForm(), problems=appendix.problems, filename=upload.name)
    token = secrets.token_urlsafe(16)
    request.session[_key(plan)] = {"token": token, "name": upload.name, "appendix": appendix.to_json()}
    return _page(request, plan, appendix=appendix, token=token, filename=upload.name)


def _confirm(request: HttpRequest, plan: Plan) -> HttpResponse:
    stored = request.session.get(_key(plan))
    given = request.POST.get("token", "").encode()
    if not stored or not secrets.compare_digest(str(stored.get("token")).encode(), given):
        return _page(
            request,
            plan,
            form=UploadForm(),
            error=_(
                "The checked file is no longer waiting (the session ended or another file was checked). "
                "Upload it again."
            ),
        )
    if "cancel" in request.POST:
        request.session.pop(_key(plan), None)
        messages.info(request, _("Nothing was imported."))
        return redirect("plans:appendix_import", plan.pk)
    try:
        appendix = excel.Appendix.from_json(stored["appendix"])
    except (KeyError, TypeError, ValueError):  # kept by an older version of this page
        request.session.pop(_key(plan), None)
        return _page(
            request, plan, form=UploadForm(), error=_("The checked file could not be read back. Upload it again.")
        )
    try:
        result = excel.save_appendix(plan, appendix)
    except ActionError as error:
        request.session.pop(_key(plan), None)
        return _page(request, plan, form=UploadForm(), error=str(error))
    request.session.pop(_key(plan), None)
    parts = [ngettext("%(count)s task imported.", "%(count)s tasks imported.", result.tasks) % {"count": result.tasks}]
    if result.sections:
        parts.append(
            ngettext(
                "%(count)s section added to the outline.", "%(count)s sections added to the outline.", result.sections
            )
            % {"count": result.sections}
        )
    if result.occurrences:
        parts.append(
            ngettext(
                "%(count)s occurrence of recurring tasks created.",
                "%(count)s occurrences of recurring tasks created.",
                result.occurrences,
            )
            % {"count": result.occurrences}
        )
    messages.success(request, " ".join(parts))
    return redirect("plans:detail", plan.pk)


def _key(plan: Plan) -> str:
    return f"appendix_import:{plan.pk}"


def _page(request: HttpRequest, plan: Plan, **context: Any) -> HttpResponse:
    problems = context.get("problems") or []
    context.update(
        plan=plan,
        nav_active="plans",
        problems_shown=problems[:MAX_PROBLEMS_SHOWN],
        required_headers=[c.header for c in excel.COLUMNS if c.required],
        optional_headers=[c.header for c in excel.COLUMNS if not c.required],
        max_rows=number_format(excel.MAX_ROWS, force_grouping=True),
    )
    return render(request, TEMPLATE, context)
