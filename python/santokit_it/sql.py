"""SQL on the stack's PostgreSQL through the runner's loopback helper endpoint.

The standard library has no PostgreSQL driver, so the runner (which has one)
serves ``POST /sql`` on 127.0.0.1 for the length of the run, behind a bearer
token that only the stack description file carries.
"""

import json
import urllib.error
import urllib.request

from .results import now_ms


class SqlError(RuntimeError):
    """PostgreSQL refused the statement; ``code`` is its SQLSTATE when known."""

    def __init__(self, message, code=None):
        super().__init__(message)
        self.code = code


def run_sql(runner, database, text, values=None, recorder=None):
    """Runs ``text`` (several statements allowed without ``values``) in ``database``; returns the result list."""
    payload = {"database": database, "text": text}
    if values is not None:
        payload["values"] = list(values)
    request = urllib.request.Request(
        runner["url"] + "/sql",
        data=json.dumps(payload).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {runner['token']}"},
    )
    started = now_ms()
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            body = json.loads(answer.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        body = json.loads(error.read().decode("utf-8") or "{}")
    duration = round(now_ms() - started)
    if not body.get("ok"):
        message = body.get("error", "the SQL endpoint gave no answer")
        _record(recorder, database, text, None, duration, message)
        raise SqlError(message, body.get("code"))
    results = body["results"]
    rows = sum(result.get("rowCount") or 0 for result in results)
    _record(recorder, database, text, rows, duration, None)
    return results


def _record(recorder, database, text, rows, duration, error):
    if recorder is None:
        return
    entry = {"kind": "sql", "database": database, "text": text, "rowCount": rows, "durationMs": duration}
    if error is not None:
        entry["error"] = error
    recorder(entry)
