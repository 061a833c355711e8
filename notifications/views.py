"""The notification centre (list, unread count, mark read), preferences, and the mail queue page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import User
from notifications import outbox as mail_queue
from notifications.forms import PreferencesForm
from notifications.models import EmailStatus, Notification, OutgoingEmail

PAGE_SIZE = 25


def _unread(user: User) -> QuerySet[Notification]:
    return access.visible_notifications(user).filter(in_app=True, read_at__isnull=True)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    show = "unread" if request.GET.get("show") == "unread" else "all"
    notifications = access.visible_notifications(user).filter(in_app=True)
    if show == "unread":
        notifications = notifications.filter(read_at__isnull=True)
    notifications = notifications.annotate(
        is_read=Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("is_read", "-created", "-pk")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "show": show})


@login_required
def badge(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    count = _unread(user).count()
    return render(request, "notifications/badge.html", {"count": count})


def _is_local(url: str, request: HttpRequest) -> bool:
    """A path of this site ("/plans/tasks/1/"), never "//elsewhere" or a full address."""
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    )


@login_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    notification = access.access_notification(user, pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if _is_local(notification.url, request):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    count = _unread(user).update(read_at=timezone.now())
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    else:
        messages.info(request, _("You have no unread notifications."))
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    form = PreferencesForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    if not access.can_see_mail_queue(user):
        raise Http404
    counts = dict(OutgoingEmail.objects.order_by().values_list("status").annotate(n=Count("pk")))
    waiting = OutgoingEmail.objects.exclude(status=EmailStatus.SENT).order_by("status", "next_attempt_at", "pk")
    page = Paginator(waiting, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/outbox.html",
        {
            "page": page,
            "counts": [(status, label, counts.get(status, 0)) for status, label in EmailStatus.choices],
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    if not access.can_see_mail_queue(user):
        raise Http404
    email = OutgoingEmail.objects.filter(pk=pk).first()
    if email is None:
        raise Http404
    if mail_queue.retry(email):
        messages.success(request, _("The e-mail to %(to)s will be sent at the next round.") % {"to": email.to})
    else:
        messages.info(request, _("The e-mail to %(to)s is being sent or was sent already.") % {"to": email.to})
    return redirect("notifications:outbox")
