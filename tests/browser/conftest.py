import pytest
from django.core.management import call_command

DISPUTE_SLUG = "taobao-notorious-markets-listing"


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, stopped before the test database is dropped.

    Depending on django_db_setup orders the teardown: otherwise the server thread may still
    hold a PostgreSQL connection when the test database is destroyed.
    """
    return live_server


@pytest.fixture
def seeded_live(transactional_db, live_server):
    """The seed corpus in the live server's database.

    Browser tests run with transaction=True so the live server thread sees the data; the
    `seeded` fixture uses the ordinary db fixture, so the seed is loaded here instead.
    """
    call_command("seed", "--force", verbosity=0)
    return live_server


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()
