"""Telling people they were named with @username in a task's history.

plans.actions creates the Mention rows (shown on the person's home page until
seen); this sends each of them an e-mail once the update is committed. A
failed e-mail is logged: the update and the mention stay.
"""

from __future__ import annotations

import logging
import re
from functools import partial

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts.emails import absolute_url, send
from accounts.models import User
from plans.models import TaskUpdate

logger = logging.getLogger(__name__)

# "@vanphong" but not the "@" of an e-mail address; plans.actions reads mentions with it too.
MENTION = re.compile(r"(?<![\w.@])@([\w.+-]+)", re.UNICODE)


def highlight(text: str) -> SafeString:
    """The text escaped, with @names marked and line breaks kept."""
    escaped = MENTION.sub(r'<mark class="mention">@\1</mark>', escape(text))
    return mark_safe(escaped.replace("\n", "<br>"))  # escaped above; only our own tags added


def notify(update: TaskUpdate, request: HttpRequest | None = None) -> int:
    """E-mail everyone mentioned in the update (after commit). Returns how many will be written to."""
    people = [m.person for m in update.mentions.select_related("person") if m.person.email and m.person.is_active]
    if not people:
        return 0
    url = absolute_url(reverse("plans:task_detail", args=[update.task_id]), request)
    for person in people:
        transaction.on_commit(partial(_send, person, update, url))
    return len(people)


def _send(person: User, update: TaskUpdate, url: str) -> None:
    context = {"person": person, "update": update, "task": update.task, "author": update.author, "url": url}
    try:
        send("mention", person.email, context)
    except Exception:  # SMTP or template trouble must not undo or break the update
        logger.exception("Could not send the mention e-mail of update %s to %s", update.pk, person.username)
