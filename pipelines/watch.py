"""`warehouse watch`: a build process that stays up and refreshes the warehouse when raw/ changes.

A `warehouse build` spends over a second starting (Dagster's import and instance, the parser's
tables, GX's import) before its job runs; a watcher pays that once, so a refresh costs the job alone.
It hears of changes from the OS (inotify, through watchdog) and starts a refresh once raw/ has been
quiet for `settle` seconds, so copying a hundred files in is one refresh. A change during a refresh
brings another one after it. One build per warehouse still holds: each refresh takes the build lock,
and waits for the nightly run that holds it to end. Ctrl-C or SIGTERM stops the watch once the refresh
under way, if any, has finished (or been interrupted: then it is not published).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

# A file written ends with "closed" (inotify's IN_CLOSE_WRITE). Not "modified": a read's new access time
# comes as one too, and each refresh would bring another. Not "opened" or "closed_no_write": reads.
CHANGES = {"created", "deleted", "moved", "closed"}
BUSY_RETRY_S = 5.0  # how long to wait when another build holds the lock


class Changes(FileSystemEventHandler):
    """Remembers when raw/ last changed; `wait` blocks until it has, and has been quiet since."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._changed = threading.Condition()
        self._first: float | None = None
        self._last = 0.0

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGES:
            return
        paths = [event.src_path, event.dest_path] if event.event_type == "moved" else [event.src_path]
        if all(self._hidden(path) for path in paths):
            return  # a build reads no hidden file or folder (an editor's swap file, a download in progress)
        self.mark()

    def _hidden(self, path: str | bytes) -> bool:
        try:
            parts = Path(os.fsdecode(path)).relative_to(self.root).parts
        except ValueError:
            return False
        return any(part.startswith(".") for part in parts)

    def mark(self) -> None:
        with self._changed:
            now = time.monotonic()
            self._first = self._first if self._first is not None else now
            self._last = now
            self._changed.notify_all()

    def wait(self, settle: float, stop: threading.Event) -> float | None:
        """The monotonic time of the first change since the last wait, once `settle` seconds have passed
        without another; None when `stop` was set first."""
        with self._changed:
            while self._first is None or time.monotonic() - self._last < settle:
                if stop.is_set():
                    return None
                quiet_left = settle - (time.monotonic() - self._last) if self._first is not None else 0.5
                self._changed.wait(max(0.01, min(quiet_left, 0.5)))
            first, self._first = self._first, None
            return first


def _stop_on_signals(stop: threading.Event) -> None:
    """Set `stop` on SIGINT or SIGTERM, even when they arrive during a refresh. Dagster puts its own
    SIGINT handler in place while a run lasts (and maps SIGTERM to it), so a handler alone could miss
    them; the wake-up file, which the interpreter writes every caught signal's number to whatever
    Python handler is in place, cannot. (Only in the main thread, where signals are handled.)"""
    if threading.current_thread() is not threading.main_thread():
        return
    read, write = os.pipe()
    os.set_blocking(write, False)
    signal.set_wakeup_fd(write)
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, lambda signum, frame: stop.set())

    def listen() -> None:
        while data := os.read(read, 64):
            if signal.SIGINT in data or signal.SIGTERM in data:
                stop.set()

    threading.Thread(target=listen, name="watch-signals", daemon=True).start()


def watch(raw_dir: Path, refresh: Callable[[], bool | None], settle: float = 0.1,
          stop: threading.Event | None = None, report: Callable[[str], None] = print,
          idle: Callable[[], None] | None = None) -> None:
    """Run `refresh` now and after every settled change of raw/ until `stop` is set (or a stop signal
    comes). `refresh` returns False when it could not start (another build held the lock), None
    when the watch must end (the pipeline's code changed under it), True when it ran. `idle` runs
    after each refresh that ran, once it is reported (what the next refresh can use, made ahead)."""
    stop = stop or threading.Event()
    _stop_on_signals(stop)
    changes = Changes(raw_dir)
    observer = Observer()
    observer.schedule(changes, str(raw_dir), recursive=True)
    observer.start()
    try:
        changes.mark()
        while (first := changes.wait(settle, stop)) is not None:
            ran = refresh()
            if ran is None or stop.is_set():
                return
            if ran:
                report(f"warehouse watch: up to date {time.monotonic() - first:.2f} s after the change")
                if idle is not None:
                    idle()  # work for the next refresh, done while none waits
            else:
                report(f"warehouse watch: another build holds the lock; trying again in {BUSY_RETRY_S:.0f} s")
                stop.wait(BUSY_RETRY_S)
                changes.mark()
    finally:
        observer.stop()
        observer.join()
