"""The customer a complaint comes from, found by e-mail address on the indexed column.

Addresses are stored lower-cased (normalised here, at the edge), so finding a customer is an
exact match that the index on Customer.email serves on SQLite and PostgreSQL alike; the
case-insensitive `email__iexact` (UPPER() = UPPER() on PostgreSQL, LIKE on SQLite) can use it
on neither and reads every customer. Addresses stored in mixed case before (or typed so in the
admin) are lower-cased by intake migration 0004 and by `amends normalise-emails`.
"""

from __future__ import annotations

from decimal import Decimal

from amends.cases import services as case_services
from amends.cases.models import Customer, CustomerKind, Language


def normalise_email(address: str) -> str:
    """An address as stored and matched: trimmed, lower-cased (as a case-insensitive match
    on PostgreSQL compared them before, non-ASCII letters included)."""
    return address.strip().lower()


def known_customer(email: str) -> Customer | None:
    """The oldest customer with this address (any case), or None."""
    email = normalise_email(email)
    if not email:
        return None
    return Customer.objects.filter(email=email).order_by("pk").first()


def customer_for(
    *,
    name: str,
    email: str = "",
    phone: str = "",
    language: str = Language.EN,
    jurisdiction: str = "PL",
    kind: str = CustomerKind.CONSUMER,
    annual_value: Decimal = Decimal(0),
    currency: str = "EUR",
) -> Customer:
    """The known customer with this address, reused as recorded; else a new unsaved one,
    built by `cases.services.customer_for_intake`, with the address normalised."""
    email = normalise_email(email)
    known = known_customer(email)
    if known is not None:
        return known
    # Given no address, customer_for_intake only builds: its own look-up is case-insensitive,
    # which no index serves, and we have just looked on the index.
    customer = case_services.customer_for_intake(
        name=name,
        phone=phone,
        language=language,
        jurisdiction=jurisdiction,
        kind=kind,
        annual_value=annual_value,
        currency=currency,
    )
    customer.email = email
    return customer


def normalise_stored_emails(customers: type[Customer] = Customer, *, batch: int = 1000) -> int:
    """Lower-case every stored address that is not; the number of customers changed.

    Idempotent. Takes the model as an argument so migration 0004 can pass its historical one.
    """
    changed = []
    for customer in customers.objects.exclude(email="").only("pk", "email").iterator(batch):
        normal = normalise_email(customer.email)
        if normal != customer.email:
            customer.email = normal
            changed.append(customer)
    customers.objects.bulk_update(changed, ["email"], batch_size=batch)
    return len(changed)
