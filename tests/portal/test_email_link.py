"""Every e-mail to the customer ends with the link to their case, in the case's language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from amends.accounts.models import User
from amends.cases.models import Case
from amends.intake import outbound
from amends.intake.complaint import Complaint
from amends.intake.models import Direction
from amends.intake.services import receive

LINK = re.compile(r"^Your case online: (http\S+/portal/\S+/)$", re.MULTILINE)


def test_a_reply_ends_with_a_link_that_opens_its_case(
    client: Client, ania_case: Case, ania: User, settings: Any
) -> None:
    settings.SITE_URL = "https://desk.example"
    message = outbound.compose(
        ania_case,
        subject="Odp",
        body="Technik przyjedzie w czwartek.\n",
        purpose="reply",
        author=ania,
    )
    assert message.body.startswith("Technik przyjedzie w czwartek.\n\n")
    (url,) = re.findall(r"^.+: (http\S+/portal/\S+/)$", message.body, re.MULTILINE)
    assert url.startswith("https://desk.example/portal/")
    response = client.get(url.removeprefix("https://desk.example"))
    assert response.status_code == 200
    assert ania_case.reference.encode() in response.content


@pytest.mark.parametrize("language", ["en", "pl", "bg", "fi"])
def test_the_acknowledgement_carries_the_link(
    ania: User, boryana: User, language: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        received = receive(
            Complaint(
                channel="web_form",
                text="The washing machine delivered last week leaks at every wash.",
                sender_name="Jan",
                sender_email="jan@example.com",
                language=language,
                jurisdiction="PL",
            )
        )
    ack = received.case.messages.filter(direction=Direction.OUT).first()
    assert ack is not None
    assert "/portal/" in ack.body.splitlines()[-1]
