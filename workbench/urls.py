"""Site URLs: browser pages, auth, admin. The API mounts under /api/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("annotations.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]

handler400 = "workbench.errors.bad_request"
handler403 = "workbench.errors.permission_denied"
handler404 = "workbench.errors.page_not_found"
handler500 = "workbench.errors.server_error"
