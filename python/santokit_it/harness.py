"""The object Santokit's tests receive from their session fixture, bound to santokit-it's stack.

Santokit's harness (``tests/integration_py/dsl.py``) reaches a compose stack
through Docker. This class offers the same calls against whatever stack
santokit-it started: HTTP to the Hub and the Bridge, ``stk`` in a working
directory, SQL on project databases, operator login, and a small stand-in for
the Docker client that the harness's tests use to run ``psql`` in the
database container.
"""

import shlex
import time
from collections import namedtuple

from . import http_client
from .shell import Shell, split_command
from .sql import SqlError, run_sql

ExecResult = namedtuple("ExecResult", ["exit_code", "output"])
DB_CONTAINER = "santokit-it-db"
CLI_CONTAINER = "santokit-it-cli"
WORKSPACE = "/workspace"
DUPLICATE_DATABASE = "42P04"


class StackHarness:
    def __init__(self, contract, recorder):
        self._contract = contract
        self._record = recorder
        self._shell = Shell(contract, recorder)
        self.hub_base = contract.hub_url
        self.bridge_base = contract.bridge_url
        self.compose_project = "santokit-it"
        self.cli_container_id = CLI_CONTAINER
        self.db_container_id = DB_CONTAINER
        self.docker_client = DockerClientShim(self)
        self._auth_token = None

    # -- the harness's calls -------------------------------------------------

    def set_auth_token(self, token):
        self._auth_token = token

    def runStkCli(self, command, workdir, env=None, check=True):
        merged = dict(self._contract.stk_env)
        if self._auth_token:
            merged["STK_AUTH_TOKEN"] = self._auth_token
        merged.update(env or {})
        local = self._contract.map_path(workdir)
        argv = ["/bin/sh", "-c", f"cd {shlex.quote(local)} && {command}"]
        code, output = self._shell.run(argv, workdir, merged, record_argv=split_command(command))
        text = output.decode("utf-8", errors="replace")
        if check and code != 0:
            raise RuntimeError(f"stk command failed ({code}): {command}\n{text}")
        return ExecResult(code, text)

    def httpToHub(self, method, path, json=None, headers=None):
        return http_client.send(self._record, method, f"{self.hub_base}{path}", json=json, headers=headers)

    def httpToBridge(self, method, path, json=None, headers=None):
        return http_client.send(self._record, method, f"{self.bridge_base}{path}", json=json, headers=headers)

    def login_operator(self, email, password):
        response = self.httpToHub("POST", "/api/auth/login", json={"email": email, "password": password})
        response.raise_for_status()
        token = response.json()["token"]
        self.set_auth_token(token)
        return token

    def wait_for_health(self, timeout_s=60):
        for base in (self.hub_base, self.bridge_base):
            _wait_for_http(f"{base}/health", timeout_s)

    def ensure_project_db(self, project):
        name = project_db_name(project)
        self.ensure_db(name)
        return self._contract.service_url_for(name)

    def ensure_db(self, db_name):
        name = sanitize_db_name(db_name)
        found = self.sql("postgres", "SELECT 1 FROM pg_database WHERE datname = $1", [name])
        if found and found[0]["rowCount"]:
            return
        try:
            self.sql("postgres", f'CREATE DATABASE "{name}"')
        except SqlError as error:
            if error.code != DUPLICATE_DATABASE:
                raise

    # -- santokit-it's own -----------------------------------------------------

    def sql(self, database, text, values=None):
        """Runs SQL in ``database`` of the stack's PostgreSQL as its admin role; returns per-statement results."""
        return run_sql(self._contract.runner, database, text, values, self._record)

    def database_url(self, database):
        """URL of ``database`` as the Hub and Bridge reach it."""
        return self._contract.service_url_for(database)

    def close(self):
        self._shell.close()


class DockerClientShim:
    """``docker_client.containers.get(id).exec_run(cmd)`` for the harness's two containers."""

    def __init__(self, harness):
        self.containers = _Containers(harness)


class _Containers:
    def __init__(self, harness):
        self._harness = harness

    def get(self, container_id):
        if container_id in (DB_CONTAINER, CLI_CONTAINER):
            return _Container(self._harness, container_id)
        raise LookupError(f"no container {container_id!r} under santokit-it: only {DB_CONTAINER} and {CLI_CONTAINER}")


class _Container:
    def __init__(self, harness, container_id):
        self._harness = harness
        self.id = container_id
        self.name = container_id

    def exec_run(self, cmd, environment=None, workdir=None, **_unused):
        argv = split_command(cmd) if isinstance(cmd, str) else list(cmd)
        env = dict(self._harness._contract.stk_env) if self.id == CLI_CONTAINER else {}
        env.update(_environment(environment))
        code, output = self._harness._shell.run(argv, workdir or WORKSPACE, env)
        return ExecResult(code, output)


def _environment(value):
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    return dict(item.split("=", 1) for item in value if "=" in item)


def _wait_for_http(url, timeout_s):
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status < 500:
                    return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"service not ready: {url}")


def sanitize_db_name(name):
    safe = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in name) or "stk"
    return safe[:63].lower()


def project_db_name(project):
    return sanitize_db_name(f"stk_{sanitize_db_name(project)}")
