"""A small ``psql`` for the harness's database "container", run as ``python -m santokit_it.psql``.

It understands what integration tests type: ``-d``/``--dbname`` (or the
first plain argument), ``-c``/``--command`` (repeatable), ``-f``/``--file``,
SQL on standard input, ``-t`` (rows only), ``-A`` (unaligned), ``-q``; it
accepts and ignores ``-U``, ``-h``, ``-p``, ``-w``, ``-X`` and ``-v``: it
always connects as the stack's admin role through the runner's SQL endpoint.
The text of each ``-c``, file or standard input runs as one batch, in one
implicit transaction; the first error stops it and the exit code is 1.
"""

import os
import sys

from .contract import ContractError, load_contract
from .sql import SqlError, run_sql

IGNORED_WITH_VALUE = {"-U", "--username", "-h", "--host", "-p", "--port", "-v", "--set", "-P", "--pset"}
IGNORED_FLAGS = {"-w", "--no-password", "-X", "--no-psqlrc", "-W", "--password", "-e", "-a", "-b", "-n"}


class Options:
    def __init__(self):
        self.database = None
        self.batches = []
        self.tuples_only = False
        self.unaligned = False
        self.quiet = False


def parse(argv):
    options = Options()
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg.startswith("--") and "=" in arg:
            name, value = arg.split("=", 1)
            _long(options, name, value, rest)
        elif arg.startswith("--"):
            _long(options, arg, None, rest)
        elif arg.startswith("-") and len(arg) > 1:
            _short(options, arg[1:], rest)
        elif options.database is None:
            options.database = arg
    return options


def _long(options, name, value, rest):
    def take():
        return value if value is not None else rest.pop(0)

    if name == "--dbname":
        options.database = take()
    elif name == "--command":
        options.batches.append(take())
    elif name == "--file":
        options.batches.append(_read_file(take()))
    elif name == "--tuples-only":
        options.tuples_only = True
    elif name == "--no-align":
        options.unaligned = True
    elif name == "--quiet":
        options.quiet = True
    elif name in IGNORED_WITH_VALUE:
        take()
    elif name not in IGNORED_FLAGS:
        raise SystemExit(f"psql (santokit-it): option {name} is not supported")


def _short(options, letters, rest):
    for index, letter in enumerate(letters):
        flag = "-" + letter
        if letter in "dcfUhpvP":
            value = letters[index + 1 :] or rest.pop(0)
            if letter == "d":
                options.database = value
            elif letter == "c":
                options.batches.append(value)
            elif letter == "f":
                options.batches.append(_read_file(value))
            return
        if letter == "t":
            options.tuples_only = True
        elif letter == "A":
            options.unaligned = True
        elif letter == "q":
            options.quiet = True
        elif flag not in IGNORED_FLAGS:
            raise SystemExit(f"psql (santokit-it): option {flag} is not supported")


def _read_file(path):
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def render(result, options):
    fields = result.get("fields") or []
    if not fields:
        return [] if options.quiet or options.tuples_only else [result.get("command") or ""]
    rows = [["" if value is None else str(value) for value in row] for row in result.get("rows", [])]
    if options.unaligned:
        body = ["|".join(row) for row in rows]
        return body if options.tuples_only else ["|".join(fields), *body, f"({len(rows)} rows)"]
    widths = [max([len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(fields)]
    line = lambda cells: " " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(cells))
    body = [line(row) for row in rows]
    if options.tuples_only:
        return body
    rule = "-" + "-+-".join("-" * width for width in widths) + "-"
    return [line(fields), rule, *body, f"({len(rows)} row{'' if len(rows) == 1 else 's'})"]


def main(argv):
    options = parse(argv)
    if not options.batches:
        options.batches.append(sys.stdin.read())
    try:
        contract = load_contract()
    except ContractError as error:
        print(f"psql (santokit-it): {error}", file=sys.stderr)
        return 2
    database = options.database or os.environ.get("PGDATABASE") or "postgres"
    for batch in options.batches:
        try:
            results = run_sql(contract.runner, database, batch)
        except SqlError as error:
            print(f"ERROR:  {error}", file=sys.stderr)
            return 1
        for result in results:
            for line in render(result, options):
                print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
