"""pytest hooks: the harness's session fixture from santokit-it's stack, one JSON line per test.

Loaded by santokit-it with ``-p santokit_it.plugin`` (``PYTHONPATH`` points at
this package). Importing it installs placeholders for missing harness-only
packages before any conftest is imported (see placeholders.py).
"""

import os
import sys

import pytest

from .contract import RESULTS_VARIABLE, ContractError, load_contract
from .harness import StackHarness
from .placeholders import install_placeholders
from .results import ResultsWriter

PLACEHOLDERS = install_placeholders()
FIXTURE_VARIABLE = "SANTOKIT_IT_FIXTURE"


class _State:
    writer = ResultsWriter(None)
    contract = None
    harness = None
    fixture = None
    items = {}
    reports = {}


def pytest_configure(config):
    _State.writer = ResultsWriter(os.environ.get(RESULTS_VARIABLE))
    try:
        _State.contract = load_contract()
    except ContractError as error:
        raise pytest.UsageError(str(error)) from error
    _State.fixture = os.environ.get(FIXTURE_VARIABLE) or _State.contract.fixture
    for line in ("capability(id): capability id", "domain(name): capability domain", "spec(name): spec contract"):
        config.addinivalue_line("markers", line)
    _State.writer.write("session-start", python=sys.version.split()[0], pytest=pytest.__version__, placeholders=PLACEHOLDERS)


def pytest_unconfigure(config):
    if _State.harness is not None:
        _State.harness.close()
    _State.writer.close()


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef, request):
    """Answers the harness's session fixture before its own body (which would start a compose stack) can run."""
    if _State.contract is None or fixturedef.argname != _State.fixture:
        return None
    if _State.harness is None:
        _State.harness = StackHarness(_State.contract, _State.writer.record)
    fixturedef.cached_result = (_State.harness, fixturedef.cache_key(request), None)
    return _State.harness


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    markers = [{"name": mark.name, "args": [str(arg) for arg in mark.args]} for mark in item.iter_markers()]
    _State.items[item.nodeid] = {"path": str(item.path), "name": item.nodeid.split("::", 1)[-1], "markers": markers}
    _State.reports[item.nodeid] = []
    _State.writer.current = item.nodeid


def pytest_runtest_logreport(report):
    _State.reports.setdefault(report.nodeid, []).append(report)


def pytest_runtest_logfinish(nodeid, location):
    _State.writer.current = None
    reports = _State.reports.pop(nodeid, [])
    item = _State.items.pop(nodeid, {"path": location[0], "name": nodeid.split("::", 1)[-1], "markers": []})
    _State.writer.write("test", nodeid=nodeid, **item, **summarise(reports))


def pytest_collectreport(report):
    if report.failed:
        _State.writer.write("collect-error", nodeid=report.nodeid, longrepr=report.longreprtext)


def pytest_sessionfinish(session, exitstatus):
    _State.writer.write("session-finish", exitstatus=int(exitstatus))


def summarise(reports):
    """One test's setup, call and teardown reports as one outcome, error and captured output."""
    outcome, failing, skipped = "passed", None, None
    for report in reports:
        if report.failed and failing is None:
            failing = report
            outcome = "failed" if report.when == "call" else "error"
        elif report.skipped and outcome == "passed":
            skipped = report
            outcome = "xfailed" if hasattr(report, "wasxfail") else "skipped"
        elif report.when == "call" and report.passed and hasattr(report, "wasxfail") and outcome == "passed":
            outcome = "xpassed"
    last = reports[-1] if reports else None
    summary = {
        "outcome": outcome,
        "durationMs": round(sum(report.duration for report in reports) * 1000),
        "stdout": last.capstdout if last else "",
        "stderr": last.capstderr if last else "",
        "log": last.caplog if last else "",
    }
    if failing is not None:
        summary["error"] = describe_failure(failing)
    if skipped is not None:
        summary["skipReason"] = skip_reason(skipped)
    return summary


def describe_failure(report):
    crash = getattr(report.longrepr, "reprcrash", None)
    text = report.longreprtext
    error = {"phase": report.when, "message": crash.message if crash else (text.strip().splitlines() or ["failed"])[-1], "traceback": text}
    if crash is not None:
        error["path"] = _relative(str(crash.path))
        error["line"] = crash.lineno
    return error


def _relative(path):
    root = _State.contract.repo_root if _State.contract else None
    if root and os.path.isabs(path) and os.path.commonpath([root, path]) == root:
        return os.path.relpath(path, root)
    return path


def skip_reason(report):
    if hasattr(report, "wasxfail"):
        return f"xfail: {report.wasxfail}".rstrip(": ")
    if isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    return report.longreprtext
