"""``stk`` when the stack's ``stk`` runs in a container: ``python -m santokit_it.stk_remote ARGS``.

The runner runs it (``docker exec`` in the cli container) in this working
directory, mapped into the container or copied into the stack's work folder
when the container cannot see it, with this shell's ``STK_*`` variables.
Standard output, standard error and the exit code are stk's.
"""

import json
import os
import sys
import urllib.error
import urllib.request

from .contract import ContractError, load_contract


def main(argv):
    try:
        contract = load_contract()
    except ContractError as error:
        print(f"stk (santokit-it): {error}", file=sys.stderr)
        return 2
    payload = {"args": argv, "cwd": os.getcwd(), "env": {k: v for k, v in os.environ.items() if k.startswith("STK_")}}
    if sys.stdin is not None and not sys.stdin.isatty():
        data = sys.stdin.read()
        if data:
            payload["input"] = data
    request = urllib.request.Request(
        contract.runner["url"] + "/stk",
        data=json.dumps(payload).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {contract.runner['token']}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as answer:
            body = json.loads(answer.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        body = json.loads(error.read().decode("utf-8") or "{}")
    if "exitCode" not in body:
        print(f"stk (santokit-it): the runner could not run stk: {body.get('error', body)}", file=sys.stderr)
        return 2
    sys.stdout.write(body.get("stdout", ""))
    sys.stderr.write(body.get("stderr", ""))
    return int(body["exitCode"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
