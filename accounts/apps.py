from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and organisation")

    def ready(self) -> None:
        from lib import sqlite

        connection_created.connect(sqlite.install, dispatch_uid="cchc-sqlite-unicode")
