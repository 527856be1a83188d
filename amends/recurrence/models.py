"""One stored embedding per case, so finding similar cases never re-reads the model."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.cases.models import Case


class CaseEmbedding(models.Model):
    """The e5 vector of a case's subject and description (amends.recurrence.similar).

    `text_hash` is the hash of the text embedded: re-embedding the same text changes nothing,
    so the task after intake and the backfill command may both run for a case.
    """

    case = models.OneToOneField(
        Case,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="embedding",
    )
    model = models.CharField(_("model"), max_length=40)
    text_hash = models.CharField(_("text hash"), max_length=64)
    # float32 little-endian, similar.DIMENSIONS values, L2-normalised.
    vector = models.BinaryField(_("vector"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("case embedding")
        verbose_name_plural = _("case embeddings")

    def __str__(self) -> str:
        return f"{self.case_id} {self.model}"
