"""What the system tells people: notifications in the application and e-mails in a queue.

A `Notification` is one message to one person, unique by (recipient, key): the
key names the event ("task:12:overdue", "digest:2022-W14"), so whichever worker
or retry produces it a second time, nobody gets it twice. Whether it shows in
the notification centre and whether it goes out by e-mail follow the person's
`Preference` for its kind. E-mails wait in `OutgoingEmail` and are sent by the
scheduler, which claims each row with a conditional update and retries with
back-off while the mail server is down; nothing is lost, failures stay visible
to administrators.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    TASK_DUE_SOON = "task_due_soon", _("A task is due soon")
    TASK_OVERDUE = "task_overdue", _("A task is overdue")
    TASK_ESCALATED = "task_escalated", _("A task of my unit or agency is still overdue")
    REPORT_DUE_SOON = "report_due_soon", _("A report is due soon")
    REPORT_LATE = "report_late", _("A report is late")
    REPORT_ESCALATED = "report_escalated", _("A unit's report is still missing")
    REPORT_SUBMITTED = "report_submitted", _("A unit submitted its report")
    REPORT_REVIEWED = "report_reviewed", _("My unit's report was returned or accepted")
    AGENCY_REPORT = "agency_report", _("The agency's consolidated report changed hands")
    PAR = "par", _("The PAR Index assessment moved to its next step")
    URGING = "urging", _("An urging note from the Office")
    DIGEST = "digest", _("Weekly digest")


# Kinds a person receives in both channels unless they choose otherwise; the
# digest is a summary for the inbox, so it is e-mail only by default.
DEFAULT_IN_APP = {kind for kind in Kind} - {Kind.DIGEST}
DEFAULT_EMAIL = {kind for kind in Kind} - {Kind.REPORT_SUBMITTED}


class NotificationQuerySet(models.QuerySet["Notification"]):
    def shown(self) -> NotificationQuerySet:
        return self.filter(in_app=True)

    def unread(self) -> NotificationQuerySet:
        return self.shown().filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    key = models.CharField(_("event"), max_length=200)
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency")
    )
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    in_app = models.BooleanField(_("shown in the application"), default=True)
    email = models.ForeignKey(
        "OutgoingEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event")]
        indexes = [
            models.Index(fields=["recipient", "in_app", "read_at"], name="notification_unread_idx"),
            # The scheduler drops the events of an agency it has sent already in one query.
            models.Index(fields=["agency", "key"], name="notification_agency_key_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """A person's choice of channels for one kind of notification (no row: the defaults)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    by_email = models.BooleanField(_("by e-mail"), default=True)
    in_app = models.BooleanField(_("in the application"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_unique_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingEmail(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=EmailStatus.choices, default=EmailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # While SENDING: the worker's claim expires here (a worker that died frees the row).
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("queued e-mail")
        verbose_name_plural = _("queued e-mails")
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["queued", "sending"]),
                name="email_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
