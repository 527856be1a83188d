"""URL map: staff pages, the public complaint form, accounts, the JSON API and the admin."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from amends.api.urls import api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="cases:my-cases", permanent=False)),
    path("accounts/", include("amends.accounts.urls")),
    path("cases/", include("amends.cases.urls")),
    path("resolution/", include("amends.resolution.urls")),
    path("insights/", include("amends.insights.urls")),
    path("recurrence/", include("amends.recurrence.urls")),
    path("", include("amends.intake.urls")),
    path("", include("amends.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
