from django.urls import path

from accounts import org_views as views

app_name = "org"

urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency_edit"),
    path("agencies/<int:pk>/units/new/", views.unit_create, name="unit_create"),
    path("agencies/<int:pk>/people/", views.person_list, name="person_list"),
    path("agencies/<int:pk>/people/new/", views.person_create, name="person_create"),
    path("agencies/<int:pk>/import/", views.import_people, name="import"),
    path("agencies/<int:pk>/import/template.xlsx", views.import_template, name="import_template"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person_reactivate"),
    path("people/<int:pk>/roles/new/", views.membership_add, name="membership_add"),
    path("roles/<int:pk>/end/", views.membership_end, name="membership_end"),
]
