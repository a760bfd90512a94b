import os
import shutil

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls
# from a thread with a running loop unless told it is safe, which it is in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling out of this closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Fail loudly, never skip: a CI run without a browser must not pass as green.
    if not shutil.which(CHROMIUM_PATH):
        raise RuntimeError(f"Chromium not found at {CHROMIUM_PATH}; run `make system-deps`.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM_PATH, "args": CHROMIUM_ARGS}


@pytest.fixture
def seeded(db):
    """The seed corpus loaded into the test database, as `manage.py seed` loads it: with the
    first history record of every object, so that later changes show as corrections."""
    call_command("seed", "--force", verbosity=0)


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        username="analyst", password="correct-horse-battery", is_staff=True
    )


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="editor-in-chief", password="correct-horse-battery", email="e@example.org"
    )


# Property-based tests stay small and repeatable in CI: a fixed number of examples, the same
# ones every run (derandomize), no per-example deadline (a test database is slow at times).
hypothesis_settings.register_profile(
    "counterpoint",
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.load_profile("counterpoint")
