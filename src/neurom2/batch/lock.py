"""One writer per results store: an exclusive ``flock`` on the sidecar file ``<store>.lock``.

A writer (:class:`~neurom2.batch.store.ResultStore` opened for writing, as ``neurom2 batch`` does) takes
the lock before it touches the store and holds it until it closes; readers (``results show|export``,
``doctor --db``) never take it.  The lock is the kernel's: it belongs to the open file, so it is released
when the writer's process ends in any way, ``kill -9`` and crashes included.  A store is therefore never
left locked by a process that is gone.  The holder's name (host, pid, since when) is kept in the store's
``meta`` table (:mod:`neurom2.batch.store`), for the message that refuses a second writer.

The lock file is made next to the store when a writer opens it and deleted when it closes (after a
``kill -9`` an empty ``<store>.lock`` stays behind; it is harmless and reused).  The path is resolved
first, so two symbolic links to one store share one lock; hard links to it do not.

What is guaranteed: on a local file system, at most one writer per store at any time, across all
processes of the machine (a ``flock`` is per open file, so two writers in one process exclude each other
too).  On NFS, Linux implements ``flock`` with NFS byte-range locks, which exclude writers on different
hosts when the server supports locking (NFSv4, or NFSv3 with ``lockd``); that is up to the server, and
neurom2 does not rely on it: SQLite's WAL mode, which the store uses, requires every process that opens
the store to run on one host anyway.  Keep a store on a local disk, or use it from one host only.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from neurom2.errors import StoreError

SUFFIX = ".lock"
POLL_SECONDS = 0.05
"""How often a waiting writer tries the lock again."""
GRACE_SECONDS = 0.25
"""How long a writer that does not wait still retries, so that a reader's brief probe never refuses it."""


def lock_path(store: Path) -> Path:
    """The sidecar lock file of the store at ``store``."""
    store = store.resolve()
    return store.with_name(store.name + SUFFIX)


class WriterLock:
    """The exclusive lock of one store, taken by :meth:`acquire` and given back by :meth:`release`."""

    def __init__(self, store: Path) -> None:
        self.path = lock_path(store)
        self._fd: int | None = None

    def acquire(self, wait: float) -> bool:
        """Take the lock, trying for ``wait`` seconds (at least :data:`GRACE_SECONDS`); whether it was taken."""
        deadline = time.monotonic() + max(wait, GRACE_SECONDS)
        while not self._try():
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL_SECONDS)
        return True

    def _try(self) -> bool:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise StoreError(f"cannot create the lock file {self.path}: {error.strerror}; a writer needs write "
                             f"access to the store's directory") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        if not _same_file(fd, self.path):  # the previous holder deleted the file between our open and flock
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        """Delete the lock file and give the lock back (in this order: see :meth:`_try`)."""
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self._fd)
            self._fd = None


def _same_file(fd: int, path: Path) -> bool:
    try:
        here, there = os.fstat(fd), os.stat(path)
    except FileNotFoundError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def is_locked(store: Path) -> bool:
    """Whether a writer holds the lock of ``store`` now (a momentary shared probe; it takes nothing)."""
    try:
        fd = os.open(lock_path(store), os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing also drops the probe's shared lock
    return False
