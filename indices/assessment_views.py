"""The PAR Index's home and the agency's self-assessment: opening it, the tree, scores, evidence, submission.

Every object is fetched through accounts.access; the steps live in
indices.assessment, which refuses what the assessment's status does not allow
(after submission everything is read-only) with messages for the person.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import Role, User
from documents.generate_views import _download
from indices import assessment as workflow
from indices import report, scoring
from indices.assessment import AssessmentError
from indices.assessment_forms import AssessmentForm, EvidenceForm, OpenForm, ScoreForm
from indices.models import Applicability, CriteriaSet, Criterion, Method, Score, SetStatus
from lib.nd30 import docx, pdf

FIRST_YEAR = 2000


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {"nav_active": "par", "subnav": "assessments", **context}, status=status)


def _refused(request: HttpRequest, error: AssessmentError) -> None:
    for message in error.messages:
        messages.error(request, message)


# The PAR home ----------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The assessments the person can see, one year at a time, with status and the self-assessed index."""
    user = access.signed_in(request)
    visible = access.visible_assessments(user)
    years = sorted(set(visible.values_list("year", flat=True)), reverse=True)
    today = timezone.localdate()
    year = _year(request.GET.get("year", ""), years[0] if years else today.year - 1, today.year)
    assessments = list(
        visible.filter(year=year).select_related("agency", "criteria_set", "report").order_by("agency__name", "pk")
    )
    scores: dict[int, list[Score]] = defaultdict(list)
    for score in Score.objects.filter(assessment__in=assessments).select_related("criterion"):
        scores[score.assessment_id].append(score)
    criteria: dict[int, dict[int, Criterion]] = defaultdict(dict)
    for criterion in Criterion.objects.filter(criteria_set__in={a.criteria_set_id for a in assessments}):
        criteria[criterion.criteria_set_id][criterion.pk] = criterion
    rows = [
        (
            assessment,
            scoring.compute_from(
                assessment.criteria_set, criteria[assessment.criteria_set_id], scores[assessment.pk], "self"
            ),
        )
        for assessment in assessments
    ]
    can_open = access.is_admin(user) or Role.COORDINATOR in access.roles(user)
    return _page(
        request,
        "indices/index.html",
        {"rows": rows, "year": year, "years": years, "can_open": can_open},
    )


def _year(value: str, default: int, this_year: int) -> int:
    if value.isascii() and value.isdigit() and FIRST_YEAR <= int(value) <= this_year + 5:
        return int(value)
    return default


# Opening the year's assessment -------------------------------------------------------


@login_required
def assessment_open(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    agencies = access.managed_agencies(user).current().order_by("name")
    if not agencies.exists():
        raise PermissionDenied
    kinds = set(agencies.values_list("kind", flat=True))
    sets = (
        access.visible_criteria_sets(user)
        .filter(status=SetStatus.IN_USE, agency_kind__in=kinds)
        .order_by("-year", "agency_kind", "-version")
    )
    latest: CriteriaSet | None = sets.first()
    initial: dict[str, Any] = {"year": latest.year if latest else timezone.localdate().year, "criteria_set": latest}
    if agencies.count() == 1:
        initial["agency"] = agencies.first()
    form = OpenForm(request.POST or None, agencies=agencies, sets=sets, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opened = workflow.open_assessment(
                data["criteria_set"], data["agency"], data["year"], user, self_due=data["self_due"]
            )
        except AssessmentError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("The assessment of %(year)s was opened with %(count)s items to score.")
                % {"year": opened.year, "count": opened.scores.count()},
            )
            return redirect("par:assessment_detail", opened.pk)
    return _page(request, "indices/assessment_open.html", {"form": form, "has_sets": latest is not None})


# The assessment ------------------------------------------------------------------------


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    assessment = access.access_assessment(user, pk)
    criteria = list(assessment.criteria_set.criteria.all())
    by_pk = {c.pk: c for c in criteria}
    found = workflow.items(assessment, by_pk)
    result = scoring.compute_from(assessment.criteria_set, by_pk, [item.score for item in found], "self")
    areas = workflow.progress(assessment, found)
    gaps = workflow.missing(assessment, found)
    return _page(
        request,
        "indices/assessment_detail.html",
        {
            "assessment": assessment,
            "agency": assessment.agency,
            "tree": _tree(criteria, found),
            "areas": areas,
            "missing": gaps,
            "result": result,
            "can_edit": assessment.self_editable and access.is_self_assessor(user, assessment),
            "can_submit": assessment.self_editable and access.is_assessment_signer(user, assessment),
            "events": assessment.events.select_related("actor"),
        },
    )


def _tree(criteria: list[Criterion], found: list[workflow.Item]) -> list[dict[str, Any]]:
    """Every node in order with its depth, maximum, the self points below it; leaves with their item."""
    by_criterion = {item.criterion.pk: item for item in found}
    children: dict[int | None, list[Criterion]] = defaultdict(list)
    for criterion in criteria:
        children[criterion.parent_id].append(criterion)
    rows: list[dict[str, Any]] = []

    def walk(parent: int | None, depth: int) -> Decimal | None:
        total: Decimal | None = None
        for criterion in children.get(parent, []):
            item = by_criterion.get(criterion.pk)
            row: dict[str, Any] = {"criterion": criterion, "depth": depth, "item": item}
            rows.append(row)
            if item is not None:
                value = item.score.self_score if item.self_assessed else None
            else:
                value = walk(criterion.pk, depth + 1)
            row["points"] = value
            if value is not None:
                total = (total or Decimal(0)) + value
        return total

    walk(None, 0)
    return rows


@login_required
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    assessment = access.access_assessment(user, pk)
    if not access.is_self_assessor(user, assessment):
        raise PermissionDenied
    if not assessment.self_editable:
        messages.error(request, _("The self-assessment was submitted; it is read-only."))
        return redirect("par:assessment_detail", assessment.pk)
    form = AssessmentForm(request.POST or None, instance=assessment)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The self-assessment was saved."))
        return redirect("par:assessment_detail", assessment.pk)
    return _page(request, "indices/assessment_edit.html", {"assessment": assessment, "form": form})


@login_required
@require_POST
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    assessment = access.access_assessment(user, pk)
    if not access.is_assessment_signer(user, assessment):
        raise PermissionDenied
    try:
        submitted = workflow.submit(assessment, user)
    except AssessmentError as error:
        _refused(request, error)
    else:
        number = submitted.report.number_symbol if submitted.report else ""
        messages.success(
            request,
            _("The self-assessment was submitted to the province; its report is no. %(number)s.") % {"number": number},
        )
    return redirect("par:assessment_detail", assessment.pk)


@login_required
def assessment_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    assessment = access.access_assessment(access.signed_in(request), pk)
    if fmt not in ("docx", "pdf"):
        raise Http404
    document = report.document(assessment)
    if fmt == "docx":
        return _download(docx.render(document), report.filename(assessment, "docx"), docx.DOCX_TYPE)
    return _download(pdf.render(document), report.filename(assessment, "pdf"), pdf.PDF_TYPE)


# One item ------------------------------------------------------------------------------


@login_required
def score_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    score = access.access_score(user, pk)
    assessment = score.assessment
    criterion = score.criterion
    criteria = {c.pk: c for c in assessment.criteria_set.criteria.all()}
    can_edit = assessment.self_editable and access.is_self_assessor(user, assessment)
    item_rule = workflow.rule(criterion, criteria)
    skipped = item_rule == Applicability.PROCEDURES and not score.applicable
    can_score = can_edit and criterion.method == Method.SELF and not skipped
    initial = {
        "self_score": "" if score.self_score is None else f"{score.self_score:.2f}",
        "self_note": score.self_note,
        "explanation": score.explanation,
        "not_applicable": not score.applicable,
        "not_applicable_reason": score.not_applicable_reason,
    }
    declarable = item_rule == Applicability.DECLARED
    form = ScoreForm(request.POST or None, criterion=criterion, declarable=declarable, initial=initial)
    if request.method == "POST":
        if not access.is_self_assessor(user, assessment):
            raise PermissionDenied
        if not assessment.self_editable:
            messages.error(request, _("The self-assessment was submitted; its scores are read-only."))
            return redirect("par:score_edit", score.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                workflow.save_self_score(
                    score,
                    user,
                    data["self_score"],
                    data["self_note"],
                    data["explanation"],
                    applicable=not data.get("not_applicable", False),
                    reason=data.get("not_applicable_reason", ""),
                )
            except AssessmentError as error:
                for message in error.messages:
                    form.add_error("self_score", message)
            else:
                messages.success(request, _("The score of %(code)s was saved.") % {"code": criterion.code})
                return redirect("par:score_edit", score.pk)
    evidence = list(
        score.evidence.select_related(
            "attachment", "document", "plan", "task__plan", "target__plan", "agency_report__outgoing", "added_by"
        )
    )
    leaves = workflow.leaves(criteria.values())
    position = next(i for i, c in enumerate(leaves) if c.pk == criterion.pk)
    siblings = {
        s.criterion_id: s.pk
        for s in Score.objects.filter(assessment=assessment, criterion__in=leaves[max(position - 1, 0) : position + 2])
    }
    previous = siblings.get(leaves[position - 1].pk) if position > 0 else None
    following = siblings.get(leaves[position + 1].pk) if position + 1 < len(leaves) else None
    return _page(
        request,
        "indices/score_edit.html",
        {
            "score": score,
            "assessment": assessment,
            "criterion": criterion,
            "path": _path(criterion, criteria),
            "form": form if can_score else None,
            "evidence": [(piece, report.evidence_text(piece)) for piece in evidence],
            "evidence_form": EvidenceForm(initial={"kind": "file"}) if can_edit else None,
            "suggestions": workflow.suggestions(score) if can_edit else [],
            "can_edit": can_edit,
            "is_survey": criterion.method == Method.SURVEY,
            "previous": previous,
            "following": following,
        },
    )


def _path(criterion: Criterion, criteria: dict[int, Criterion]) -> list[Criterion]:
    """The area and criterion above an item, from the top."""
    path: list[Criterion] = []
    node = criteria.get(criterion.parent_id) if criterion.parent_id else None
    while node is not None:
        path.insert(0, node)
        node = criteria.get(node.parent_id) if node.parent_id else None
    return path


def _record(user: User, kind: str, pk: int) -> Model:
    """The record to link, fetched as the person may see it (Http404 otherwise)."""
    getters = {
        "document": access.access_outgoing,
        "plan": access.access_plan,
        "task": access.access_task,
        "target": access.access_target,
        "agency_report": access.access_agency_report,
    }
    record: Model = getters[kind](user, pk)
    return record


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    score = access.access_score(user, pk)
    if not access.is_self_assessor(user, score.assessment):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if not score.assessment.self_editable:
        messages.error(request, _("The self-assessment was submitted; its evidence is read-only."))
    elif not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    else:
        data = form.cleaned_data
        kind = data["kind"]
        try:
            if kind == "file":
                workflow.add_evidence(score, user, file=data["file"], locator=data["locator"])
            else:
                try:
                    record = _record(user, kind, data[kind])
                except Http404:
                    raise AssessmentError(_("The record to link was not found.")) from None
                workflow.add_evidence(score, user, link=record, locator=data["locator"])
        except AssessmentError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The evidence was added."))
    return redirect("par:score_edit", score.pk)


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    evidence = access.access_evidence(user, pk)
    score = evidence.score
    if not access.is_self_assessor(user, score.assessment):
        raise PermissionDenied
    try:
        workflow.remove_evidence(evidence, user)
    except AssessmentError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The evidence was removed."))
    return redirect("par:score_edit", score.pk)
