from django.contrib.auth import views as auth_views
from django.urls import path

from front.views import home

app_name = "accounts"

# Placeholder routes: the authentication work replaces them.
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/verify/", home, name="otp_verify"),
    path("2fa/setup/", home, name="otp_setup"),
    path("profile/", home, name="profile"),
    path("lockouts/", home, name="lockouts"),
]
