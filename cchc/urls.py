from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from front import views as front_views

urlpatterns = [
    path("", include("front.urls")),
    path("accounts/", include("accounts.urls")),
    path("org/", include("accounts.org_urls")),
    path("audit/", include("audit.urls")),
    path("files/", include("files.urls")),
    path("plans/", include("plans.urls")),
    path("documents/", include("documents.urls")),
    path("reports/", include("reports.urls")),
    path("notifications/", include("notifications.urls")),
    path("services/", include("services.urls")),
    path("par/", include("indices.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Pages without our <link rel="icon"> (the admin site) still ask for /favicon.ico.
    path("favicon.ico", front_views.favicon),
    # The administration site signs in through our own page (rate limit, lockout, 2FA).
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
]

handler400 = "front.views.bad_request"
handler403 = "front.views.permission_denied"
handler404 = "front.views.page_not_found"
handler500 = "front.views.server_error"

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME
