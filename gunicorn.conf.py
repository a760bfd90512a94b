"""gunicorn settings for `make serve` (read by gunicorn from the working directory).

Every value comes from the environment, with defaults for one machine of a few cores.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Sync workers: each page is short CPU work and a few queries, so one process per core (and
# one extra, for a worker waiting on the database) keeps the cores busy; WEB_CONCURRENCY,
# the variable hosting platforms set, overrides it.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
# Above the database statement limit (DATABASE_STATEMENT_TIMEOUT_MS, 20 s), so a slow query
# becomes the 503 page before gunicorn kills the worker mid-response.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Behind a load balancer or proxy that reuses connections: longer than its idle timeout
# would be pointless, shorter makes it reconnect; 5 s suits nginx's defaults.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# A worker is replaced after this many requests (with jitter so they do not all restart at
# once): a bound on any slow growth in memory.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10_000))
max_requests_jitter = max_requests // 10
# Loaded before forking: workers share the code's memory, and a broken setting stops the
# server at start instead of in every worker.
preload_app = True
# Access logs cost a write per request; on when asked for ("-" for standard output).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# Behind the TLS proxy (BEHIND_TLS_PROXY=true), trust its X-Forwarded-* from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
