"""Output helpers shared by the commands: consoles, progress bars, error handling."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from functools import wraps
from typing import Callable, Iterator

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from bigdet.errors import BigdetError

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
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
