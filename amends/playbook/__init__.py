"""The playbook as code (PRODUCT.md rules A-E): language detection, the reply coach and reply
templates in Polish, Bulgarian, Finnish and English. Pure Python: never imports Django."""

from amends.playbook.coach import PURPOSE_ELEMENTS, check_reply
from amends.playbook.language import SERVED, Detection, detect_language
from amends.playbook.review import Context, Element, Fault, Finding, Review

__all__ = [
    "PURPOSE_ELEMENTS",
    "SERVED",
    "Context",
    "Detection",
    "Element",
    "Fault",
    "Finding",
    "Review",
    "check_reply",
    "detect_language",
]
