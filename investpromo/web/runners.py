"""Which server process runs an import job, and whether that process still lives.

A job records its runner as "machine:pid:start:token". The machine part joins the host name,
the kernel's boot id and the pid namespace, so two containers that share a host name (and may
both be pid 1) are told apart; the process start time tells a reused pid from the original;
the token changes in every forked worker, whose set of running jobs is its own.

A job is stopped when its process is gone (or was restarted), when it is this very process but
the job is not among those it runs, or when its machine has rebooted since (same host name,
another boot id). A runner that cannot be checked from here (another machine, another pid
namespace) is undecided: the caller falls back on how long the job has been silent.
"""

import contextlib
import os
import socket
import threading
import uuid
from pathlib import Path

_LOCK = threading.Lock()
# Jobs this process runs, with how many of its requests or threads hold each (a count, so a
# refused double confirm releases only its own hold).
_RUNNING: dict[int, int] = {}
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
    """Hold the job as run by this process; returns the runner string to record on it."""
    runner = current()
    with _LOCK:
        _RUNNING[job_id] = _RUNNING.get(job_id, 0) + 1
    return runner


def finished(job_id: int) -> None:
    """Release one hold taken by started()."""
    with _LOCK:
        left = _RUNNING.get(job_id, 0) - 1
        if left > 0:
            _RUNNING[job_id] = left
        else:
            _RUNNING.pop(job_id, None)


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


def is_stopped(runner: str, job_id: int) -> bool | None:
    """Whether the process recorded as running a busy job can no longer finish it.

    None when that cannot be told from here (another machine or pid namespace).
    """
    if not runner:
        return True  # busy but never started by a recorded process (before runners existed)
    mine = current()
    if runner == mine:
        with _LOCK:
            return job_id not in _RUNNING
    parts = runner.rsplit(":", 3)
    if len(parts) != 4 or not parts[1].isdigit():
        return None
    machine, pid_text, start, _token = parts
    if machine != _machine():
        host, boot = [*machine.split("|"), ""][:2]
        here_host, here_boot = _machine().split("|")[:2]
        if host == here_host and boot and here_boot and boot != here_boot:
            return True  # this machine, before its last reboot
        return None
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
