"""Staff pages for cases; every action on a case is a POST to its own URL."""

from django.urls import path

from amends.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.my_cases, name="my-cases"),
    path("all/", views.case_list, name="case-list"),
    path("<str:reference>/", views.case_detail, name="case-detail"),
    path("<str:reference>/acknowledge/", views.acknowledge_case, name="acknowledge-case"),
    path("<str:reference>/notes/", views.add_note, name="add-note"),
    path("<str:reference>/calls/", views.log_call, name="log-call"),
    path("<str:reference>/hand-over/", views.hand_over_case, name="hand-over-case"),
    path("<str:reference>/state/", views.change_state, name="change-state"),
    path("<str:reference>/commitment/", views.set_commitment, name="set-commitment"),
    path("<str:reference>/replies/", views.record_reply, name="record-reply"),
    path("<str:reference>/coach/", views.coach, name="coach"),
    path("<str:reference>/messages/<int:message_pk>/send/", views.send_draft, name="send-draft"),
    path(
        "<str:reference>/messages/<int:message_pk>/retry/",
        views.retry_message,
        name="retry-message",
    ),
    path(
        "<str:reference>/attachments/<int:attachment_pk>/",
        views.download_attachment,
        name="download-attachment",
    ),
]
