from django.urls import path

from services import calendar_views, dashboard_views, dossier_views, indicator_views, procedure_views

app_name = "services"

urlpatterns = [
    # The working-day calendar (calendar_views.py)
    path("calendar/", calendar_views.calendar_year, name="calendar"),
    path("calendar/exceptions/new/", calendar_views.exception_create, name="exception_create"),
    path("calendar/exceptions/<int:pk>/edit/", calendar_views.exception_edit, name="exception_edit"),
    path("calendar/exceptions/<int:pk>/delete/", calendar_views.exception_delete, name="exception_delete"),
    # The procedure catalogue (procedure_views.py)
    path("procedures/", procedure_views.procedure_list, name="procedure_list"),
    path("procedures/new/", procedure_views.procedure_create, name="procedure_create"),
    path("procedures/<int:pk>/", procedure_views.procedure_detail, name="procedure_detail"),
    path("procedures/<int:pk>/edit/", procedure_views.procedure_edit, name="procedure_edit"),
    path("procedures/import/", procedure_views.procedure_import, name="procedure_import"),
    path("mappings/", procedure_views.mapping_list, name="mapping_list"),
    path("mappings/<int:pk>/delete/", procedure_views.mapping_delete, name="mapping_delete"),
    # Dossiers and their import (dossier_views.py)
    path("dossiers/", dossier_views.dossier_list, name="dossier_list"),
    path("dossiers/<int:pk>/", dossier_views.dossier_detail, name="dossier_detail"),
    path("dossiers/import/", dossier_views.dossier_import, name="dossier_import"),
    path("dossiers/import/<int:pk>/", dossier_views.dossier_import_detail, name="dossier_import_detail"),
    path("dossiers/import/<int:pk>/progress/", dossier_views.dossier_import_progress, name="dossier_import_progress"),
    # Service indicators (indicator_views.py)
    path("indicators/<int:agency_pk>/", indicator_views.indicators, name="indicators"),
    # The dashboard: trends, rankings, drill-down (dashboard_views.py)
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/export/", dashboard_views.dashboard_export, name="dashboard_export"),
]
