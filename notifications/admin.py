from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from notifications.models import Notification, OutgoingEmail


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: notifications and e-mails are made by the application; retry e-mails on the mail queue page."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created", "recipient", "kind", "title", "in_app", "read_at"]
    list_filter = ["kind", "in_app"]
    search_fields = ["title", "key", "recipient__full_name", "recipient__username"]
    list_select_related = ["recipient"]
    date_hierarchy = "created"


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    list_display = ["created", "to", "subject", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created"
