"""Stored customer addresses lower-cased once, for data written before addresses were
normalised on save (amends.cases.models.normalise_email): used by intake migration 0004 and by
`amends normalise-emails`."""

from __future__ import annotations

from typing import Any

from amends.cases.models import Customer, normalise_email


def normalise_stored_emails(customers: Any = Customer, *, batch: int = 1000) -> int:
    """Lower-case every stored address that is not; the number of customers changed.

    Idempotent. Takes the model as an argument so migration 0004 can pass its historical one
    (whose save() does not normalise).
    """
    changed = []
    for customer in customers.objects.exclude(email="").only("pk", "email").iterator(batch):
        normal = normalise_email(customer.email)
        if normal != customer.email:
            customer.email = normal
            changed.append(customer)
    customers.objects.bulk_update(changed, ["email"], batch_size=batch)
    return len(changed)
