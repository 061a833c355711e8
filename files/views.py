from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from files import owners
from files.forms import UploadForm
from files.models import Attachment

logger = logging.getLogger(__name__)


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse("front:home")


def block_context(user: Any, owner: Any, next_url: str, form: UploadForm | None = None) -> dict[str, Any]:
    """What templates/files/attachments.html needs (the {% attachments_for %} tag and error page)."""
    can_manage = owners.for_model(type(owner)).manage(user, owner)
    key = f"{owner._meta.label_lower.replace('.', '-')}-{owner.pk}"
    if form is None and can_manage:
        form = UploadForm(auto_id=f"{key}-%s")
    return {
        "key": key,
        "owner": owner,
        "attachments": Attachment.objects.for_owner(owner).select_related("uploaded_by"),
        "can_manage": can_manage,
        "form": form,
        "upload_url": reverse("files:upload", args=[owner._meta.label_lower, owner.pk]),
        "next_url": next_url,
    }


@login_required
@require_POST
def upload(request: HttpRequest, owner_type: str, owner_id: int) -> HttpResponse:
    user = access.signed_in(request)
    owner = owners.access_owner(user, owner_type, owner_id, manage=True)
    form = UploadForm(request.POST, request.FILES)
    next_url = _next_url(request)
    if not form.is_valid():
        ctx = block_context(user, owner, next_url, form)
        return render(request, "files/upload_failed.html", ctx, status=400)
    attachment = Attachment.store(
        owner,
        form.cleaned_data["file"],
        form.checked,
        user=user,
        description=form.cleaned_data["description"],
    )
    messages.success(request, _("“%(name)s” was attached.") % {"name": attachment.original_name})
    return redirect(next_url)


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = access.access_attachment(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        logger.error("Attachment %s is missing from storage (%s)", attachment.pk, attachment.file.name)
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.mime_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = access.access_attachment(request.user, pk, manage=True)
    attachment.remove()
    messages.success(request, _("“%(name)s” was removed.") % {"name": attachment.original_name})
    return redirect(_next_url(request))
