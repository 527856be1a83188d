"""Recurring problems: the managers' clusters page."""

from django.urls import path

from amends.recurrence import views

app_name = "recurrence"

urlpatterns = [
    path("clusters/", views.cluster_list, name="clusters"),
]
