"""A task for the worker tests: it notes each run in a file, optionally after waiting for a gate file."""

import time
from pathlib import Path

from django.tasks import task


@task(backend="db", queue_name="default")
def note_run(log: str, gate: str = "") -> int:
    """Append a line to ``log`` and return how many runs it holds; with ``gate``, first wait (bounded) for that file."""
    deadline = time.monotonic() + 120
    while gate and not Path(gate).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    with Path(log).open("a") as fh:
        fh.write("ran\n")
    return len(Path(log).read_text().splitlines())
