from django.urls import path

from files import views

app_name = "files"

urlpatterns = [
    path("upload/<str:owner_type>/<int:owner_id>/", views.upload, name="upload"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
