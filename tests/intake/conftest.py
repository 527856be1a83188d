"""Fixtures shared by the intake tests (personas come from tests/conftest.py)."""
