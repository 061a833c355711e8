"""The procedure catalogue (TTHC): list, detail with history, edit, import with saved mappings.

The catalogue is public reference data: everyone signed in reads it, and an
agency appears by its short name. Administrators change any procedure,
coordinators those of the agencies they manage (`accounts.access`).

An import reads the file, then either applies a saved mapping at once or
shows the file's headers to match with the canonical columns; the read rows
wait in the session meanwhile, so the file is uploaded once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import Agency, User
from lib import xlsx
from services import procedure_import as importer
from services.models import ColumnMapping, Dossier, OnlineLevel, Procedure, TimeUnit
from services.procedure_forms import MappingForm, ProcedureForm, UploadForm

PER_PAGE = 50
HISTORY_PER_PAGE = 20
SESSION_KEY = "procedure_import"


def time_limit_text(procedure: Procedure) -> str:
    """ "5 ngày làm việc": the number without useless decimals and the unit's label."""
    if procedure.time_limit is None:
        return ""
    value = number_format(procedure.time_limit.normalize() + Decimal(0), force_grouping=True)
    return _("%(value)s %(unit)s") % {"value": value, "unit": TimeUnit(procedure.time_unit).label}


def fee_text(procedure: Procedure) -> str:
    return number_format(procedure.fee, decimal_pos=0, force_grouping=True)


def agency_text(procedure: Procedure) -> str:
    agency = procedure.agency
    return (agency.short_name or agency.abbreviation or agency.code) if agency else ""


@dataclass(frozen=True)
class Row:
    procedure: Procedure
    agency: str
    time_limit: str
    fee: str


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# The list ------------------------------------------------------------------


@login_required
def procedure_list(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    q = request.GET.get("q", "").strip()
    chosen = {
        "agency": _int(request.GET.get("agency")),
        "field": request.GET.get("field", "").strip(),
        "online": request.GET.get("online", "") if request.GET.get("online") in OnlineLevel.values else "",
        "unclassified": request.GET.get("unclassified") == "1",
    }
    procedures = Procedure.objects.search(q)
    if chosen["agency"] is not None:
        procedures = procedures.filter(agency_id=chosen["agency"])
    if chosen["field"]:
        procedures = procedures.filter(field=chosen["field"])
    if chosen["online"]:
        procedures = procedures.filter(online_level=chosen["online"])
    if chosen["unclassified"]:
        procedures = procedures.filter(unclassified=True)
    procedures = procedures.select_related("agency").order_by("code")
    if request.GET.get("format") == "xlsx":
        return _export(procedures)
    counts = procedures.aggregate(
        total=Count("pk"),
        **{level: Count("pk", filter=Q(online_level=level)) for level in OnlineLevel.values},
    )
    page = Paginator(procedures, PER_PAGE).get_page(request.GET.get("page"))
    rows = [Row(p, agency_text(p), time_limit_text(p), fee_text(p)) for p in page]
    online = [(level, label, counts[level]) for level, label in OnlineLevel.choices]
    return render(
        request,
        "services/procedure_list.html",
        {
            "page": page,
            "rows": rows,
            "q": q,
            "chosen": chosen,
            "filtered": bool(q or any(chosen.values())),
            "total": counts["total"],
            "online": online,
            "agencies": Agency.objects.current().order_by("short_name", "pk").only("pk", "short_name"),
            "fields": Procedure.objects.exclude(field="").order_by("field").values_list("field", flat=True).distinct(),
            "online_levels": OnlineLevel.choices,
            "can_import": access.can_import_procedures(user),
            "nav_active": "services",
        },
    )


def _export(procedures: Any) -> HttpResponse:
    headers = [
        _("National code"),
        _("Name"),
        _("Field"),
        _("Handled by"),
        _("Online service"),
        _("Processing time limit"),
        _("Fee (VND)"),
        _("Published on"),
        _("Unclassified"),
    ]
    rows = (
        [
            p.code,
            p.name,
            p.field,
            agency_text(p),
            str(OnlineLevel(p.online_level).label),
            time_limit_text(p),
            int(p.fee),
            p.published_on,
            _("Yes") if p.unclassified else "",
        ]
        for p in procedures.iterator(chunk_size=2000)
    )
    content = xlsx.table_workbook(_("Procedures"), headers, rows, widths=[12, 60, 24, 16, 16, 20, 14, 14, 12])
    return xlsx.response(content, "Danh-muc-TTHC.xlsx")


# One procedure -------------------------------------------------------------


@login_required
def procedure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    procedure = access.access_procedure(user, pk)
    # The trail names people and addresses: it is shown to those who may read it.
    entries = access.visible_audit_entries(user).filter(
        content_type=ContentType.objects.get_for_model(Procedure), object_id=str(procedure.pk)
    )
    page = Paginator(entries.select_related("agency", "content_type"), HISTORY_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "services/procedure_detail.html",
        {
            "procedure": procedure,
            "agency": agency_text(procedure),
            "time_limit": time_limit_text(procedure),
            "fee": fee_text(procedure),
            "dossier_count": Dossier.objects.filter(procedure=procedure).count(),
            "page": page,
            "can_read_history": access.can_view_audit_trail(user),
            "can_manage": access.can_manage_procedure(user, procedure),
            "nav_active": "services",
        },
    )


@login_required
def procedure_create(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    if not access.can_import_procedures(user):
        raise PermissionDenied
    form = ProcedureForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        procedure = form.save()
        messages.success(request, _("The procedure %(code)s was added to the catalogue.") % {"code": procedure.code})
        return redirect("services:procedure_detail", procedure.pk)
    return render(request, "services/procedure_form.html", {"form": form, "nav_active": "services"})


@login_required
def procedure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    procedure = access.access_procedure(user, pk, manage=True)
    form = ProcedureForm(request.POST or None, instance=procedure, user=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The procedure %(code)s was saved.") % {"code": procedure.code})
        return redirect("services:procedure_detail", procedure.pk)
    return render(
        request, "services/procedure_form.html", {"form": form, "procedure": procedure, "nav_active": "services"}
    )


# Import --------------------------------------------------------------------


@login_required
def procedure_import(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    if not access.can_import_procedures(user):
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return _map_and_import(request, user)
    form = UploadForm(request.POST or None, request.FILES or None, user=user)
    if request.method != "POST" or not form.is_valid():
        return _upload_page(request, form)
    upload = form.cleaned_data["file"]
    try:
        table = importer.read_table(upload, upload.name, upload.size)
    except importer.Rejected as error:
        return _upload_page(request, form, error=str(error))
    mapping: ColumnMapping | None = form.cleaned_data["mapping"]
    agency: Agency | None = form.cleaned_data["agency"]
    if mapping is not None:
        try:
            result = importer.import_rows(
                table, mapping.columns, user, default_agency=agency, mapping_name=mapping.name
            )
        except importer.Rejected as error:
            return _upload_page(request, form, error=str(error))
        return _result_page(request, result, upload.name)
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "token": token,
        "name": upload.name,
        "agency": agency.pk if agency else None,
        "table": table.to_json(),
    }
    return _mapping_page(request, table, MappingForm(headers=table.headers), token, upload.name)


def _map_and_import(request: HttpRequest, user: User) -> HttpResponse:
    stored = request.session.get(SESSION_KEY)
    given = request.POST.get("token", "").encode()
    if not stored or not secrets.compare_digest(str(stored.get("token")).encode(), given):
        return _upload_page(
            request,
            UploadForm(user=user),
            error=_(
                "The file read is no longer waiting (the session ended or another file was read). Upload it again."
            ),
        )
    table = importer.Table.from_json(stored["table"])
    form = MappingForm(request.POST, headers=table.headers)
    if not form.is_valid():
        return _mapping_page(request, table, form, stored["token"], stored["name"])
    agency = None
    if stored.get("agency"):
        agency = access.managed_agencies(user).current().filter(pk=stored["agency"]).first()
    try:
        result = importer.import_rows(table, form.columns(), user, default_agency=agency)
    except importer.Rejected as error:
        return _mapping_page(request, table, form, stored["token"], stored["name"], error=str(error))
    if form.cleaned_data["save_as"]:
        mapping = importer.save_mapping(form.cleaned_data["save_as"].strip(), form.columns(), user)
        messages.success(request, _("The mapping “%(name)s” was saved for the next imports.") % {"name": mapping.name})
    request.session.pop(SESSION_KEY, None)
    return _result_page(request, result, stored["name"])


def _upload_page(request: HttpRequest, form: UploadForm, **context: Any) -> HttpResponse:
    context.update(
        form=form,
        columns=importer.KEYS,
        max_mb=importer.max_bytes() // (1024 * 1024),
        nav_active="services",
    )
    return render(request, "services/procedure_import.html", context)


def _mapping_page(
    request: HttpRequest, table: importer.Table, form: MappingForm, token: str, name: str, **context: Any
) -> HttpResponse:
    context.update(
        form=form,
        token=token,
        filename=name,
        headers=table.headers,
        preview=table.rows[: importer.PREVIEW_ROWS],
        row_count=len(table.rows),
        nav_active="services",
    )
    return render(request, "services/procedure_import_mapping.html", context)


def _result_page(request: HttpRequest, result: importer.Result, name: str) -> HttpResponse:
    return render(
        request,
        "services/procedure_import_result.html",
        {"result": result, "filename": name, "nav_active": "services"},
    )


# Saved mappings ------------------------------------------------------------


@login_required
def mapping_list(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    if not access.can_import_procedures(user):
        raise PermissionDenied
    mappings = ColumnMapping.objects.order_by("target", "name")
    return render(request, "services/mapping_list.html", {"mappings": mappings, "nav_active": "services"})


@login_required
@require_POST
def mapping_delete(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = access.access_mapping(access.signed_in(request), pk)
    mapping.delete()
    messages.success(request, _("The mapping “%(name)s” was deleted.") % {"name": mapping.name})
    return redirect("services:mapping_list")
