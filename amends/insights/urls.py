from django.urls import path

from amends.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("recompute/", views.recompute, name="recompute"),
    path("export/<slug:key>.csv", views.export, name="export"),
]
