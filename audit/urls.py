from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("history/<str:type>/<str:object_id>/", views.object_history, name="object_history"),
]
