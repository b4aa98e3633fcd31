"""Reading the files a user names (job files, data files): regular files of bounded size only.

A FIFO, a device such as ``/dev/zero`` or a directory is refused before a byte is read, and so is a file
larger than the reader's limit: reading one of those would block or never end.  The file is opened
without blocking and checked on the open descriptor, so it cannot be swapped between check and read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from neurom2.cost import size


class Unreadable(ValueError):
    """A file that is not a regular file, or is larger than the limit; the message says which (without the name)."""


def read_bounded(path: str | Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Raises :class:`Unreadable` for anything but a regular file, or a file of more than ``limit`` bytes,
    and OSError when it cannot be opened (missing, no permission)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise Unreadable(f"not a regular file (a {_file_type(mode)}); give the name of a file")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise Unreadable(f"larger than the limit of {size(limit)} for this kind of file")
    return data


def _file_type(mode: int) -> str:
    """What a non-regular file is, in words."""
    kinds = ((stat.S_ISDIR, "directory"), (stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"),
             (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"))
    return next((name for test, name in kinds if test(mode)), "special file")
