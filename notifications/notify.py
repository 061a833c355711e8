"""Telling people: `notify` writes a notification once per (person, event) and queues its e-mail.

Callers name the event with a key ("task:12:before:2", "report:5:late"); a
second call with the same key for the same person does nothing, whichever
worker makes it. The person's preferences for the kind decide whether it shows
in the notification centre and whether an e-mail is queued.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notifications.models import DEFAULT_EMAIL, DEFAULT_IN_APP, Notification, OutgoingEmail, Preference

if TYPE_CHECKING:
    from accounts.models import Agency, User


def all_channels(user_ids: Iterable[int], kinds: Iterable[str]) -> dict[tuple[int, str], tuple[bool, bool]]:
    """(in_app, by_email) for each person and kind, in one query: their choice, or the default."""
    user_ids, kinds = list(user_ids), list(kinds)
    found = {(u, k): (k in DEFAULT_IN_APP, k in DEFAULT_EMAIL) for u in user_ids for k in kinds}
    for pref in Preference.objects.filter(user_id__in=user_ids, kind__in=kinds):
        found[(pref.user_id, pref.kind)] = (pref.in_app, pref.by_email)
    return found


def channels(user: User, kind: str) -> tuple[bool, bool]:
    """(in_app, by_email) for this person and kind: their choice, or the default."""
    return all_channels([user.pk], [kind])[(user.pk, kind)]


def queue_email(
    to: str, template: str, context: dict[str, Any], *, recipient: User | None = None, now: datetime | None = None
) -> OutgoingEmail:
    """Render templates/emails/<template>-subject/-body-text/-body-html.html into the queue (in Vietnamese)."""
    context = {**context, "site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
    with translation.override(settings.LANGUAGE_CODE):
        subject = "".join(render_to_string(f"emails/{template}-subject.html", context).splitlines()).strip()
        text = render_to_string(f"emails/{template}-body-text.html", context)
        html = render_to_string(f"emails/{template}-body-html.html", context)
    now = now or timezone.now()
    return OutgoingEmail.objects.create(
        recipient=recipient, to=to, subject=subject[:255], text=text, html=html, created=now, next_attempt_at=now
    )


def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    agency: Agency | None = None,
    template: str = "notification",
    context: dict[str, Any] | None = None,
    now: datetime | None = None,
    actor: User | None = None,
) -> list[Notification]:
    """Notify each person once for the event `key`; returns the notifications made now.

    `actor` (the person whose step it is) is not told of their own step, e.g. the
    Chief of the Office who accepts the Office's own report.

    `title` and `body` are already translated text (Vietnamese, the interface
    default); the e-mail uses templates/emails/<template>-*.html with `title`,
    `body`, `url` (absolute) and `context`.
    """
    now = now or timezone.now()
    made = []
    seen: set[int] = {actor.pk} if actor is not None else set()
    people = []
    for person in recipients:
        if person.pk not in seen and person.is_active:
            seen.add(person.pk)
            people.append(person)
    # Two queries for everybody, not two per person: who has it already, and who chose what.
    told = set(Notification.objects.filter(recipient__in=people, key=key).values_list("recipient_id", flat=True))
    people = [p for p in people if p.pk not in told]
    chosen = all_channels((p.pk for p in people), [kind])
    for person in people:
        in_app, by_email = chosen[(person.pk, kind)]
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=person,
                    kind=kind,
                    key=key,
                    agency=agency,
                    title=title[:255],
                    body=body,
                    url=url,
                    in_app=in_app,
                    created=now,
                )
                if by_email and person.email:
                    notification.email = queue_email(
                        person.email,
                        template,
                        {
                            "person": person,
                            "title": title,
                            "body": body,
                            "url": settings.SITE_URL + url if url.startswith("/") else url,
                            **(context or {}),
                        },
                        recipient=person,
                        now=now,
                    )
                    notification.save(update_fields=["email"])
        except IntegrityError:  # another worker made it a moment ago
            continue
        made.append(notification)
    return made
