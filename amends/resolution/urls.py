"""Resolution pages: every action on a case's resolution panels is a POST to its own URL."""

from django.urls import path

from amends.resolution import views_letgo

app_name = "resolution"

# The let-go advisor's page for managers (E-4); owned by the advisors (views_letgo.py).
let_go_patterns = [
    path("let-go/", views_letgo.let_go_list, name="let-go"),
    path("let-go/<int:customer_pk>/decide/", views_letgo.decide_let_go, name="decide-let-go"),
]

urlpatterns = [*let_go_patterns]
