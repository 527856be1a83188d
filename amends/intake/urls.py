"""The public complaint form and its confirmation; the staff's "Log a complaint" pages."""

from django.urls import path

from amends.intake import register, views

app_name = "intake"

urlpatterns = [
    path("complain/", views.complain, name="complain"),
    path("complain/thanks/", views.thanks, name="thanks"),
    path("complain/received/<str:token>/", views.complaint_received, name="complaint-received"),
    path("intake/log/", views.log_complaint, name="log-complaint"),
    path("intake/log/<str:reference>/", views.log_complaint_on_case, name="log-complaint-on-case"),
    path("register/export.csv", register.export_csv, name="export-register"),
]
