from django.urls import path

from front.views import home

app_name = "org"

# Placeholder routes: the organisation-management work replaces them.
urlpatterns = [
    path("", home, name="agency_list"),
    path("agencies/<int:pk>/", home, name="agency_detail"),
    path("units/<int:pk>/", home, name="unit_detail"),
]
