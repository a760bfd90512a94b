"""The claims app's admin: its own records, and the source admin extended with claims.

Django's autodiscovery imports this package; each module registers its admins.
"""

from claims.admin import records, sources  # noqa: F401  (registration)
