"""The environment contract: what santokit-it tells a pytest process about its stack.

``SANTOKIT_IT_STACK`` names a JSON file written by the runner (see the README,
"The environment contract"). Everything the plugin knows about the stack
comes from that file; nothing is guessed.
"""

import json
import os
from urllib.parse import urlsplit, urlunsplit

STACK_VARIABLE = "SANTOKIT_IT_STACK"
RESULTS_VARIABLE = "SANTOKIT_IT_RESULTS"


class ContractError(RuntimeError):
    """The runner's stack description is missing or unreadable."""


class StackContract:
    """Read-only view of the stack description, plus the path mapping it implies."""

    def __init__(self, data):
        self._data = data
        self.kind = data.get("kind", "embedded")
        self.hub_url = data["hubUrl"].rstrip("/")
        self.bridge_url = data["bridgeUrl"].rstrip("/")
        self.admin_database_url = data["adminDatabaseUrl"]
        self.service_database_url = data.get("serviceDatabaseUrl", self.admin_database_url)
        self.stk = list(data["stk"])
        self.stk_env = dict(data.get("stkEnv", {}))
        self.stk_env_unset = list(data.get("stkEnvUnset", []))
        self.operator = dict(data.get("operator", {}))
        self.repo_root = data["repoRoot"]
        self.scratch_dir = data["scratchDir"]
        self.fixture = data.get("fixture", "compose_env")
        # The runner's helper endpoint: POST <url>/sql, and <url>/stk when stk runs in a container.
        self.runner = dict(data["runner"])
        self.stk_via = data.get("stkVia", "local")
        # Longest prefix first, so /workspace/tests wins over /workspace.
        self.mounts = sorted(data.get("mounts", {}).items(), key=lambda item: -len(item[0]))

    def map_path(self, path):
        """A path as the harness writes it (``/workspace/...``), as it is on this machine."""
        text = str(path)
        for prefix, target in self.mounts:
            if text == prefix:
                return target
            if text.startswith(prefix.rstrip("/") + "/"):
                return os.path.join(target, text[len(prefix.rstrip("/")) + 1 :])
        return text

    def service_url_for(self, database):
        """URL of ``database`` as the Hub and Bridge reach it: what `stk connections set` is given."""
        parts = urlsplit(self.service_database_url)
        return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment))


def load_contract(environ=None):
    environ = os.environ if environ is None else environ
    path = environ.get(STACK_VARIABLE)
    if not path:
        raise ContractError(
            f"{STACK_VARIABLE} is not set: the santokit_it plugin runs under santokit-it, "
            "which starts the stack and names its description in that variable"
        )
    try:
        with open(path, encoding="utf-8") as handle:
            return StackContract(json.load(handle))
    except (OSError, ValueError, KeyError) as error:
        raise ContractError(f"cannot read the stack description {path}: {error}") from error
