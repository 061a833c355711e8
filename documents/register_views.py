"""The outgoing register (Sổ đăng ký văn bản đi), its number series, the document types,
and signed PDFs checked on upload.

The register lists the lines of the agencies the person sees, with the columns
Decree 30 asks of a register (Phụ lục IV.I), exported to Excel or printed in
number order. Numbers are given by documents.register, never typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import Agency, Membership, Role, User
from documents import register as numbering
from documents import signatures
from documents.models import DocumentType, NumberCounter, OutgoingDocument, RegisterSeries, SignatureCheck
from documents.register_forms import DocumentTypeForm, OutgoingEditForm, RegisterForm, SeriesForm
from files.forms import UploadForm
from files.models import Attachment
from lib import xlsx

PER_PAGE = 50
COMMON_SERIES = "*"  # the filter value of the agency's common series (codes are slugs)
PDF = "application/pdf"
# "05/KH-SNgV", "5/kh-sngv", "05 / KH-SNgV": a number and symbol typed in the search box.
NUMBER_SYMBOL = re.compile(r"^\s*0*(\d+)\s*/\s*(\S+)\s*$")

# Phụ lục IV.I of Decree 30: the minimum columns of the outgoing register.
COLUMNS = [
    gettext_lazy("Number and symbol"),
    gettext_lazy("Date"),
    gettext_lazy("Type and summary"),
    gettext_lazy("Signer"),
    gettext_lazy("Recipients"),
    gettext_lazy("Unit or person keeping the file copy"),
    gettext_lazy("Copies"),
    gettext_lazy("Date sent"),
    gettext_lazy("Received by (signature)"),
    gettext_lazy("Note"),
]
WIDTHS = [16, 12, 50, 24, 30, 22, 8, 12, 16, 20]


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"nav_active": "documents", **context})


def _lines(text: str) -> list[str]:
    """Recipients one per line, without the "- " and ";" of the printed list."""
    return [line.strip().lstrip("-–•").strip().rstrip(";.").strip() for line in text.splitlines() if line.strip()]


# The register ---------------------------------------------------------------


@dataclass
class Filters:
    """The register's filters read from the query string; `applied` holds those in force."""

    agencies: list[Agency]
    years: list[int]
    types: list[str]
    series: list[tuple[str, str]]
    applied: dict[str, str]
    q: str
    year: int | None


def _filter(user: User, params: Any, today: date) -> tuple[QuerySet[OutgoingDocument], Filters]:
    visible = access.visible_outgoing(user)
    documents = visible
    applied: dict[str, str] = {}
    agencies = list(access.visible_agencies(user).filter(outgoing_documents__in=visible).distinct().order_by("name"))
    agency = params.get("agency", "")
    if agency.isdigit() and int(agency) in {a.pk for a in agencies}:
        documents = documents.filter(agency_id=int(agency))
        applied["agency"] = agency
    # The current year unless another (or all: an empty value) is asked for.
    raw_year = params.get("year")
    year: int | None = today.year
    if raw_year is not None:
        year = int(raw_year) if raw_year.isdigit() and 2000 <= int(raw_year) <= 2100 else None
    if year is not None:
        documents = documents.filter(register_year=year)
        applied["year"] = str(year)
    years = sorted(
        set(visible.order_by().values_list("register_year", flat=True).distinct()) | {today.year}, reverse=True
    )
    types = list(documents.order_by("type_name").values_list("type_name", flat=True).distinct())
    doc_type = params.get("type", "")
    if doc_type in types:
        documents = documents.filter(type_name=doc_type)
        applied["type"] = doc_type
    codes = sorted(set(documents.order_by().values_list("series", flat=True).distinct()))
    names = dict(
        RegisterSeries.objects.filter(agency__in={a.pk for a in agencies}, code__in=codes).values_list("code", "name")
    )
    series_options = [(code or COMMON_SERIES, names.get(code, code) if code else _("Common series")) for code in codes]
    series = params.get("series", "")
    if series in {value for value, _label in series_options}:
        documents = documents.filter(series="" if series == COMMON_SERIES else series)
        applied["series"] = series
    q = params.get("q", "").strip()
    if q:
        documents = documents.filter(_search(q))
    return documents, Filters(
        agencies, years, types, series_options if len(series_options) > 1 else [], applied, q, year
    )


def _search(q: str) -> Q:
    found = Q(subject__icontains=q) | Q(code_notation__icontains=q)
    match = NUMBER_SYMBOL.match(q)
    if match:
        found |= Q(code_number=int(match.group(1)), code_notation__iexact=match.group(2))
    elif q.isdigit():
        found |= Q(code_number=int(q))
    return found


def _signer(document: OutgoingDocument) -> str:
    return "\n".join(p for p in (document.signer_full_name, document.signer_position) if p)


def _export(documents: QuerySet[OutgoingDocument], several_agencies: bool, year: int | None) -> HttpResponse:
    headers = [str(h) for h in COLUMNS]
    widths = list(WIDTHS)
    if several_agencies:
        headers.insert(0, _("Agency"))
        widths.insert(0, 24)
    rows = []
    for document in documents:
        row: list[Any] = [
            document.number_symbol,
            document.issued_date,
            f"{document.type_name}\n{document.subject}",
            _signer(document),
            "\n".join(_lines(document.to_places)),
            document.archive_holder,
            document.issued_amount,
            document.sent_date,
            "",
            document.note,
        ]
        if several_agencies:
            row.insert(0, document.agency.short_name or document.agency.name)
        rows.append(row)
    title = _("Outgoing register")
    content = xlsx.table_workbook(title, headers, rows, widths)
    return xlsx.response(content, f"{title} {year}.xlsx" if year else f"{title}.xlsx")


@login_required
def register(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    today = timezone.localdate()
    documents, filters = _filter(user, request.GET, today)
    documents = documents.select_related("agency")
    several = len(filters.agencies) > 1 and "agency" not in filters.applied
    output = request.GET.get("format")
    if output == "xlsx":
        return _export(
            documents.order_by("agency__name", "register_year", "series", "code_number"), several, filters.year
        )
    if output == "print":
        return _page(
            request,
            "documents/register_print.html",
            {
                "documents": documents.order_by("agency__name", "register_year", "series", "code_number"),
                "filters": filters,
                "several": several,
                "agency": filters.agencies[0] if len(filters.agencies) == 1 else None,
                "columns": COLUMNS,
            },
        )
    page = Paginator(documents.order_by("-register_year", "-issued_date", "-code_number", "-pk"), PER_PAGE)
    return _page(
        request,
        "documents/register.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "filters": filters,
            "several": len(filters.agencies) > 1,
            "columns": COLUMNS,
            "can_register": access.can_register_somewhere(user),
            "series_agency": _series_agency(user, filters),
        },
    )


def _series_agency(user: User, filters: Filters) -> Agency | None:
    """The agency whose number series the register page links to: the one filtered, or the only one managed."""
    if "agency" in filters.applied:
        chosen = next(a for a in filters.agencies if str(a.pk) == filters.applied["agency"])
        return chosen if access.can_register(user, chosen) else None
    if not access.can_register_somewhere(user):
        return None
    managed = list(access.managed_agencies(user).current()[:2])
    return managed[0] if len(managed) == 1 else None


@login_required
def register_create(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    if not access.can_register_somewhere(user):
        raise PermissionDenied
    agencies = access.managed_agencies(user).current()
    home = agencies[0] if len(agencies) == 1 else access.primary_agency(user)
    leader = _leader(home)
    form = RegisterForm(
        request.POST or None,
        agencies=agencies,
        initial={
            "agency": home.pk if home else None,
            "issued_date": timezone.localdate(),
            "issued_amount": 1,
            "signer_full_name": leader.full_name if leader else "",
            "signer_position": leader.position if leader else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        doc_type: DocumentType = data["doc_type"]
        document = numbering.register_outgoing(
            data["agency"],
            type_code=doc_type.abbreviation,
            type_name=doc_type.name,
            drafting_unit=data["drafting_unit"],
            issued_date=data["issued_date"],
            subject=data["subject"],
            signer_position=data["signer_position"],
            signer_full_name=data["signer_full_name"],
            to_places=data["to_places"],
            archive_holder=data["archive_holder"],
            issued_amount=data["issued_amount"],
            note=data["note"],
            user=user,
        )
        if data["sent_date"]:
            document.sent_date = data["sent_date"]
            document.save(update_fields=["sent_date"])
        messages.success(
            request, _("The document was registered as number %(number)s.") % {"number": document.number_symbol}
        )
        _warn_duplicates(request, document)
        return redirect("documents:outgoing_detail", document.pk)
    return _page(request, "documents/outgoing_form.html", {"form": form})


def _leader(agency: Agency | None) -> User | None:
    """Who usually signs: the agency's leader, offered as the signer."""
    if agency is None:
        return None
    membership = (
        Membership.objects.current()
        .filter(agency=agency, role=Role.LEADER, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _warn_duplicates(request: HttpRequest, document: OutgoingDocument) -> None:
    others = list(numbering.duplicates(document).order_by("issued_date", "pk"))
    if others:
        messages.warning(request, _duplicate_text(document, others))


def _duplicate_text(document: OutgoingDocument, others: list[OutgoingDocument]) -> str:
    return ngettext(
        "Another document of the register of %(year)s has the same number and symbol %(number)s (dated %(dates)s). "
        "Check the register: a number and symbol must be unique within the year.",
        "%(count)s other documents of the register of %(year)s have the same number and symbol %(number)s "
        "(dated %(dates)s). Check the register: a number and symbol must be unique within the year.",
        len(others),
    ) % {
        "count": len(others),
        "year": document.register_year,
        "number": document.number_symbol,
        "dates": ", ".join(formats.date_format(o.issued_date, "SHORT_DATE_FORMAT") for o in others),
    }


# One line -------------------------------------------------------------------


@dataclass
class SignedFile:
    attachment: Attachment
    checks: list[SignatureCheck]

    @property
    def all_good(self) -> bool:
        return all(c.intact and c.valid for c in self.checks)


def _source(user: User, document: OutgoingDocument) -> tuple[str, str | None] | None:
    """The record the line was made from, as (label, link when the person may open it)."""
    source = numbering.source_of(document)
    if source is None:
        return None
    from plans.models import Plan

    if isinstance(source, Plan):
        visible = access.visible_plans(user).filter(pk=source.pk).exists()
        return str(source), reverse("plans:detail", args=[source.pk]) if visible else None
    return str(source), None


@login_required
def outgoing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    document = access.access_outgoing(user, pk)
    pdfs = Attachment.objects.for_owner(document).filter(mime_type=PDF)
    checks: dict[int, list[SignatureCheck]] = {}
    for check in SignatureCheck.objects.filter(attachment__in=pdfs).order_by("attachment", "signing_time", "pk"):
        checks.setdefault(check.attachment_id, []).append(check)
    signed = [SignedFile(a, checks[a.pk]) for a in pdfs.order_by("-uploaded_at", "-pk") if a.pk in checks]
    duplicates = list(numbering.duplicates(document).order_by("issued_date", "pk"))
    can_manage = access.can_register(user, document)
    return _page(
        request,
        "documents/outgoing_detail.html",
        {
            "document": document,
            "recipients": _lines(document.to_places),
            "source": _source(user, document),
            "duplicates": _duplicate_text(document, duplicates) if duplicates else "",
            "signed_files": signed,
            "coverage_labels": {
                code: signatures.coverage_label(code)
                for code in (signatures.ENTIRE_FILE, signatures.ENTIRE_REVISION, signatures.PARTIAL)
            },
            "trust_configured": bool(getattr(settings, "SIGNATURE_TRUST_ROOTS", [])),
            "can_manage": can_manage,
            "signed_form": UploadForm(auto_id="signed-%s") if can_manage else None,
        },
    )


@login_required
def outgoing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    document = access.access_outgoing(user, pk, manage=True)
    form = OutgoingEditForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The register line %(number)s was saved.") % {"number": document.number_symbol})
        return redirect("documents:outgoing_detail", document.pk)
    return _page(request, "documents/outgoing_edit.html", {"form": form, "document": document})


@login_required
@require_POST
def outgoing_signed(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach the signed PDF of the document and record the check of each of its signatures."""
    user = access.signed_in(request)
    document = access.access_outgoing(user, pk, manage=True)
    back = redirect("documents:outgoing_detail", document.pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return back
    upload, checked = form.cleaned_data["file"], form.checked
    if checked.kind.mime != PDF:
        messages.error(
            request, _("“%(name)s” is not a PDF: choose the signed PDF of the document.") % {"name": checked.name}
        )
        return back
    upload.seek(0)
    try:
        results = signatures.verify_pdf(upload.read())
    except signatures.Unverifiable as exc:
        messages.error(request, f"“{checked.name}”: {exc}")
        return back
    if not results:
        messages.error(
            request,
            _(
                "“%(name)s” has no digital signature, so nothing was checked or saved. "
                "To keep an unsigned copy, attach it under “Attached files”."
            )
            % {"name": checked.name},
        )
        return back
    upload.seek(0)
    attachment = _store_checked(document, upload, checked, user, results)
    bad = sum(1 for r in results if not (r.intact and r.valid))
    if bad:
        messages.warning(
            request,
            ngettext(
                "“%(name)s” was attached; %(bad)s of its %(count)s signatures does not hold: see the checks below.",
                "“%(name)s” was attached; %(bad)s of its %(count)s signatures do not hold: see the checks below.",
                bad,
            )
            % {"name": attachment.original_name, "bad": bad, "count": len(results)},
        )
    else:
        messages.success(
            request,
            ngettext(
                "“%(name)s” was attached and its signature checked.",
                "“%(name)s” was attached and its %(count)s signatures checked.",
                len(results),
            )
            % {"name": attachment.original_name, "count": len(results)},
        )
    return back


def _store_checked(
    document: OutgoingDocument, upload: Any, checked: Any, user: User, results: list[signatures.SignatureResult]
) -> Attachment:
    """The attachment and its checks together, or neither (the stored file is removed on failure)."""
    attachment: Attachment | None = None
    try:
        with transaction.atomic():
            attachment = Attachment.store(document, upload, checked, user=user, description=_("Signed PDF"))
            SignatureCheck.objects.bulk_create(
                SignatureCheck(
                    agency_id=document.agency_id,
                    attachment=attachment,
                    field_name=r.field_name[:255],
                    signer_name=r.signer_name[:255],
                    signer_email=r.signer_email[:255],
                    signing_time=r.signing_time,
                    issuer=r.issuer[:500],
                    serial=r.serial[:100],
                    intact=r.intact,
                    valid=r.valid,
                    trusted=r.trusted,
                    coverage=r.coverage,
                    summary=r.summary,
                )
                for r in results
            )
    except BaseException:
        if attachment is not None:
            attachment.file.delete(save=False)
        raise
    return attachment


# Number series ----------------------------------------------------------------


@login_required
def series_list(request: HttpRequest, agency_pk: int) -> HttpResponse:
    user = access.signed_in(request)
    agency = access.access_agency(user, agency_pk, manage=True)
    year = timezone.localdate().year
    last = dict(NumberCounter.objects.filter(agency=agency, year=year).values_list("series", "last_number"))
    series = [(s, last.get(s.code, 0)) for s in agency.register_series.prefetch_related("doc_types").order_by("code")]
    return _page(
        request,
        "documents/series_list.html",
        {"agency": agency, "series": series, "common_last": last.get("", 0), "year": year},
    )


def _series_form(request: HttpRequest, agency: Agency, series: RegisterSeries | None) -> HttpResponse:
    before = set(series.doc_types.values_list("pk", flat=True)) if series else set()
    form = SeriesForm(request.POST or None, instance=series, agency=agency)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("The number series “%(name)s” was saved.") % {"name": saved.name})
        moved = set(saved.doc_types.values_list("pk", flat=True)) - before
        _warn_restart(request, saved, moved)
        return redirect("documents:series_list", agency.pk)
    return _page(request, "documents/series_form.html", {"form": form, "agency": agency, "series": series})


def _warn_restart(request: HttpRequest, series: RegisterSeries, moved: set[int]) -> None:
    """Types moved into a series during a year start again from its counter: say so."""
    if not moved:
        return
    names = list(DocumentType.objects.filter(pk__in=moved).values_list("name", flat=True))
    numbered = OutgoingDocument.objects.filter(
        agency_id=series.agency_id, register_year=timezone.localdate().year, type_name__in=names
    ).exclude(series=series.code)
    if numbered.exists():
        messages.warning(
            request,
            _(
                "Documents of these types were already numbered this year in another series; from now on they "
                "take the numbers of “%(name)s”, so a number and symbol may repeat. The register warns when it does."
            )
            % {"name": series.name},
        )


@login_required
def series_create(request: HttpRequest, agency_pk: int) -> HttpResponse:
    agency = access.access_agency(access.signed_in(request), agency_pk, manage=True)
    return _series_form(request, agency, None)


@login_required
def series_edit(request: HttpRequest, pk: int) -> HttpResponse:
    series = access.access_series(access.signed_in(request), pk)
    return _series_form(request, series.agency, series)


@login_required
def series_delete(request: HttpRequest, pk: int) -> HttpResponse:
    series = access.access_series(access.signed_in(request), pk)
    agency = series.agency
    if request.method == "POST":
        name = series.name
        series.delete()
        messages.success(request, _("The number series “%(name)s” was deleted.") % {"name": name})
        return redirect("documents:series_list", agency.pk)
    return _page(
        request,
        "plans/confirm_delete.html",
        {
            "title": _("Delete the number series"),
            "question": _("Delete the number series “%(name)s”?") % {"name": series.name},
            "details": _(
                "Its types then take their numbers from the agency's common series. "
                "Documents already registered keep their numbers."
            ),
            "cancel_url": reverse("documents:series_list", args=[agency.pk]),
        },
    )


# Document types ---------------------------------------------------------------


@login_required
def type_list(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    return _page(
        request,
        "documents/type_list.html",
        {"types": DocumentType.objects.all(), "can_manage": access.can_manage_document_types(user)},
    )


def _type_form(request: HttpRequest, doc_type: DocumentType | None) -> HttpResponse:
    if not access.can_manage_document_types(access.signed_in(request)):
        raise PermissionDenied
    form = DocumentTypeForm(request.POST or None, instance=doc_type)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("The document type “%(name)s” was saved.") % {"name": saved.name})
        return redirect("documents:type_list")
    return _page(request, "documents/type_form.html", {"form": form, "doc_type": doc_type})


@login_required
def type_create(request: HttpRequest) -> HttpResponse:
    return _type_form(request, None)


@login_required
def type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.can_manage_document_types(access.signed_in(request)):
        raise PermissionDenied
    return _type_form(request, get_object_or_404(DocumentType, pk=pk))
