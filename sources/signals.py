"""Signals of the sources app, for the apps that build on it.

sources knows nothing of what cites a source; an app that keeps data anchored to a source's
text (claims) connects here in its AppConfig.ready().
"""

from django.dispatch import Signal

# Sent by Source.save() with source=<Source>, inside the save's transaction, when the body
# text changed. A receiver may return a report (what it re-checked); Source.save() keeps the
# reports in source.change_reports. An exception in a receiver undoes the save.
body_changed = Signal()
