"""The customer's view by signed link, and the staff's "revoke links"."""

from django.urls import path

from amends.portal import views

app_name = "portal"

urlpatterns = [
    path("portal/staff/<str:reference>/revoke/", views.revoke, name="revoke-links"),
    path("portal/<str:token>/", views.case_view, name="case"),
    path("portal/<str:token>/options/<int:option_id>/", views.decide, name="decide-option"),
    path("portal/<str:token>/actions/<int:item_id>/", views.complete_item, name="complete-item"),
    path("portal/<str:token>/message/", views.write, name="write"),
    path("portal/<str:token>/rating/", views.rate, name="rate"),
]
