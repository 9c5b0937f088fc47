"""Gunicorn settings, read from the working directory: `gunicorn 'locator:create_app()'`.

Override any of them on the command line (`-w 8 -b 0.0.0.0:8000`) or in GUNICORN_CMD_ARGS.
"""

import os

bind = os.environ.get("LOCATOR_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "gthread"
threads = 2
timeout = 30
graceful_timeout = 20
# No control socket: it would sit in $HOME, shared by every server this account runs (and `make run` beside
# tests); the process manager starts and stops the server.
control_socket_disable = True

# The access log (off unless `--access-logfile -` is given) never records query strings, referrers
# or client addresses: a searched ZIP code, or who searched, is personal data.
access_log_format = '"%(m)s %(U)s" %(s)s %(b)s %(L)ss'


def post_worker_init(worker):
    """Build the offline gazetteer's indexes before the first request, not during it (about 2 s)."""
    from locator.geo import zip_place
    from locator.geo.timezones import us_timezones

    zip_place("10001")
    us_timezones()
