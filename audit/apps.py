from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        import audit
        from accounts.models import Agency, Membership, Unit, User

        audit.register(Agency)
        audit.register(Unit)
        audit.register(User, exclude=["password", "last_login"])
        audit.register(Membership)
