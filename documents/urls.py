from django.urls import path

from documents import generate_views, import_views, register_views

app_name = "documents"

urlpatterns = [
    # The outgoing register, its number series and the document types (register_views.py)
    path("register/", register_views.register, name="register"),
    path("register/new/", register_views.register_create, name="register_create"),
    path("register/<int:pk>/", register_views.outgoing_detail, name="outgoing_detail"),
    path("register/<int:pk>/edit/", register_views.outgoing_edit, name="outgoing_edit"),
    path("register/<int:pk>/signed/", register_views.outgoing_signed, name="outgoing_signed"),
    path("series/<int:agency_pk>/", register_views.series_list, name="series_list"),
    path("series/<int:agency_pk>/new/", register_views.series_create, name="series_create"),
    path("series/edit/<int:pk>/", register_views.series_edit, name="series_edit"),
    path("series/delete/<int:pk>/", register_views.series_delete, name="series_delete"),
    path("types/", register_views.type_list, name="type_list"),
    path("types/new/", register_views.type_create, name="type_create"),
    path("types/<int:pk>/edit/", register_views.type_edit, name="type_edit"),
    # Plan import: upload, review, save (import_views.py)
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/<int:pk>/", import_views.import_review, name="import_review"),
    path("import/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
    # Generated Decree 30 documents (generate_views.py)
    path("plans/<int:pk>/docx/", generate_views.plan_docx, name="plan_docx"),
    path("plans/<int:pk>/pdf/", generate_views.plan_pdf, name="plan_pdf"),
]
