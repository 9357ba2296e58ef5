"""Which server process runs an import job, and whether that process still lives.

A job records its runner as "machine:pid:start:token". The machine part joins the host name,
the kernel's boot id and the pid namespace, so two containers that share a host name (and may
both be pid 1) are told apart; the process start time tells a reused pid from the original;
the token changes in every forked worker, whose set of running jobs is its own.

Only a runner on this machine can be judged. There a job is stopped when its process is gone
(or was restarted), or when it is this very process but the job is not among those it runs.
"""

import contextlib
import os
import socket
import threading
import uuid
from pathlib import Path

_LOCK = threading.Lock()
_RUNNING: set[int] = set()
_identity: dict[str, object] = {}


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def _machine() -> str:
    if "machine" not in _identity:
        namespace = ""
        with contextlib.suppress(OSError):
            namespace = str(os.stat("/proc/self/ns/pid").st_ino)
        boot = _read("/proc/sys/kernel/random/boot_id")
        _identity["machine"] = "|".join([socket.gethostname(), boot, namespace])
    return str(_identity["machine"])


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot ('' where /proc cannot say)."""
    stat = _read(f"/proc/{pid}/stat")
    # The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else ""


def current() -> str:
    """This process's runner string (a new one in each forked worker)."""
    pid = os.getpid()
    with _LOCK:
        if _identity.get("pid") != pid:
            # A forked worker: its own token, and none of its parent's running jobs.
            _identity.update(pid=pid, token=uuid.uuid4().hex[:12], start=_start_time(pid))
            _RUNNING.clear()
        return f"{_machine()}:{pid}:{_identity['start']}:{_identity['token']}"


def started(job_id: int) -> str:
    """Note that this process runs the job; returns the runner string to record on it."""
    runner = current()
    with _LOCK:
        _RUNNING.add(job_id)
    return runner


def running_here(job_id: int) -> bool:
    with _LOCK:
        return job_id in _RUNNING


def finished(job_id: int) -> None:
    with _LOCK:
        _RUNNING.discard(job_id)


def _alive(pid: int, start: str) -> bool:
    if os.name != "posix":  # os.kill would end the process, not test it
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        pass
    now = _start_time(pid)
    return not (start and now and now != start)


def is_stopped(runner: str, job_id: int) -> bool:
    """Whether the process recorded as running a busy job can no longer finish it."""
    if not runner:
        return True  # busy but never started by a recorded process (before runners existed)
    mine = current()
    if runner == mine:
        with _LOCK:
            return job_id not in _RUNNING
    parts = runner.rsplit(":", 3)
    if len(parts) != 4 or not parts[1].isdigit():
        return False
    machine, pid_text, start, _token = parts
    if machine != _machine():
        return False  # another machine's (or container's) process: it cannot be checked here
    pid = int(pid_text)
    if pid == os.getpid():
        return True  # our pid, not our runner: this server was restarted since
    return not _alive(pid, start)


def _forget_after_fork() -> None:
    global _LOCK
    # Another thread may have held the lock at the fork: the child gets a fresh one.
    _LOCK = threading.Lock()
    _identity.pop("pid", None)
    _RUNNING.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
