"""Folders bigdet replaces as a whole: checked before the work, locked, and switched in one atomic step.

Two kinds of folder are replaced as a whole: the merge output ``OUT`` and each source of the store,
``STORE/<source>``. Each is a symbolic link to a version folder beside it::

    OUT -> OUT.bigdet/20250102T030405-1234-ab12    a relative link: cd into OUT, point trainers at OUT
    OUT.bigdet/BIGDET                              marker: bigdet made this folder and may clean it
    OUT.bigdet/lock                                held (flock) by the run writing OUT; holds its pid
    OUT.bigdet/<run id>.incomplete/                a run's own staging folder

A run writes into its own staging folder (two runs never share a temporary name), renames it to
``OUT.bigdet/<run id>``, makes a new link ``OUT.bigdet/<run id>.link`` and renames that link over
``OUT``. rename(2) replaces a link in one step, so ``OUT`` names the previous version or the new one,
never nothing, whenever the process dies; the previous version is removed after the switch, and
whatever a killed run left behind is removed by the next run, under the lock.

bigdet removes nothing outside a ``*.bigdet`` folder that carries its marker, and only names it made
there. It refuses, before any work, an ``OUT`` that is ``.``, a file, a folder or link it did not make,
or that is, contains or lies inside an input or the store (symbolic links resolved).

Locks are ``flock(2)`` locks on a file, so the kernel releases them when the process dies; a second run
stops at once with "another bigdet run holds LOCKFILE (pid N)". The store has one lock
(``STORE/bigdet.lock``), held by ``ingest`` and for the whole of a ``merge`` (which reads the store).

For tests only, ``BIGDET_TEST_HOOK=<stage>=kill`` makes the process SIGKILL itself at a named stage and
``<stage>=wait:<path>`` makes it create ``<path>.reached`` and wait for ``<path>`` to exist; stages are
``<kind>:locked``, ``:staged``, ``:versioned``, ``:linked``, ``:switched`` with kind ``out`` or ``store``,
and ``out:working`` (a merge holding the output and store locks, before its work).
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import secrets
import shutil
import signal
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from .errors import BigdetError, ConfigError

MARKER = "BIGDET"
LOCK = "lock"
STORE_LOCK = "bigdet.lock"
SUFFIX = ".bigdet"
#: what a run names in a versions folder: <run id>, <run id>.incomplete, <run id>.link
RUN_NAME = re.compile(r"^\d{8}T\d{6}-\d+-[0-9a-f]{4}(\.incomplete|\.link)?$")


class BusyError(BigdetError):
    """Another bigdet run holds the lock of a folder this run would write."""


#: Files in an annotations/ folder that are not COCO annotation files: BigDetection's trainer reads its
#: class-aware sampling weights from annotations/cas_weights.json (``bigdet export --format coco``).
NOT_ANNOTATIONS = frozenset({"cas_weights.json"})


def annotation_files(folder: Path) -> list[Path]:
    """The COCO annotation files of a merged (or exported) ``annotations/`` folder, by name."""
    return sorted(p for p in Path(folder).glob("*.json") if p.name not in NOT_ANNOTATIONS)


def os_error(e: OSError, doing: str = "") -> BigdetError:
    """An OSError as one line naming the path and what failed."""
    where = f"{e.filename}: " if e.filename else ""
    reason = e.strerror or str(e)
    return BigdetError(f"{where}{doing + ': ' if doing else ''}{reason}")


# -- test hook -----------------------------------------------------------------------------------


def checkpoint(stage: str) -> None:
    """Act at a named stage when BIGDET_TEST_HOOK asks (tests only; see the module docstring)."""
    hook = os.environ.get("BIGDET_TEST_HOOK")
    if not hook:
        return
    name, _, action = hook.partition("=")
    if name != stage:
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action.startswith("wait:"):
        path = Path(action[len("wait:") :])
        path.with_name(path.name + ".reached").write_text(str(os.getpid()))
        deadline = time.monotonic() + 120
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.02)


# -- locks ---------------------------------------------------------------------------------------

_HELD: dict[str, list] = {}  # real path -> [fd, depth]: a run re-entering its own lock (merge -> ingest)
_HELD_GUARD = threading.Lock()  # merge ingests several sources at once, each re-entering the store's lock


class Lock:
    """An exclusive, non-blocking flock on ``path``, re-entrant within the process."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def __enter__(self) -> "Lock":
        with _HELD_GUARD:
            return self._enter()

    def _enter(self) -> "Lock":
        key = os.path.realpath(self.path)
        if key in _HELD:
            _HELD[key][1] += 1
            return self
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as e:
            raise os_error(e, "cannot create the lock file") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            pid = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise BusyError(f"another bigdet run holds {self.path} (pid {pid}); wait for it to end, or use another folder") from None
            raise os_error(e, "cannot lock") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _HELD[key] = [fd, 1]
        return self

    def __exit__(self, *exc) -> None:
        with _HELD_GUARD:
            self._exit()

    def _exit(self) -> None:
        key = os.path.realpath(self.path)
        entry = _HELD[key]
        entry[1] -= 1
        if entry[1] == 0:
            del _HELD[key]
            os.close(entry[0])  # closing the last descriptor releases the flock


def store_lock(store: Path) -> Lock:
    """The lock of a whole store (created with the store folder)."""
    store = Path(store)
    try:
        store.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise os_error(e, "cannot create the store folder") from None
    return Lock(store / STORE_LOCK)


# -- where outputs may go ------------------------------------------------------------------------


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _overlaps(a: Path, b: Path) -> bool:
    return a == b or a.is_relative_to(b) or b.is_relative_to(a)


def refuse_overlap(path: Path, what: str, protected: Iterable[tuple[str, Path]]) -> None:
    """Refuse an output ``path`` that is, contains or lies inside one of the existing ``protected``
    (name, path) pairs, symbolic links resolved."""
    path = Path(path)
    mine = [_real(path.parent) / path.name, _real(path)]
    if path.name:
        mine.append(_real(path.parent) / (path.name + SUFFIX))
    hits = []
    for name, other in protected:
        if other is None or not os.path.lexists(other):
            continue
        theirs = _real(other)
        for p in mine:
            if _overlaps(p, theirs):
                relation = "is" if p == theirs else ("lies inside" if p.is_relative_to(theirs) else "contains")
                # name the closest: "is" first, then the innermost folder it lies in, then the outermost it contains
                rank = (0, 0) if relation == "is" else (1, -len(theirs.parts)) if relation == "lies inside" else (2, len(theirs.parts))
                hits.append((rank, f"{what} {path} {relation} {name} {other}"))
    if hits:
        raise ConfigError(min(hits)[1] + "; choose a folder apart from the inputs and the store")


def _run_id() -> str:
    return f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{os.getpid()}-{secrets.token_hex(2)}"


class VersionedDir:
    """A folder replaced as a whole through a link to a version folder (see the module docstring).

    ``kind`` names it in the test hook's stages (``out``, ``store``); ``what`` in messages (``--out``).
    """

    def __init__(self, path: Path, *, kind: str = "out", what: str = "output folder"):
        path = Path(path)
        if path.name in ("", ".", ".."):
            raise ConfigError(f"{what} {str(path) or '.'!r} must name a folder of its own (such as ./out), not . or .. or /")
        self.shown = path
        self.kind = kind
        self.what = what
        self.path = _real(path.parent) / path.name  # the link itself is not resolved
        self.versions = self.path.with_name(path.name + SUFFIX)
        self.notes: list[str] = []  # what could not be cleaned up (the output itself is fine)

    # The checks made before any work starts.
    def check(self) -> None:
        """Refuse a location that is not bigdet's to replace; nothing is written."""
        if self.versions.is_symlink() or (self.versions.exists() and not self.versions.is_dir()):
            raise ConfigError(f"{self.versions} is not a folder bigdet made; move it away or choose another {self.what}")
        if self.versions.is_dir() and not (self.versions / MARKER).is_file():
            raise ConfigError(f"{self.versions} exists and bigdet did not make it (no {MARKER} marker); move it away or choose another {self.what}")
        self.current()
        for p in self.path.parents:
            if p.exists() and not p.is_dir():
                raise ConfigError(f"{self.what} {self.shown}: {p} is a file, not a folder")

    def current(self) -> str | None:
        """The version ``path`` links to; None when there is none yet. Refuses anything else at ``path``."""
        p = self.path
        if p.is_symlink():
            target = os.readlink(p)
            head, _, name = target.partition("/")
            if head != self.versions.name or not RUN_NAME.match(name) or name.endswith((".incomplete", ".link")):
                raise ConfigError(f"{self.what} {self.shown} is a symbolic link bigdet did not make (-> {target}); remove the link or choose another {self.what}")
            return name
        if not p.exists():
            return None
        if p.is_dir():
            if any(p.iterdir()):
                raise ConfigError(
                    f"{self.what} {self.shown} is a folder bigdet did not make as a versioned output (outputs are links into "
                    f"{self.versions.name}/; an older bigdet wrote them in place): move it away or delete it, or choose another {self.what}"
                )
            return None
        raise ConfigError(f"{self.what} {self.shown} is a file, not a folder; choose another {self.what}")

    @contextmanager
    def staging(self) -> Iterator[Path]:
        """Lock, clean leftovers, and yield a new staging folder; on success switch ``path`` to it."""
        self.check()
        try:
            self.versions.mkdir(parents=True, exist_ok=True)
            marker = self.versions / MARKER
            if not marker.exists():
                marker.write_text("This folder holds versions of the bigdet output next to it; bigdet may delete what it made here.\n")
        except OSError as e:
            raise os_error(e, f"cannot create the {self.what}") from None
        with Lock(self.versions / LOCK):
            current = self.current()  # again, under the lock: another run may have switched it
            self.notes = self.clean(keep=current)
            run = _run_id()
            staging = self.versions / f"{run}.incomplete"
            try:
                staging.mkdir()
            except OSError as e:
                raise os_error(e, f"cannot write the {self.what}") from None
            checkpoint(f"{self.kind}:locked")
            try:
                yield staging
                checkpoint(f"{self.kind}:staged")
                self._switch(staging, run)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            self.notes = self.clean(keep=run)

    def _switch(self, staging: Path, run: str) -> None:
        version = self.versions / run
        os.rename(staging, version)
        checkpoint(f"{self.kind}:versioned")
        link = self.versions / f"{run}.link"
        os.symlink(f"{self.versions.name}/{run}", link)  # relative to the folder OUT is in
        checkpoint(f"{self.kind}:linked")
        if self.path.is_dir() and not self.path.is_symlink():
            self.path.rmdir()  # an empty folder (checked): rename(2) cannot put a link over a folder
        os.replace(link, self.path)  # the one atomic step
        _fsync_dir(self.path.parent)
        checkpoint(f"{self.kind}:switched")

    def clean(self, keep: str | None) -> list[str]:
        """Remove what runs left in the versions folder except ``keep``; return what could not be removed."""
        stuck = []
        for entry in sorted(self.versions.iterdir()) if self.versions.is_dir() else ():
            if entry.name == keep or not RUN_NAME.match(entry.name):
                continue
            try:
                if entry.is_symlink() or not entry.is_dir():
                    entry.unlink()
                else:
                    shutil.rmtree(entry)
            except OSError as e:
                stuck.append(f"{entry}: {e.strerror}")
        return stuck


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
