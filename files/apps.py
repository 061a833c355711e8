from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilesConfig(AppConfig):
    name = "files"
    verbose_name = _("Files")

    def ready(self) -> None:
        import audit
        from accounts import access
        from accounts.models import Agency, Unit
        from files import owners
        from files.models import Attachment

        audit.register(Attachment)
        owners.register(Agency, view=access.access_agency, manage=access.can_manage_agency)
        owners.register(
            Unit, view=access.access_unit, manage=lambda user, unit: access.can_manage_agency(user, unit.agency)
        )
