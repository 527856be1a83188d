from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecurrenceConfig(AppConfig):
    name = "amends.recurrence"
    verbose_name = _("Recurring problems")
