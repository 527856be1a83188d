"""Test settings: only what tests need differs from production."""

import os

os.environ.setdefault(
    "AMENDS_DATA_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test-data")
)

from amends.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# whitenoise scans STATIC_ROOT at start-up; tests serve from the finders, so an empty folder will do.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
WHITENOISE_AUTOREFRESH = True

# The RQ queue used when a test switches TASKS to the RQ backend (django_rq reads this at import).
RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")}}
