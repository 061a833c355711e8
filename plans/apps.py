from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accounts.access import AnyUser
    from plans.models import TargetValue, TaskUpdate


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"
    verbose_name = _("Plans, tasks and targets")

    def ready(self) -> None:
        import audit
        from accounts import access
        from files import owners
        from plans import models

        for model in (models.Plan, models.LegalBasis, models.Section, models.Task, models.Target, models.ReformArea):
            audit.register(model, exclude=["search_text"])
        audit.register(models.TargetValue)
        owners.register(models.TaskUpdate, view=access.access_task_update, manage=_may_attach_to_update)
        owners.register(models.TargetValue, view=access.access_target_value, manage=_may_attach_to_value)


def _may_attach_to_update(user: AnyUser, update: TaskUpdate) -> bool:
    from accounts import access

    return update.author_id == user.pk and (
        access.can_post_progress(user, update.task) or access.can_contribute(user, update.task)
    )


def _may_attach_to_value(user: AnyUser, value: TargetValue) -> bool:
    from accounts import access

    return access.can_record_value(user, value.target)
