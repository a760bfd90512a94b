"""The 500 handler, which tells an unreachable database apart from a bug.

Django routes every uncaught exception (from a view, a template or any middleware, such as
the session being saved) through handler500 while the exception is still being handled, so
this one place sees them all. A plain middleware's process_exception would miss the ones
raised outside the view.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

# DB-API's own definition: OperationalError is "not necessarily under the control of the
# programmer" (lost connection, server restarting, statement timeout, SQLite lock), and
# InterfaceError is a connection that is already closed. Both are worth retrying; bugs such
# as IntegrityError or ProgrammingError stay 500s.
TRANSIENT_DATABASE_ERRORS = (OperationalError, InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    exc = sys.exc_info()[1]
    if not isinstance(exc, TRANSIENT_DATABASE_ERRORS):
        return django_server_error(request)
    # The next request must open a new connection instead of reusing the broken one, so the
    # site recovers by itself once the database is back, without a restart.
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except TRANSIENT_DATABASE_ERRORS:
            logger.warning("Closing the %s connection failed", connection.alias, exc_info=True)
    # Rendered without the request: context processors could touch the database again.
    body = loader.get_template("503.html").render()
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER_SECONDS)
    return response
