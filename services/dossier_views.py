"""Dossiers: the list with filters, one dossier, the import page and the report of an import run.

The import page takes a canonical file, or an export with a saved column
mapping. When a file lacks canonical headers, the page offers to map its
headers (suggesting the known aliases of the provincial exports) and saves the
mapping; the person then imports the file with it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import access
from accounts.models import Agency, User
from services import dossier_import as importer
from services import dossier_queries, import_queue
from services.dossier_forms import FilterForm, ImportForm, MappingForm, dossier_mappings
from services.models import ColumnMapping, DossierImport, ImportStatus, MappingTarget

PER_PAGE = 50
RECENT_RUNS = 20
ERRORS_SHOWN = 1000
SESSION_HEADERS = "dossier_import_headers"
WAITING = (ImportStatus.QUEUED, ImportStatus.RUNNING)


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    agencies = access.visible_agencies(user).order_by("short_name")
    form = FilterForm(request.GET or None, agencies=agencies)
    dossiers = access.visible_dossiers(user).select_related("agency", "procedure").order_by("-received_at", "-pk")
    today = timezone.localdate()
    if form.is_valid():
        data = form.cleaned_data
        if data["agency"]:
            dossiers = dossiers.filter(agency=data["agency"])
        if data["procedure"]:
            dossiers = dossiers.filter(procedure__code=data["procedure"].strip())
        if data["channel"]:
            dossiers = dossiers.filter(channel=data["channel"])
        if data["status"]:
            dossiers = dossiers.filter(status=data["status"])
        if data["received_from"]:
            dossiers = dossiers.filter(received_at__date__gte=data["received_from"])
        if data["received_to"]:
            dossiers = dossiers.filter(received_at__date__lte=data["received_to"])
        if data["deadline"]:
            dossiers = dossier_queries.with_status(dossiers, data["deadline"], today)
    page = Paginator(dossiers, PER_PAGE).get_page(request.GET.get("page"))
    for dossier in page.object_list:
        dossier.deadline_today = dossier.deadline_status(today)
    return render(
        request,
        "services/dossier_list.html",
        {
            "form": form,
            "page": page,
            "filtered": form.is_bound and any(v for k, v in request.GET.items() if k != "page"),
            "can_import": access.is_admin(user) or access.managed_agencies(user).exists(),
            "nav_active": "services",
        },
    )


@login_required
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    dossier = access.access_dossier(user, pk)
    return render(
        request,
        "services/dossier_detail.html",
        {
            "dossier": dossier,
            "deadline": dossier.deadline_status(),
            "today": timezone.localdate(),
            "nav_active": "services",
        },
    )


def _import_agencies(user: User) -> Any:
    agencies = access.managed_agencies(user).current().order_by("short_name")
    if not agencies.exists():
        raise PermissionDenied
    return agencies


@login_required
def dossier_import(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    agencies = _import_agencies(user)
    if request.method == "POST" and "save_mapping" in request.POST:
        return _save_mapping(request, user, agencies)
    if request.method != "POST":
        chosen = dossier_mappings().filter(pk=request.GET.get("mapping") or 0).first()
        initial = {"mapping": chosen} if chosen else {}
        return _import_page(request, agencies, form=ImportForm(initial=initial, agencies=agencies))
    form = ImportForm(request.POST, request.FILES, agencies=agencies)
    if not form.is_valid():
        return _import_page(request, agencies, form=form)
    agency: Agency = form.cleaned_data["agency"]
    if not access.can_import_dossiers(user, agency):
        raise PermissionDenied
    upload = form.cleaned_data["file"]
    mapping: ColumnMapping | None = form.cleaned_data["mapping"]
    if mapping is None:
        try:
            headers = importer.read_headers(
                upload.file, upload.name, size=upload.size, max_bytes=settings.DOSSIER_UPLOAD_MAX_BYTES
            )
            importer.resolve_columns(headers, None)
        except importer.MissingColumns as missing:
            request.session[SESSION_HEADERS] = headers
            return _import_page(
                request,
                agencies,
                form=ImportForm(initial={"agency": agency}, agencies=agencies),
                error=str(missing),
                mapping_form=MappingForm(headers=headers),
            )
        except importer.FileRejected as rejected:
            return _import_page(request, agencies, form=form, error=str(rejected))
        upload.file.seek(0)
    if upload.size > settings.DOSSIER_IMPORT_INLINE_BYTES:
        run = import_queue.enqueue(upload, agency, mapping=mapping, user=user)
        messages.info(request, _("The file was received. It is imported in the background: follow its progress here."))
        return redirect("services:dossier_import_detail", run.pk)
    run = importer.run_import(
        upload.file,
        upload.name,
        agency,
        mapping=mapping,
        user=user,
        size=upload.size,
        max_bytes=settings.DOSSIER_UPLOAD_MAX_BYTES,
    )
    if run.status == ImportStatus.FAILED:
        messages.error(request, _("Nothing was imported: %(reason)s") % {"reason": run.message})
    elif run.rejected_count:
        messages.warning(
            request,
            ngettext(
                "%(stored)s dossiers stored; %(count)s row was rejected (see the list below).",
                "%(stored)s dossiers stored; %(count)s rows were rejected (see the list below).",
                run.rejected_count,
            )
            % {"stored": run.created_count + run.updated_count, "count": run.rejected_count},
        )
    else:
        messages.success(
            request,
            _("%(created)s dossiers created and %(updated)s updated.")
            % {"created": run.created_count, "updated": run.updated_count},
        )
    return redirect("services:dossier_import_detail", run.pk)


def _save_mapping(request: HttpRequest, user: User, agencies: Any) -> HttpResponse:
    headers = request.session.get(SESSION_HEADERS)
    if not isinstance(headers, list):
        messages.error(request, _("The headers of the file are no longer known. Upload the file again."))
        return redirect("services:dossier_import")
    form = MappingForm(request.POST, headers=[str(h) for h in headers])
    if not form.is_valid():
        return _import_page(
            request, agencies, form=ImportForm(agencies=agencies), mapping_form=form, error=_("Check the mapping.")
        )
    mapping = ColumnMapping.objects.create(
        name=form.cleaned_data["name"], target=MappingTarget.DOSSIERS, columns=form.columns(), created_by=user
    )
    request.session.pop(SESSION_HEADERS, None)
    messages.success(
        request,
        _("The mapping “%(name)s” was saved. Choose the file again to import it with this mapping.")
        % {"name": mapping.name},
    )
    return redirect(reverse("services:dossier_import") + f"?mapping={mapping.pk}")


def _import_page(request: HttpRequest, agencies: Any, **context: Any) -> HttpResponse:
    runs = DossierImport.objects.filter(agency__in=agencies).select_related("agency", "created_by")[:RECENT_RUNS]
    context.update(
        runs=runs,
        required=importer.REQUIRED,
        optional=[c for c in importer.COLUMNS if c not in importer.REQUIRED],
        max_mb=settings.DOSSIER_UPLOAD_MAX_BYTES // (1024 * 1024),
        nav_active="services",
    )
    return render(request, "services/dossier_import.html", context)


@login_required
def dossier_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = access.access_dossier_import(access.signed_in(request), pk)
    return render(
        request,
        "services/dossier_import_detail.html",
        {
            "run": run,
            "errors": run.errors[:ERRORS_SHOWN],
            "progress": import_queue.progress(run) if run.status in WAITING else None,
            "nav_active": "services",
        },
    )


@login_required
def dossier_import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of a queued or running import, polled by its page; the page reloads when it ends."""
    run = access.access_dossier_import(access.signed_in(request), pk)
    if run.status not in WAITING:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(
        request, "services/dossier_import_progress.html", {"run": run, "progress": import_queue.progress(run)}
    )
