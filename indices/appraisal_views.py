"""Appraisal, survey points, results and ranking pages of the PAR Index.

Every assessment is fetched through accounts.access; the steps and the checks
live in indices.appraisal, the arithmetic in indices.scoring and many
assessments at once in indices.ranking. Tables of scores are saved at once:
every row is checked first, and nothing is saved when any row is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import Agency, AgencyKind, User
from indices import appraisal, scoring
from indices import ranking as ranking_module
from indices.appraisal import AppraisalError, Entry
from indices.appraisal_forms import (
    STAGE_LABELS,
    AppraisalFilter,
    ExplanationDueForm,
    RankingFilter,
    SurveyImportForm,
    SurveySourceForm,
    row_value,
)
from indices.models import Assessment, AssessmentStatus, Criterion, Evidence, Method, Score
from indices.scoring import STAGES, Result
from lib import xlsx

Status = AssessmentStatus
PER_PAGE = 50


def _page(request: HttpRequest, template: str, context: dict[str, Any], subnav: str = "appraisals") -> HttpResponse:
    return render(request, template, {"nav_active": "par", "subnav": subnav, **context})


def _is_appraiser(user: User) -> bool:
    return access.is_admin(user) or access.is_overseer(user)


def _appraised(user: User, pk: int) -> Assessment:
    """An assessment the person appraises (404 when not visible, 403 when visible but not theirs to appraise)."""
    assessment = access.access_assessment(user, pk)
    if not access.can_appraise(user, assessment):
        raise PermissionDenied
    return assessment


def _to_appraise(assessment: Assessment) -> HttpResponse:
    return redirect("par:appraise", assessment.pk)


def _scores(assessment: Assessment) -> list[Score]:
    evidence = Evidence.objects.select_related("attachment", "document", "plan", "task", "target", "agency_report")
    return list(
        assessment.scores.select_related("criterion", "round1_by", "round2_by", "answer_by")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
        .order_by("criterion__order", "criterion__pk")
    )


def _criteria(assessment: Assessment) -> dict[int, Criterion]:
    return {c.pk: c for c in assessment.criteria_set.criteria.order_by("order", "pk")}


def evidence_url(evidence: Evidence) -> str:
    """Where a piece of evidence is opened (the targets check access again)."""
    if evidence.attachment_id:
        return reverse("files:download", args=[evidence.attachment_id])
    if evidence.document_id:
        return reverse("documents:outgoing_detail", args=[evidence.document_id])
    if evidence.plan_id:
        return reverse("plans:detail", args=[evidence.plan_id])
    if evidence.task_id:
        return reverse("plans:task_detail", args=[evidence.task_id])
    if evidence.target_id:
        return reverse("plans:target_detail", args=[evidence.target_id])
    if evidence.agency_report_id:
        return reverse("reports:agency_report", args=[evidence.agency_report_id])
    return ""


@dataclass
class Row:
    """A line of a criteria table: a heading (area, criterion) or a scored item with its inputs."""

    criterion: Criterion
    score: Score | None = None
    values: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    evidence: list[tuple[str, str, str]] = field(default_factory=list)  # label, locator, url

    @property
    def depth(self) -> int:
        return min(self.criterion.depth, 4)


def _rows(
    criteria: dict[int, Criterion],
    scores: list[Score],
    values: dict[int, dict[str, str]] | None = None,
    errors: dict[int, list[str]] | None = None,
    only: set[int] | None = None,
) -> list[Row]:
    """The set's tree in order with each leaf's score; `only`: the criteria pks to show (and their parents)."""
    by_criterion = {s.criterion_id: s for s in scores}
    shown: set[int] = set()
    for pk in only if only is not None else by_criterion:
        node: Criterion | None = criteria.get(pk)
        while node is not None and node.pk not in shown:
            shown.add(node.pk)
            node = criteria.get(node.parent_id) if node.parent_id else None
    rows = []
    for criterion in criteria.values():
        if criterion.pk not in shown:
            continue
        score = by_criterion.get(criterion.pk)
        row = Row(criterion, score)
        if score is not None:
            row.values = (values or {}).get(score.pk, {})
            row.errors = (errors or {}).get(score.pk, [])
            row.evidence = [(str(e.linked), e.locator, evidence_url(e)) for e in score.evidence.all()]
        rows.append(row)
    return rows


def _stored(score: Score) -> dict[str, str]:
    def text(value: Decimal | None) -> str:
        return "" if value is None else scoring._points(value)

    return {
        "round1": text(score.round1_score),
        "round1_comment": score.round1_comment,
        "round2": text(score.round2_score),
        "round2_comment": score.round2_comment,
        "final": text(score.final_score),
        "final_comment": score.final_comment,
        "points": text(score.survey_score),
        "answer": score.answer,
    }


def _summary(assessment: Assessment, criteria: dict[int, Criterion], scores: list[Score]) -> dict[str, Result]:
    return {stage: scoring.compute_from(assessment.criteria_set, criteria, scores, stage) for stage in STAGES}


# The appraisers' inbox ---------------------------------------------------------


def _disputed_filter(prefix: str = "scores__") -> Q:
    differs = (
        Q(**{f"{prefix}self_score__isnull": True})
        | Q(**{f"{prefix}round1_score__lt": F(f"{prefix}self_score")})
        | Q(**{f"{prefix}round1_score__gt": F(f"{prefix}self_score")})
    )
    return Q(**{f"{prefix}applicable": True, f"{prefix}round1_score__isnull": False}) & differs


@login_required
def appraisal_list(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    if not _is_appraiser(user):
        raise PermissionDenied
    base = access.visible_assessments(user)
    years = list(base.order_by("-year").values_list("year", flat=True).distinct())
    form = AppraisalFilter(request.GET or None, years=years)
    queryset = base
    status = ""
    if form.is_valid():
        if form.cleaned_data["year"]:
            queryset = queryset.filter(year=form.cleaned_data["year"])
        status = form.cleaned_data["status"]
    counts = dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
    queryset = queryset.filter(status=status) if status else queryset.exclude(status=Status.SELF)
    disputed = _disputed_filter()
    queryset = (
        queryset.select_related("agency", "criteria_set")
        .annotate(
            disputed_count=Count("scores", filter=disputed),
            unanswered_count=Count("scores", filter=disputed & Q(scores__answer="")),
        )
        .order_by("-year", "agency__name", "pk")
    )
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    status_counts = [(s, counts.get(s.value, 0)) for s in Status]
    return _page(
        request,
        "indices/appraisal_list.html",
        {"form": form, "page": page, "status_counts": status_counts, "today": timezone.localdate()},
    )


# Appraising -------------------------------------------------------------------


@login_required
def appraise(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    assessment = _appraised(user, pk)
    scores = _scores(assessment)
    criteria = _criteria(assessment)
    round_name = appraisal._round_of(assessment.status)
    values = {s.pk: _stored(s) for s in scores}
    errors: dict[int, list[str]] = {}
    if request.method == "POST":
        if round_name is None:
            messages.error(request, _("Scores are appraised in round 1 and round 2 only."))
            return _to_appraise(assessment)
        entries = []
        for score in scores:
            typed = {name: row_value(request.POST, score.pk, name) for name in ("value", "comment")}
            values[score.pk][round_name] = typed["value"]
            values[score.pk][f"{round_name}_comment"] = typed["comment"]
            entry = Entry(score, typed["value"], typed["comment"])
            if round_name == "round2":
                entry.final = row_value(request.POST, score.pk, "final")
                entry.final_comment = row_value(request.POST, score.pk, "final_comment")
                entry.has_final = True
                values[score.pk]["final"], values[score.pk]["final_comment"] = entry.final, entry.final_comment
            entries.append(entry)
        try:
            changed = appraisal.save_appraisal(assessment, user, entries)
        except AppraisalError as error:
            errors = error.errors
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(count)s rows saved.") % {"count": changed})
            return _to_appraise(assessment)
    disputed = appraisal.disputed(scores)
    return _page(
        request,
        "indices/appraisal_appraise.html",
        {
            "assessment": assessment,
            "rows": _rows(criteria, scores, values, errors),
            "round": round_name,
            "summary": _summary(assessment, criteria, scores),
            "disputed": disputed,
            "unanswered": [s for s in disputed if not s.answer.strip()],
            "due_form": ExplanationDueForm(),
            "next_step": _next_step(assessment, bool(disputed)),
            "stage_labels": STAGE_LABELS,
            "has_errors": bool(errors),
        },
    )


def _next_step(assessment: Assessment, any_disputed: bool) -> str:
    return {
        Status.SUBMITTED: "round1",
        Status.ROUND1: "explain" if any_disputed else "round2",
        Status.EXPLAINING: "round2",
        Status.ROUND2: "final",
    }.get(Status(assessment.status), "")


@login_required
@require_POST
def advance(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    assessment = _appraised(user, pk)
    try:
        if assessment.status == Status.SELF:
            raise AppraisalError(_("The agency has not submitted its self-assessment yet."))
        if assessment.status == Status.FINAL:
            raise AppraisalError(_("The council has already finalised this assessment."))
        if assessment.status == Status.SUBMITTED:
            appraisal.start_round1(assessment, user)
            messages.success(request, _("Appraisal round 1 started."))
        elif assessment.status == Status.ROUND1 and appraisal.disputed(assessment.scores.select_related("criterion")):
            form = ExplanationDueForm(request.POST)
            if not form.is_valid():
                raise AppraisalError(" ".join(str(e) for errors in form.errors.values() for e in errors))
            items = appraisal.ask_explanations(assessment, user, form.cleaned_data["due"])
            messages.success(
                request,
                _("The agency was asked to explain %(count)s disputed items by %(due)s.")
                % {"count": len(items), "due": form.cleaned_data["due"].strftime("%d/%m/%Y")},
            )
        elif assessment.status in (Status.ROUND1, Status.EXPLAINING):
            appraisal.start_round2(assessment, user)
            messages.success(request, _("Appraisal round 2 started."))
        else:
            appraisal.finalise(assessment, user)
            messages.success(request, _("The council's results are final; the agency was told."))
    except AppraisalError as error:
        messages.error(request, error.message)
    return _to_appraise(assessment)


# The agency's explanations ---------------------------------------------------


@login_required
def answers(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    assessment = access.access_assessment(user, pk)
    appraiser = access.can_appraise(user, assessment)
    shown = appraiser or assessment.status in (Status.EXPLAINING, Status.ROUND2, Status.FINAL)
    scores = _scores(assessment) if shown else []
    items = appraisal.disputed(scores)
    overdue = bool(assessment.explanation_due and timezone.localdate() > assessment.explanation_due)
    may_answer = access.can_answer_appraisal(user, assessment)
    if request.method == "POST":
        if assessment.status != Status.EXPLAINING:
            messages.error(request, _("Explanations are given only while the province asks for them."))
            return redirect("par:answers", assessment.pk)
        if not may_answer:
            raise PermissionDenied
        try:
            with transaction.atomic():
                saved = 0
                for score in items:
                    text = row_value(request.POST, score.pk, "answer")
                    if text and text != score.answer:
                        appraisal.save_answer(score, user, text)
                        saved += 1
        except AppraisalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(count)s explanations saved.") % {"count": saved})
        return redirect("par:answers", assessment.pk)
    return _page(
        request,
        "indices/answers.html",
        {
            "assessment": assessment,
            "shown": shown,
            "items": items,
            "editable": may_answer and not overdue,
            "overdue": overdue,
            "appraiser": appraiser,
        },
        subnav="assessments",
    )


# Survey points ----------------------------------------------------------------


@login_required
def survey_entry(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    assessment = _appraised(user, pk)
    scores = [s for s in _scores(assessment) if s.criterion.method == Method.SURVEY]
    criteria = _criteria(assessment)
    editable = appraisal.can_enter_survey(user, assessment)
    values = {s.pk: _stored(s) for s in scores}
    errors: dict[int, list[str]] = {}
    source = next((s.survey_source for s in scores if s.survey_source), "")
    source_form = SurveySourceForm(request.POST or None, initial={"source": source})
    if request.method == "POST":
        if not editable:
            messages.error(request, _("The council has finalised this assessment: its survey points no longer change."))
            return redirect("par:survey_entry", assessment.pk)
        points = {}
        for score in scores:
            typed = row_value(request.POST, score.pk, "points")
            values[score.pk]["points"] = typed
            points[score.criterion] = typed
        source = source_form.cleaned_data["source"] if source_form.is_valid() else ""
        try:
            changed = appraisal.save_survey_points(assessment, user, points, source)
        except AppraisalError as error:
            by_criterion = {s.criterion_id: s.pk for s in scores}
            errors = {by_criterion[c]: reasons for c, reasons in error.errors.items() if c in by_criterion}
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(count)s survey items saved.") % {"count": changed})
            return redirect("par:survey_entry", assessment.pk)
    return _page(
        request,
        "indices/survey_entry.html",
        {
            "assessment": assessment,
            "rows": _rows(criteria, scores, values, errors),
            "editable": editable,
            "source_form": source_form,
            "summary": _summary(assessment, criteria, _scores_plain(assessment)) if not errors else None,
        },
    )


def _scores_plain(assessment: Assessment) -> list[Score]:
    return list(assessment.scores.all().order_by())


def _provinces(user: User) -> QuerySet[Agency]:
    provinces = Agency.objects.filter(kind=AgencyKind.PROVINCE)
    if access.is_admin(user):
        return provinces.order_by("name")
    return provinces.filter(pk__in=access.provinces_of(user) | access.overseen_provinces(user)).order_by("name")


@login_required
def survey_template(request: HttpRequest) -> HttpResponse:
    """The empty workbook of the survey import, with its columns."""
    if not _is_appraiser(access.signed_in(request)):
        raise PermissionDenied
    return xlsx.response(appraisal.survey_template(), "Mau-nhap-diem-dieu-tra-XHH.xlsx")


@login_required
def survey_import(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    if not _is_appraiser(user):
        raise PermissionDenied
    provinces = _provinces(user)
    if not access.is_admin(user):
        provinces = provinces.filter(pk__in=access.overseen_provinces(user))
    form = SurveyImportForm(
        request.POST or None,
        request.FILES or None,
        provinces=provinces,
        initial={"year": timezone.localdate().year - 1},
    )
    outcome = None
    error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = appraisal.import_survey(
                upload, user, form.cleaned_data["province"], form.cleaned_data["year"], name=upload.name
            )
        except xlsx.Rejected as rejected:
            error = str(rejected)
        else:
            if not outcome.rejected:
                messages.success(
                    request,
                    _("Survey points saved: %(items)s items of %(agencies)s agencies changed.")
                    % {"items": outcome.saved, "agencies": outcome.assessments},
                )
                return redirect("par:appraisal_list")
    return _page(
        request,
        "indices/survey_import.html",
        {"form": form, "outcome": outcome, "error": error, "columns": appraisal.TEMPLATE_HEADERS},
    )


# Results ----------------------------------------------------------------------


def visible_stages(user: User, assessment: Assessment) -> list[str]:
    """Appraisers see every stage (provisional until final); the agency its own scores, and the rest once final."""
    if access.can_appraise(user, assessment) or assessment.status == Status.FINAL:
        return list(STAGES)
    return ["self"]


@dataclass
class AreaLine:
    code: str
    name: str
    cells: list[tuple[Decimal, Decimal, Decimal | None] | None]  # per stage: points, max, index


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    assessment = access.access_assessment(user, pk)
    appraiser = access.can_appraise(user, assessment)
    stages = visible_stages(user, assessment)
    criteria = _criteria(assessment)
    found = _summary(assessment, criteria, _scores_plain(assessment))
    found = {stage: found[stage] for stage in stages}
    lines: dict[str, AreaLine] = {}
    for position, stage in enumerate(stages):
        for part in found[stage].areas:
            line = lines.setdefault(
                part.criterion.code, AreaLine(part.criterion.code, part.criterion.name, [None] * len(stages))
            )
            line.cells[position] = (part.achieved, part.max_points, part.index)
    last = stages[-1]
    lost = ranking_module.points_lost(assessment, last, found[last])
    ranks: dict[str, scoring.Ranked | None] = {}
    if appraiser or assessment.status == Status.FINAL:
        province = assessment.agency.province or assessment.agency
        by_stage = ranking_module.rankings(
            province, assessment.year, assessment.agency.kind, stages, final_only=not appraiser
        )
        for stage in stages:
            ranks[stage] = next((r for r in by_stage[stage] if r.assessment.pk == assessment.pk), None)
    history = ranking_module.year_over_year(assessment.agency, final_only=not appraiser)
    return _page(
        request,
        "indices/results.html",
        {
            "assessment": assessment,
            "stages": [(stage, STAGE_LABELS[stage], found[stage], ranks.get(stage)) for stage in stages],
            "lines": list(lines.values()),
            "lost": lost,
            "lost_stage": STAGE_LABELS[last],
            "history": history,
            "provisional": assessment.status != Status.FINAL,
            "appraiser": appraiser,
            "group": scoring.band(assessment.criteria_set, found[last].index),
            # Next year's plan to raise the index is drafted by the agency's Office from the final results.
            "can_improve": assessment.status == Status.FINAL and access.can_manage_agency(user, assessment.agency),
        },
        subnav="assessments",
    )


# Ranking ----------------------------------------------------------------------


@dataclass
class RankingLine:
    ranked: scoring.Ranked
    change: Decimal | None
    provisional: bool
    linked: bool  # the person may open the agency's results


@dataclass
class RankingData:
    form: RankingFilter
    province: Agency | None
    year: int | None
    kind: str
    stage: str
    lines: list[RankingLine]
    appraiser: bool


def _ranking_data(request: HttpRequest) -> RankingData:
    user = access.signed_in(request)
    provinces = list(_provinces(user))
    default_province = provinces[0] if provinces else None
    province = default_province
    wanted = request.GET.get("province")
    if wanted:
        province = next((p for p in provinces if str(p.pk) == wanted), default_province)
    appraiser = province is not None and (access.is_admin(user) or province.pk in access.overseen_provinces(user))
    years: list[int] = []
    if province is not None:
        queryset = Assessment.objects.filter(agency__province=province)
        if not appraiser:
            queryset = queryset.filter(status=Status.FINAL)
        years = list(queryset.order_by("-year").values_list("year", flat=True).distinct())
    query = request.GET.copy() if request.GET else None
    if query is not None and not query.get("kind"):
        # A bound select without a kind would show the first kind (the province) over a table of departments.
        query["kind"] = AgencyKind.DEPARTMENT.value
    form = RankingFilter(
        query,
        provinces=provinces,
        years=years,
        stages=appraiser,
        initial={
            "province": province.pk if province else None,
            "year": years[0] if years else None,
            "kind": AgencyKind.DEPARTMENT.value,
        },
    )
    year = years[0] if years else None
    kind = AgencyKind.DEPARTMENT.value
    stage = "final"
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"] or year
        kind = form.cleaned_data["kind"] or kind
        stage = form.cleaned_data.get("stage") or stage
    lines: list[RankingLine] = []
    if province is not None and year is not None:
        final_only = not appraiser
        ranked = ranking_module.ranking(province, year, kind, stage, final_only=final_only)
        own = {m.agency_id for m in access.memberships(user)}
        # Last year's results count once the council has finalised them.
        before = ranking_module.indices_by_agency(province, year - 1, kind, stage, final_only=True)
        lines = [
            RankingLine(
                r,
                ranking_module.change(r.result.index, before.get(r.assessment.agency_id)),
                ranking_module.provisional(r.assessment),
                appraiser or r.assessment.agency_id in own,
            )
            for r in ranked
        ]
    return RankingData(form, province, year, kind, stage, lines, appraiser)


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    data = _ranking_data(request)
    return _page(
        request,
        "indices/ranking.html",
        {
            "data": data,
            "form": data.form,
            "kind_label": AgencyKind(data.kind).label,
            "stage_label": STAGE_LABELS[data.stage],
            "any_provisional": any(line.provisional for line in data.lines),
        },
        subnav="ranking",
    )


@login_required
def ranking_export(request: HttpRequest) -> HttpResponse:
    data = _ranking_data(request)
    headers = [_("Rank"), _("Agency"), _("Index"), _("Group"), _("Change from last year"), _("Points"),
               _("Applicable maximum"), _("Status")]  # fmt: skip
    rows = [
        [
            line.ranked.rank,
            line.ranked.assessment.agency.name,
            _float(line.ranked.result.index),
            line.ranked.group,
            _float(line.change),
            _float(line.ranked.result.total),
            _float(line.ranked.result.max_points),
            _("Provisional") if line.provisional else _("Final"),
        ]
        for line in data.lines
    ]
    title = _("PAR Index %(year)s") % {"year": data.year or ""}
    content = xlsx.table_workbook(title, headers, rows, widths=[8, 45, 10, 8, 14, 10, 14, 14])
    return xlsx.response(content, f"Xep-hang-Chi-so-CCHC-{data.year or ''}.xlsx")


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
