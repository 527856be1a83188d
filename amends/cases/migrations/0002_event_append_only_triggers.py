"""Make the timeline append-only in the database too, not only in the ORM.

UPDATE is refused on both databases. DELETE is refused on PostgreSQL (TRUNCATE, used to reset
test databases, does not fire row triggers); on SQLite, Django's flush deletes rows, so there the
ORM guard and the PROTECT foreign key are the protection against deletion.
"""

from django.db import migrations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION amends_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        schema_editor.execute(
            "CREATE TRIGGER cases_event_append_only BEFORE UPDATE OR DELETE ON cases_event "
            "FOR EACH ROW EXECUTE FUNCTION amends_event_append_only();"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER cases_event_no_update BEFORE UPDATE ON cases_event "
            "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS cases_event_append_only ON cases_event;")
        schema_editor.execute("DROP FUNCTION IF EXISTS amends_event_append_only();")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS cases_event_no_update;")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
