"""HTTP for the harness: ``requests`` when installed (the harness's own choice), else urllib.

Either way every exchange is recorded for the report, headers and bodies
included; the runner masks credentials when it prints them.
"""

import json as jsonlib
import urllib.error
import urllib.request

from .results import now_ms

try:
    import requests as _requests
except ImportError:  # pragma: no cover - exercised where requests is missing
    _requests = None

TIMEOUT_S = 20
BODY_LIMIT = 20_000


class HttpResponse:
    """The part of ``requests.Response`` tests use, for machines without requests."""

    def __init__(self, url, status, headers, content):
        self.url = url
        self.status_code = status
        self.headers = _CaseInsensitive(headers)
        self.content = content
        self.reason = ""

    @property
    def text(self):
        return self.content.decode("utf-8", errors="replace")

    @property
    def ok(self):
        return self.status_code < 400

    def json(self):
        return jsonlib.loads(self.text)

    def raise_for_status(self):
        if self.status_code >= 400:
            raise RuntimeError(f"{self.status_code} error for url: {self.url}")

    def close(self):
        pass

    def __repr__(self):
        return f"<Response [{self.status_code}]>"


class _CaseInsensitive(dict):
    def __init__(self, pairs):
        super().__init__((name.lower(), value) for name, value in pairs)

    def __getitem__(self, name):
        return super().__getitem__(name.lower())

    def get(self, name, default=None):
        return super().get(name.lower(), default)

    def __contains__(self, name):
        return super().__contains__(name.lower())


def _with_urllib(method, url, body, headers):
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=TIMEOUT_S) as answer:
            return HttpResponse(url, answer.status, answer.headers.items(), answer.read())
    except urllib.error.HTTPError as error:
        return HttpResponse(url, error.code, error.headers.items(), error.read())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def send(recorder, method, url, json=None, headers=None):
    """One request, recorded; ``json`` is sent as the body like ``requests`` does."""
    headers = dict(headers or {})
    body = None
    if json is not None:
        body = jsonlib.dumps(json).encode("utf-8")
        headers.setdefault("Content-Type", "application/json")
    started = now_ms()
    try:
        if _requests is not None:
            response = _requests.request(method, url, data=body, headers=headers, timeout=TIMEOUT_S, allow_redirects=False)
        else:
            response = _with_urllib(method, url, body, headers)
    except Exception as error:
        recorder({"kind": "note", "text": f"{method} {url} failed: {error}"})
        raise
    recorder(_entry(method, url, headers, body, response, now_ms() - started))
    return response


def _entry(method, url, headers, body, response, duration):
    entry = {
        "kind": "http",
        "method": method.upper(),
        "url": url,
        "requestHeaders": {name: str(value) for name, value in headers.items()},
        "status": response.status_code,
        "responseHeaders": {name.lower(): str(value) for name, value in response.headers.items()},
        "responseBody": response.content[:BODY_LIMIT].decode("utf-8", errors="replace"),
        "durationMs": round(duration),
    }
    if body is not None:
        entry["requestBody"] = body[:BODY_LIMIT].decode("utf-8", errors="replace")
    return entry
