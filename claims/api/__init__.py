"""The read-only open-data API: JSON records of the tracker, documented by an OpenAPI schema."""
