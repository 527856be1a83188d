"""Resolution pages: every action on a case's resolution panels is a POST to its own URL."""

from django.urls import path

from amends.resolution import views, views_letgo

app_name = "resolution"

# The panels of the case page and the managers' improvement list.
case_panel_patterns = [
    path("improvements/", views.improvements, name="improvements"),
    path("cases/<str:reference>/facts/", views.add_fact, name="add-fact"),
    path("cases/<str:reference>/facts/<int:fact_pk>/check/", views.check_fact, name="check-fact"),
    path(
        "cases/<str:reference>/facts/<int:fact_pk>/evidence/",
        views.download_evidence,
        name="download-evidence",
    ),
    path("cases/<str:reference>/root-cause/", views.set_root_cause, name="set-root-cause"),
    path("cases/<str:reference>/fault/", views.set_fault, name="set-fault"),
    path("cases/<str:reference>/improvements/", views.add_improvement, name="add-improvement"),
    path(
        "cases/<str:reference>/improvements/<int:task_pk>/done/",
        views.complete_improvement,
        name="complete-improvement",
    ),
    path("cases/<str:reference>/proposals/", views.propose, name="propose"),
    path(
        "cases/<str:reference>/proposals/<int:proposal_pk>/withdraw/",
        views.withdraw_proposal,
        name="withdraw-proposal",
    ),
    path(
        "cases/<str:reference>/options/<int:option_pk>/decision/",
        views.decide_option,
        name="decide-option",
    ),
    path("cases/<str:reference>/actions/", views.add_action_item, name="add-action-item"),
    path(
        "cases/<str:reference>/actions/<int:item_pk>/done/",
        views.complete_action_item,
        name="complete-action-item",
    ),
    path(
        "cases/<str:reference>/compensation/",
        views.propose_compensation,
        name="propose-compensation",
    ),
    path(
        "cases/<str:reference>/compensation/<int:compensation_pk>/approve/",
        views.approve_compensation,
        name="approve-compensation",
    ),
    path(
        "cases/<str:reference>/compensation/<int:compensation_pk>/paid/",
        views.pay_compensation,
        name="pay-compensation",
    ),
    path(
        "cases/<str:reference>/compensation/<int:compensation_pk>/cancel/",
        views.cancel_compensation,
        name="cancel-compensation",
    ),
    path("cases/<str:reference>/resolve/", views.resolve, name="resolve-case"),
    path(
        "cases/<str:reference>/customer-review/",
        views.write_customer_review,
        name="write-customer-review",
    ),
    path(
        "cases/<str:reference>/internal-review/",
        views.write_internal_review,
        name="write-internal-review",
    ),
    path(
        "cases/<str:reference>/prevention/",
        views.add_prevention_action,
        name="add-prevention-action",
    ),
    path(
        "cases/<str:reference>/prevention/<int:action_pk>/done/",
        views.complete_prevention_action,
        name="complete-prevention-action",
    ),
]

# The let-go advisor's page for managers (E-4); owned by the advisors (views_letgo.py).
let_go_patterns = [
    path("let-go/", views_letgo.let_go_list, name="let-go"),
    path("let-go/<int:customer_pk>/decide/", views_letgo.decide_let_go, name="decide-let-go"),
]

urlpatterns = [*case_panel_patterns, *let_go_patterns]
