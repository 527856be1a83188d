"""Amends: the complaint-resolution desk."""

__version__ = "0.1.0"
