"""Servers that tests and benchmarks start on loopback: a free port for each, and waiting until it listens."""

from __future__ import annotations

import socket
import subprocess
import time


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (the system picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def wait_until_listening(port: int, process: subprocess.Popen, name: str, timeout: float = 60) -> None:
    """Until `process` accepts connections on `port`. Raises RuntimeError, with what it wrote to its
    standard error when that is a pipe, if it exits first or `timeout` seconds pass (a generous bound:
    a loaded machine starts servers slowly)."""
    deadline = time.monotonic() + timeout
    while not listening(port):
        if process.poll() is not None:
            said = process.stderr.read() if process.stderr else ""
            said = said.decode(errors="replace") if isinstance(said, bytes) else said
            raise RuntimeError(f"{name} exited before it listened on {port}: {said}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not listen on {port} within {timeout:.0f} s")
        time.sleep(0.2)
