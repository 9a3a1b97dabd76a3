"""Shell commands next to the stack: ``stk`` and ``psql`` on PATH, paths mapped.

The Santokit harness runs ``stk`` and ``psql`` inside its compose
containers. Here both run on this machine: a folder of two small launchers
goes first on PATH. ``stk`` starts the stack's own ``stk`` (or, when that
runs in a container, asks the runner to: stk_remote.py); ``psql`` is
``python -m santokit_it.psql``, which sends SQL through the runner's SQL
endpoint as the stack's admin role (see psql.py for what it understands).
"""

import os
import shlex
import shutil
import subprocess
import sys
import tempfile

from .results import now_ms


class Shell:
    def __init__(self, contract, recorder):
        self._contract = contract
        self._recorder = recorder
        self._bin = tempfile.mkdtemp(prefix="bin-", dir=contract.scratch_dir)
        python = shlex.quote(sys.executable)
        if contract.stk_via == "runner":
            self._write_launcher("stk", f'{python} -m santokit_it.stk_remote "$@"')
        else:
            self._write_launcher("stk", " ".join(shlex.quote(part) for part in contract.stk) + ' "$@"')
        self._write_launcher("psql", f'{python} -m santokit_it.psql "$@"')

    def _write_launcher(self, name, command):
        path = os.path.join(self._bin, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(f"#!/bin/sh\nexec {command}\n")
        os.chmod(path, 0o755)

    def environment(self, extra=None):
        env = dict(os.environ)
        for name in self._contract.stk_env_unset:
            env.pop(name, None)
        env["PATH"] = self._bin + os.pathsep + env.get("PATH", "")
        env.update({name: str(value) for name, value in (extra or {}).items()})
        return env

    def run(self, argv, cwd, env=None, record_argv=None):
        """Runs ``argv`` in ``cwd`` (a harness path, mapped); stdout and stderr together, like ``docker exec``."""
        local_cwd = self._contract.map_path(cwd) if cwd else self._contract.repo_root
        started = now_ms()
        try:
            completed = subprocess.run(
                argv, cwd=local_cwd, env=self.environment(env), stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False,
            )
            code, output = completed.returncode, completed.stdout
        except OSError as error:
            code, output = 127, f"{argv[0]}: {error}\n".encode("utf-8")
        self._recorder({
            "kind": "cli",
            "argv": list(record_argv or argv),
            "cwd": local_cwd,
            "exitCode": code,
            "stdout": output.decode("utf-8", errors="replace"),
            "stderr": "",
            "durationMs": round(now_ms() - started),
        })
        return code, output

    def close(self):
        shutil.rmtree(self._bin, ignore_errors=True)


def split_command(command):
    try:
        return shlex.split(command)
    except ValueError:
        return [command]
