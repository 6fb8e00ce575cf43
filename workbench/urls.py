"""Site URLs: browser pages, auth, admin. The API mounts under /api/."""

from csp.constants import SELF
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from annotations.api.views import DocsView, SchemaView, api_not_found

urlpatterns = [
    path("", include("annotations.web.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/export/", include("annotations.exports.urls")),
    path("api/v1/", include("annotations.api.urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    # Swagger UI draws its icons from data: URLs; the rest of the policy still applies.
    path(
        "api/docs/", csp_update({"img-src": [SELF, "data:"]})(DocsView.as_view()), name="api-docs"
    ),
    # Keep last: unmatched API paths (e.g. a non-numeric id) get a JSON 404, not HTML.
    re_path(r"^api/", api_not_found),
]

handler400 = "workbench.errors.bad_request"
handler403 = "workbench.errors.permission_denied"
handler404 = "workbench.errors.page_not_found"
handler500 = "workbench.errors.server_error"
