from __future__ import annotations

from typing import Any

from django import template

from files.views import block_context

register = template.Library()


@register.inclusion_tag("files/attachments.html", takes_context=True)
def attachments_for(context: template.Context, owner: Any) -> dict[str, Any]:
    """The owner's attachments, with an upload form for the people who may add them."""
    request = context["request"]
    return block_context(request.user, owner, request.get_full_path())
