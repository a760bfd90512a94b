"""The admin login throttles guessing per username and address, and only staff get in."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.test import override_settings
from django.urls import reverse

from tracker.security import client_ip_address

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # the conftest staff_user's
HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Every attempt hashes a password; production's PBKDF2 makes that a second each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client, username: str, password: str, **meta: str):
    meta.setdefault("REMOTE_ADDR", HOME)
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        **meta,
    )


def fail_five_times(client, username: str = "analyst", **meta: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, username, "wrong-password-guess", **meta)
    client.logout()


def test_after_five_failures_the_right_password_is_refused_with_a_lockout_page(client, staff_user):
    fail_five_times(client)
    response = log_in(client, "analyst", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.text
    assert "after 5 failed attempts" in response.text
    assert "0:30:00" in response.text  # the default cool-off
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock_the_user_out(client, staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "analyst", "wrong-password-guess").status_code == 200
    assert log_in(client, "analyst", PASSWORD).status_code == 302


def test_the_same_user_from_another_address_is_not_locked_out(client, staff_user):
    fail_five_times(client)
    response = log_in(client, "analyst", PASSWORD, REMOTE_ADDR=ELSEWHERE)
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_another_user_from_the_same_address_is_not_locked_out(
    client, staff_user, django_user_model
):
    django_user_model.objects.create_user(username="colleague", password=PASSWORD, is_staff=True)
    fail_five_times(client)
    assert log_in(client, "colleague", PASSWORD).status_code == 302


def test_the_lockout_lifts_once_the_cool_off_has_passed(client, staff_user):
    fail_five_times(client)
    assert log_in(client, "analyst", PASSWORD).status_code == 429
    # Travel past the cool-off: the attempts now look as old as the cool-off period.
    past = settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - past)
    assert log_in(client, "analyst", PASSWORD).status_code == 302


def test_an_administrator_can_lift_a_lockout_at_once(client, staff_user):
    fail_five_times(client)
    assert reset(username="analyst") == 1
    assert log_in(client, "analyst", PASSWORD).status_code == 302


@override_settings(BEHIND_TLS_PROXY=True)
def test_behind_the_proxy_the_lockout_follows_the_address_the_proxy_forwarded(client, staff_user):
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    fail_five_times(client, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    locked = log_in(client, "analyst", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert locked.status_code == 429
    # A forged left-hand entry does not get the attacker a fresh address...
    forged = log_in(
        client, "analyst", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7", **proxy
    )
    assert forged.status_code == 429
    # ...while a reader at another address, through the same proxy, logs in.
    other = log_in(client, "analyst", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy)
    assert other.status_code == 302


def request_from(remote: str, forwarded: str | None = None) -> HttpRequest:
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = remote
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_without_the_proxy_a_forwarded_header_is_ignored():
    with override_settings(BEHIND_TLS_PROXY=False):
        assert client_ip_address(request_from("10.0.0.9", "203.0.113.7")) == "10.0.0.9"
    with override_settings(BEHIND_TLS_PROXY=True):
        assert client_ip_address(request_from("10.0.0.9", "1.1.1.1, 203.0.113.7")) == (
            "203.0.113.7"
        )
        assert client_ip_address(request_from("10.0.0.9")) == "10.0.0.9"


def test_a_user_who_is_not_staff_cannot_log_in_to_the_admin(client, django_user_model):
    django_user_model.objects.create_user(username="reader", password=PASSWORD)
    response = log_in(client, "reader", PASSWORD)
    assert response.status_code == 200
    assert "Please enter the correct username and password for a staff account" in response.text
    assert client.get("/admin/").status_code == 302


def test_client_login_works_when_given_a_request(client, staff_user):
    # django-axes refuses authenticate() without a request, so tests that use
    # client.login pass one; client.force_login needs nothing.
    assert client.login(request=HttpRequest(), username="analyst", password=PASSWORD)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Tr0ub4dor&3", "at least 12 characters"),
        ("password1234", "too common"),
        ("384920174629", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused(password, problem):
    with pytest.raises(ValidationError, match=problem):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("violet-harbour-lantern-42")
