"""Stopping the servers tests start as subprocesses (factcheck serve, and the like)."""

from __future__ import annotations

import signal
import subprocess


def interrupt(proc: subprocess.Popen) -> None:
    """Ctrl-C ``proc`` as a user would, and kill it if it has not stopped within 15 s."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
