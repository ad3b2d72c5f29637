"""The errors bigdet raises for the user to read.

One base class, a handful of kinds. Every error names the file and, where there is one, the record,
says what was wrong and, where it helps, what to do. The CLI prints ``str(error)`` on one line and
exits 1; nothing here should ever need a traceback to be understood.
"""

from __future__ import annotations

from pathlib import Path


class BigdetError(Exception):
    """Base class: a problem the user can act on."""


class InputError(BigdetError):
    """An input file is missing or structurally damaged, so the run stops.

    Bad *records* in an otherwise sound file do not raise: they go to the rejects table with a
    reason code (see ``bigdet.schema.REJECT_REASONS``).
    """

    def __init__(self, file: str | Path, what: str, *, record: str | None = None, hint: str | None = None):
        self.file = str(file)
        self.what = what
        self.record = record
        self.hint = hint
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
