"""Output helpers shared by the commands: consoles, progress bars, error handling."""

from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from functools import wraps
from typing import Callable, Iterator

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text
from rich.progress import BarColumn, DownloadColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from bigdet.errors import BigdetError

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


#: C0 and C1 control characters and DEL: a terminal acts on them (ESC starts an escape sequence).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def plain(value) -> str:
    """Any value from a file or the user (a class name, a path, a message) as text: non-strings
    (a numeric class name) converted, control characters shown as ``\\x1b`` escapes instead of
    acting on the terminal."""
    text = value if isinstance(value, str) else str(value)
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


def text(value, style: str = "") -> Text:
    """``plain(value)`` as a rich Text, which is never read as markup: for table cells and titles
    (``[/]`` in a class name would crash a markup string, ``[bold red]x`` would print ``x``)."""
    return Text(plain(value), style=style)


def safe(value) -> str:
    """``plain(value)`` escaped for a markup string (``f"[red]problem:[/] {safe(p)}"``)."""
    return escape(plain(value))


def fail(message: str) -> None:
    err.print(Text.assemble(("error:", "bold red"), " ", text(message)), soft_wrap=True)
    raise typer.Exit(1)


def friendly(func: Callable) -> Callable:
    """Turn library errors into a one-line message on stderr and exit code 1 (no traceback)."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except BigdetError as e:
            fail(str(e))
        except KeyboardInterrupt:
            err.print("interrupted; outputs were not replaced")
            raise typer.Exit(130)

    return wrapper


def byte_progress(label: str):
    """A progress bar over bytes; silent when stderr is not a terminal."""
    return _progress(label, DownloadColumn())


def count_progress(label: str):
    """A progress bar over items (done of total); silent when stderr is not a terminal."""
    return _progress(label, MofNCompleteColumn())


@contextmanager
def _progress(label: str, amount) -> Iterator[Callable[[int, int], None]]:
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), amount, TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update


@contextmanager
def status(message: str) -> Iterator[None]:
    """A spinner with a message while a step without measurable progress runs; silent off a terminal."""
    if not sys.stderr.isatty():
        yield
        return
    with err.status(message):
        yield
