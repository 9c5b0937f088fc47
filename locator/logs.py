"""Keeping personal data out of logs.

Our own log calls name records by id or reference, never by what a person typed; SQLAlchemy hides
statement parameters (`hide_parameters`, in config). What is left is the development server's
request line, which carries the query string (a searched ZIP code or town): it is cut off here.
Gunicorn writes no access log unless asked; `gunicorn.conf.py` asks for one without query strings.
"""

from __future__ import annotations

import logging
import re

from flask import Flask

_QUERY = re.compile(r"\?[^ \"]*")


class DropQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            record.args = (_QUERY.sub("", record.args[0]), *record.args[1:])
        return True


def init_app(_app: Flask) -> None:
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, DropQueryStrings) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(DropQueryStrings())
    # Our own records (outbox deliveries without a mail server, import warnings) at INFO, to stderr,
    # unless the host (gunicorn's --log-config, a test runner) has configured logging already.
    ours = logging.getLogger("locator")
    if ours.level == logging.NOTSET and not logging.getLogger().handlers:
        ours.setLevel(logging.INFO)
        ours.addHandler(logging.StreamHandler())
