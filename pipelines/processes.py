"""A build's processes: its lock (one build per warehouse), and helpers (parse workers, the Great
Expectations worker) that end with it."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

T = TypeVar("T")


def die_with_parent(parent_pid: int) -> None:
    """Ask the kernel to kill this process when its parent dies (Linux PR_SET_PDEATHSIG), and leave
    at once if the parent has already gone: a killed build must leave no helper behind."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent_pid:
        os._exit(1)


def start_helper(build_pid: int) -> None:
    """What every helper process of a build does first: it dies with the build and does not hold its
    lock (a killed build must leave no process that blocks the next one)."""
    lock_fd = os.environ.pop("WAREHOUSE_LOCK_FD", None)  # (and a helper of this one has none to close)
    if lock_fd:
        os.close(int(lock_fd))  # this process's copy: the build's own keeps the lock
    die_with_parent(build_pid)


def run_apart(fn: Callable[..., T], *args: Any) -> T:
    """fn(*args) in a helper process forked from this one: its result, or its exception. What the
    call allocates (and what the allocators keep of it once freed) leaves with the process."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=1, initializer=start_helper, initargs=(os.getpid(),)) as pool:
        return pool.submit(fn, *args).result()


def take_build_lock(path: str) -> IO[str] | None:
    """Lock a warehouse's lock file for this process's build; None when another build holds it. The OS
    releases the lock if the build is killed; WAREHOUSE_LOCK_FD tells parse processes to close their
    copy, so they never hold it."""
    import fcntl

    handle = open(path, "a")  # noqa: SIM115 - held until release_build_lock
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    os.environ["WAREHOUSE_LOCK_FD"] = str(handle.fileno())
    return handle


def release_build_lock(handle: IO[str]) -> None:
    os.environ.pop("WAREHOUSE_LOCK_FD", None)
    handle.close()


@contextmanager
def build_lock(warehouse: Path) -> Iterator[bool]:
    """Hold `warehouse`'s build lock for the block; yields False (and holds nothing) when another build has it."""
    handle = take_build_lock(f"{warehouse}.lock")
    try:
        yield handle is not None
    finally:
        if handle is not None:
            release_build_lock(handle)
