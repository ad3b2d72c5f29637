"""The errors bigdet raises for the user to read.

One base class, a handful of kinds. Every error names the file and, where there is one, the record,
says what was wrong and, where it helps, what to do. The CLI prints ``str(error)`` on one line and
exits 1; nothing here should ever need a traceback to be understood.
"""

from __future__ import annotations

import re
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MESSAGE_LIMIT = 300  # characters of one part of a message (what was wrong, the record, the hint)


def one_line(text: str, limit: int | None = MESSAGE_LIMIT) -> str:
    """``text`` as one readable line: control characters (CR, LF, escape sequences...) written as
    escapes, and cut to ``limit`` characters. Messages quote file text, which can be anything."""
    text = _CONTROL.sub(lambda m: repr(m.group())[1:-1], str(text))
    if limit is not None and len(text) > limit:
        text = text[: limit - 15] + f"... ({len(text) - limit + 15} more)"
    return text


class BigdetError(Exception):
    """Base class: a problem the user can act on."""


class InputError(BigdetError):
    """An input file is missing or structurally damaged, so the run stops.

    Every part is cut to one readable line (``one_line``): a message may quote the file's text.
    Bad *records* in an otherwise sound file do not raise: they go to the rejects table with a
    reason code (see ``bigdet.schema.REJECT_REASONS``).
    """

    def __init__(self, file: str | Path, what: str, *, record: str | None = None, hint: str | None = None):
        self.file = one_line(file, limit=None)
        self.what = one_line(what)
        self.record = None if record is None else one_line(record)
        self.hint = None if hint is None else one_line(hint)
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file if self.record is None else f"{self.file}, {self.record}"
        text = f"{where}: {self.what}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class StoreError(BigdetError):
    """The Parquet store is missing something or was written by an incompatible version."""


class ConfigError(BigdetError):
    """A configuration file or option is invalid."""
