"""The lines the runner reads back: one JSON object per line, flushed as written.

Transcript entries (HTTP exchanges, ``stk`` runs, SQL) go out as they happen,
so a test killed at its timeout still shows what it was doing; each test ends
with one ``test`` line.
"""

import json
import threading
import time


class ResultsWriter:
    def __init__(self, path):
        self._path = path
        self._lock = threading.Lock()
        self._handle = open(path, "a", encoding="utf-8") if path else None
        self.current = None

    def write(self, event, **fields):
        if self._handle is None:
            return
        line = json.dumps({"event": event, **fields}, default=str, ensure_ascii=False)
        with self._lock:
            self._handle.write(line + "\n")
            self._handle.flush()

    def record(self, entry):
        """One transcript entry of the test running now (ignored between tests)."""
        if self.current is None:
            return
        entry = {"at": int(time.time() * 1000), **entry}
        self.write("transcript", nodeid=self.current, entry=entry)

    def close(self):
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def now_ms():
    return time.perf_counter() * 1000.0
