"""Resolution fixtures: an acknowledged case owned by Ania, the cause taxonomy, dates ahead."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from amends.cases import services as case_services
from amends.cases.models import Case
from amends.resolution.models import Cause
from tests.resolution.helpers import cause as make_cause


@pytest.fixture
def case(ania_case: Case, ania) -> Case:
    return case_services.acknowledge(ania_case, actor=ania)


@pytest.fixture
def cause(db) -> Cause:
    return make_cause()


@pytest.fixture
def soon() -> date:
    return timezone.localdate() + timedelta(days=7)
