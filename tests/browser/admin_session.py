"""Staff users and signing in to the admin, as the browser tests' people do."""

from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from tests.test_roles import ensure_roles

ANALYST_PASSWORD = "analyst-pass-Counterpoint-2026"


def make_analyst(user_model, username: str = "ana"):
    """A staff user in the Analyst group, the role the admin workflow is built for."""
    ensure_roles()  # other transactional tests flush every table, groups included
    analyst = user_model.objects.create_user(
        username=username, password=ANALYST_PASSWORD, is_staff=True
    )
    analyst.groups.add(Group.objects.get(name="Analyst"))
    return analyst


def log_in(page: Page, base: str, username: str, password: str = ANALYST_PASSWORD) -> None:
    """Sign in to the admin through its login page, as a person does."""
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_contain_text("Counterpoint administration")
