"""People and the organisation they work in: agencies, units, memberships.

Agencies and units carry validity dates instead of being edited in place when
they merge or are renamed: the old record is closed (`valid_to`) and points to
its `successor`, so documents issued under the old name keep it.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Self, TypeVar

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

_V = TypeVar("_V", bound=models.Model)


class ValidityQuerySet(models.QuerySet[_V, _V]):
    def current(self, on: date | None = None) -> Self:
        """Records in force on the given day (today by default)."""
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        )


class Validity(models.Model):
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(
        _("valid to"),
        null=True,
        blank=True,
        help_text=_("Leave empty while it is in force; set it when it is merged, renamed or dissolved."),
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date must not be before the start date.")})

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or self.valid_to >= today
        )


class AgencyKind(models.TextChoices):
    PROVINCE = "province", _("Provincial People's Committee")
    DEPARTMENT = "department", _("Department, board or sector")
    DISTRICT = "district", _("District People's Committee")
    COMMUNE = "commune", _("Commune People's Committee")
    OTHER = "other", _("Other agency")


class Agency(Validity):
    """A public body (cơ quan): the province's People's Committee, a department, a commune."""

    code = models.SlugField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("A short identifier used in addresses and commands, e.g. sngv-binhphuoc."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices, default=AgencyKind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("superior agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The root of the tree (the province's People's Committee), kept on save so
    # that "every agency of the province" is one indexed filter. Null on roots.
    province = models.ForeignKey(
        "self", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("full name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100)
    abbreviation = models.CharField(
        _("abbreviation"),
        max_length=30,
        help_text=_("Used in document symbols, e.g. SNgV in 41/KH-SNgV."),
    )
    parent_body_name = models.CharField(
        _("parent body in document headers"),
        max_length=255,
        blank=True,
        help_text=_("Printed above the agency's name, e.g. UBND TỈNH BÌNH PHƯỚC."),
    )
    place_name = models.CharField(
        _("place name for the date line"), max_length=100, help_text=_("e.g. Bình Phước, ngày … tháng … năm …")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("succeeded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "province",
                Lower("abbreviation"),
                condition=Q(valid_to__isnull=True),
                name="agency_abbreviation_unique_in_province",
                violation_error_message=_("Another agency of this province already uses this abbreviation."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._set_province()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self._set_province()  # before the uniqueness check, which is per province
        node = self.parent
        while node is not None:
            if node.pk == self.pk:
                raise ValidationError({"parent": _("An agency cannot be placed under itself.")})
            node = node.parent

    def _set_province(self) -> None:
        self.province = None if self.parent is None else (self.parent.province or self.parent)

    @property
    def province_root(self) -> Agency:
        return self.province or self

    def audit_agency_id(self) -> int | None:
        return self.pk


class Unit(Validity):
    """A unit inside an agency (phòng, ban, Văn phòng, Thanh tra, đơn vị sự nghiệp)."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("full name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    abbreviation = models.CharField(
        _("abbreviation"), max_length=30, help_text=_("Used after the agency's in symbols, e.g. VP in 05/BNV-VP.")
    )
    is_coordinator = models.BooleanField(
        _("coordinates administrative reform"),
        default=False,
        help_text=_("The unit that drafts, monitors and consolidates reform work (usually the Office)."),
    )
    order = models.PositiveIntegerField(_("display order"), default=0)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("succeeded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["agency", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                "agency",
                Lower("abbreviation"),
                condition=Q(valid_to__isnull=True),
                name="unit_abbreviation_unique_in_agency",
                violation_error_message=_("Another unit of this agency already uses this abbreviation."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_agency_id(self) -> int | None:
        return self.agency_id


class UserManager(DjangoUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username__iexact=username)

    def create_user(self, username: str, email: str | None = "", password: str | None = None, **extra: Any) -> User:
        user = self.model(username=username.lower(), email=self.normalize_email(email or ""), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, username: str, email: str | None = "", password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(username, email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. One full-name field, as Vietnamese names are written: "Nguyễn Văn A"."""

    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @/./+/-/_ only."),
        error_messages={"unique": _("A person with this username already exists.")},
    )
    full_name = models.CharField(pgettext_lazy("person", "full name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True, help_text=_("Chức vụ, e.g. Trưởng phòng."))
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("can use the administration site"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="user_email_unique",
                violation_error_message=_("Another person already uses this e-mail address."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        self.username = self.username.lower()
        self.email = type(self).objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else self.username

    def audit_agency_id(self) -> int | None:
        membership = self.memberships.order_by("pk").first()
        return membership.agency_id if membership else None


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    LEADER = "leader", _("Agency leader")
    COORDINATOR = "coordinator", _("Reform coordinator")
    UNIT_HEAD = "unit_head", _("Unit head")
    STAFF = "staff", _("Civil servant")
    OVERSEER = "overseer", _("Provincial overseer")


class Membership(Validity):
    """A person's role in an agency, optionally in one of its units."""

    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="memberships")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created = models.DateTimeField(auto_now_add=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["agency", "unit", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                condition=Q(valid_to__isnull=True),
                name="membership_unique_role",
                violation_error_message=_("This person already has this role in this agency."),
            ),
        ]

    def __str__(self) -> str:
        where = f"{self.unit} – {self.agency}" if self.unit_id else str(self.agency)
        return f"{self.user}: {self.get_role_display()} ({where})"

    def clean(self) -> None:
        super().clean()
        if self.unit is not None and self.agency_id and self.unit.agency_id != self.agency_id:
            raise ValidationError({"unit": _("The unit must belong to the selected agency.")})
        if self.role in (Role.UNIT_HEAD, Role.STAFF) and not self.unit_id:
            raise ValidationError({"unit": _("Unit heads and civil servants belong to a unit.")})

    def audit_agency_id(self) -> int | None:
        return self.agency_id
