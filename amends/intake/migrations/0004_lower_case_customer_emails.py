"""Customers' e-mail addresses lower-cased once, as intake now stores and matches them
(amends.intake.customers): a returning customer whose address was stored in mixed case is
still found, by an exact match on the indexed column."""

from typing import Any

from django.db import migrations


def lower_case(apps: Any, schema_editor: Any) -> None:
    from amends.intake.customers import normalise_stored_emails

    normalise_stored_emails(apps.get_model("cases", "Customer"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_portal_channel"),
        ("intake", "0003_unique_with_nulls"),
    ]

    operations = [migrations.RunPython(lower_case, migrations.RunPython.noop, elidable=True)]
