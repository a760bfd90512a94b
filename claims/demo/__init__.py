"""Demo data at newsroom scale: `manage.py generate_demo_data --claims N --seed S`.

Bulk writes (bulk_create) of a deterministic, realistic-looking world: organisations and
the people who speak for them, outlets and their articles, claims quoted verbatim from those
articles, metrics whose figures agree, differ and form series, disputes with sides and
points, and the worst cases a newsroom meets (one party with a tenth of the claims, one
dispute point with thousands of placements, one metric with thousands of values).
Nothing here is loaded by the site itself.
"""
