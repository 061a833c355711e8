from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Membership, Unit, User


class UnitInline(admin.TabularInline):
    model = Unit
    fields = ["abbreviation", "name", "short_name", "is_coordinator", "order", "valid_from", "valid_to"]
    extra = 0
    show_change_link = True


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "short_name", "abbreviation", "code"]
    autocomplete_fields = ["parent", "successor"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "agency", "is_coordinator", "valid_to"]
    list_filter = ["agency", "is_coordinator"]
    search_fields = ["name", "abbreviation", "agency__name"]
    autocomplete_fields = ["agency", "successor"]


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["agency", "unit", "role", "valid_from", "valid_to"]
    autocomplete_fields = ["agency", "unit"]
    extra = 0


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("username", "full_name", "email")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = ["username", "full_name", "email", "position", "is_active", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__role"]
    search_fields = ["username", "full_name", "email"]
    ordering = ["full_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal information"), {"fields": ("full_name", "email", "phone", "position")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "full_name", "email", "password1", "password2")},
        ),
    )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "agency", "unit", "valid_from", "valid_to"]
    list_filter = ["role", "agency"]
    search_fields = ["user__full_name", "user__username", "agency__name"]
    autocomplete_fields = ["user", "agency", "unit"]
