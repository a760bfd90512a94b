"""Dispute bundles: one dispute, with everything it cites, as a self-contained JSON document
that another Counterpoint installation can import (schema.py, export.py, importer.py)."""
