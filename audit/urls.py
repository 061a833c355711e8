from django.urls import path

from front.views import home

app_name = "audit"

urlpatterns = [path("", home, name="list")]
