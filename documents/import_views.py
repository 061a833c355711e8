"""Plan import pages: upload a document, review what was read beside its text, save it as a plan.

The upload reads the file at once and keeps the result as a `PlanImport`;
the review page can be left and come back to. Saving writes the corrections
and the plan in one transaction: if the plan cannot be saved, nothing is.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import access
from documents import importer
from documents.import_forms import Review, UploadForm
from documents.models import PlanImport
from documents.reader.source import Unreadable
from lib.text import fold
from plans.actions import ActionError
from plans.models import Recurrence

WAITING_SHOWN = 20
# Lines of the source a row points to are found by the first words of its text.
FIND_WORDS = 6


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"nav_active": "plans", **context})


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    if not access.can_create_plans(user):
        raise PermissionDenied
    agencies = access.managed_agencies(user).current()
    form = UploadForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        agency = form.chosen_agency()
        upload = form.cleaned_data["file"]
        if agency is None:
            form.add_error(None, _("You do not draft plans for any agency in force."))
        else:
            try:
                plan_import = importer.start_import(agency, user, upload.name, upload.read())
            except Unreadable as error:
                form.add_error("file", str(error))
            else:
                return redirect("documents:import_review", plan_import.pk)
    waiting = (
        access.scope(user, PlanImport.objects.select_related("agency", "created_by"))
        .defer("source_text", "result", "unit_map")
        .filter(plan__isnull=True, agency__in=agencies)
        .order_by("-created", "-pk")[:WAITING_SHOWN]
    )
    return _page(request, "documents/import_upload.html", {"form": form, "waiting": list(waiting)})


@login_required
def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    plan_import = access.access_plan_import(user, pk)
    saved = access.visible_plans(user).filter(pk=plan_import.plan_id).first() if plan_import.plan_id else None
    if request.method != "POST" or plan_import.plan_id:
        if request.method == "POST":
            messages.info(request, _("This document has already been saved as a plan."))
            return redirect("documents:import_review", plan_import.pk)
        return _review_page(request, plan_import, Review(plan_import), saved=saved)
    review = Review(plan_import, request.POST)
    if review.is_stale():
        messages.error(request, _("The page was out of date. Here is what is stored now; make your changes again."))
        return redirect("documents:import_review", plan_import.pk)
    if not review.is_valid():
        return _review_page(request, plan_import, review)
    data, unit_map = review.edited()
    try:
        with transaction.atomic():
            plan = importer.save_plan(plan_import, data, unit_map, user, **review.options())
    except ActionError as error:
        return _review_page(request, plan_import, review, error=str(error))
    tasks = plan.tasks.filter(parent__isnull=True).count()
    messages.success(
        request,
        ngettext(
            "The plan “%(title)s” was saved with %(count)s task. Check it, then submit it for approval.",
            "The plan “%(title)s” was saved with %(count)s tasks. Check it, then submit it for approval.",
            tasks,
        )
        % {"title": plan.title, "count": tasks},
    )
    return redirect("plans:detail", plan.pk)


@login_required
@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    plan_import = access.access_plan_import(access.signed_in(request), pk)
    name = plan_import.original_name
    plan_import.delete()
    messages.info(request, _("The import of “%(name)s” was discarded.") % {"name": name})
    return redirect("plans:list")


# The review page -----------------------------------------------------------------


def _datetime(value: str | None) -> datetime | None:
    try:
        return parse_datetime(value or "")
    except ValueError:
        return None


def _searchable(text: str | None) -> str:
    """Folded words only: "7.1. **Ứng dụng**" and "7.1 Ứng dụng" both read "7 1 ung dung"."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())


class SourceLines:
    """The source text as numbered lines, and the line where a piece of text starts."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.folded = [_searchable(line) for line in self.lines]
        self.cursor = -1

    def find(self, text: str | None, *, in_order: bool = True) -> int | None:
        """The number of the line where the text starts, looking after the last one found first.

        Rows come in document order, so a phrase repeated earlier (in the
        purpose, say) does not catch a heading or task further down; two rows
        may start on the same line.
        """
        words = _searchable(text).split()[:FIND_WORDS]
        if not words:
            return None
        last = self.cursor if in_order else -1
        order = [*range(last + 1, len(self.folded)), *([last] if last >= 0 else []), *range(0, max(last, 0))]
        # The first words may wrap onto the next line: then the first three.
        for phrase in dict.fromkeys([" ".join(words), " ".join(words[:3])]):
            for index in order:
                if phrase in self.folded[index]:
                    if in_order:
                        self.cursor = index
                    return index + 1
        return None

    def restart(self) -> SourceLines:
        self.cursor = -1
        return self


def _review_page(
    request: HttpRequest,
    plan_import: PlanImport,
    review: Review,
    *,
    saved: Any = None,
    error: str | None = None,
) -> HttpResponse:
    source = SourceLines(plan_import.source_text)
    result = review.result
    units = review.units
    outline = [
        {"row": row, "form": form, "line": source.find(f"{row.label} {row.title}") or source.find(row.title)}
        for row, form in zip(review.outline, review.sections.forms, strict=False)
    ]
    source.restart()
    tasks = []
    for form, task in zip(review.tasks.forms, result["tasks"], strict=False):
        printed = task["lead_unit"]
        tasks.append(
            {
                "form": form,
                "task": task,
                "path": ".".join(task["section"]),
                "line": source.find(task["content"]),
                "coordinating": [
                    (name, units.get(review.unit_map.get(name) or 0)) for name in task["coordinating_units"]
                ],
                "printed_lead": printed,
            }
        )
    bases = [
        {"form": form, "basis": basis, "line": source.find(basis["symbol"] or basis["summary"], in_order=False)}
        for form, basis in zip(review.bases.forms, result["legal_bases"], strict=False)
    ]
    source.restart()
    targets = [
        {"form": form, "target": target, "path": ".".join(target["section"]), "line": source.find(target["text"])}
        for form, target in zip(review.targets.forms, result["targets"], strict=False)
    ]
    counts: dict[str, int] = {}
    for task in result["tasks"]:
        for name in [task["lead_unit"], *task["coordinating_units"]]:
            if name:
                counts[name] = counts.get(name, 0) + 1
    unit_rows = [
        {"name": name, "field": field, "count": counts.get(name, 0), "suggested": review.unit_map.get(name)}
        for name, field in review.units_form.rows()
    ]
    context = {
        "plan_import": plan_import,
        "agency": plan_import.agency,
        "saved": saved,
        "error": error,
        "review": review,
        "document": result["document"],
        "doc_form": review.document,
        "missing": review.missing,
        "lines": source.lines,
        "outline": outline,
        "tasks": tasks,
        "bases": bases,
        "targets": targets,
        "unit_rows": unit_rows,
        "signatures": [
            {**stamp, "signed_at": _datetime(stamp["signed_at"])} for stamp in result["document"]["digital_signatures"]
        ],
        "reporting": result["reporting"],
        "cadences": [
            Recurrence(cadence).label if cadence in Recurrence.values else cadence
            for cadence in result["reporting"]["cadences"]
        ],
        "has_units": bool(units),
    }
    return _page(request, "documents/import_review.html", context)
