"""``bigdet browse``."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Optional

import typer

from .console import count_progress, err, friendly, out, safe, status, text
from .data import WorkersOpt


def register(app: typer.Typer) -> None:
    @app.command()
    @friendly
    def browse(
        path: Path = typer.Argument(Path("out"), help="A merge output folder (or one COCO json file)"),
        split: str = typer.Option("val", "--split", help="train, val or all"),
        limit: Optional[int] = typer.Option(None, "--limit", help="Load a deterministic sample of this many images"),
        name: Optional[str] = typer.Option(None, "--name", help="FiftyOne dataset name [default: bigdet-<folder>-<split>[-<limit>]]"),
        port: int = typer.Option(5151, "--port", help="Port of the FiftyOne App"),
        address: str = typer.Option("127.0.0.1", "--address", help="Address the App listens on (0.0.0.0 for other machines)"),
        image_root: Optional[Path] = typer.Option(None, "--image-root", help="Folder the file names are relative to, if the images moved since the merge"),
        no_launch: bool = typer.Option(False, "--no-launch", help="Only load the dataset; do not start the App"),
        workers: Optional[int] = WorkersOpt,
    ):
        """Load a merged set into a persistent FiftyOne dataset (replacing an older one) and open the FiftyOne App on it."""
        from bigdet import browse as library  # here, not at the top: other commands start without its imports

        name = name or library.default_name(path, split, limit)
        with status(f"reading {safe(path)}"):
            selection = library.read(path, split, limit=limit, image_root=image_root, workers=workers)
        shown = f"{selection.images.num_rows:,} of {selection.images_in_split:,} images" if limit else f"{selection.images.num_rows:,} images"
        out.print(text(f"{split}: {shown}, {selection.boxes.num_rows:,} boxes from {', '.join(f.name for f in selection.files)}"), soft_wrap=True)
        if selection.missing:
            err.print(f"[yellow]warning:[/] {selection.missing:,} of {selection.images.num_rows:,} image files are missing (loaded anyway), e.g.:", soft_wrap=True)
            for p in selection.missing_examples:
                err.print(text(f"  {p}"), soft_wrap=True)
        with count_progress("loading into FiftyOne") as progress:
            loaded = library.load(selection, name, progress=progress)
        out.print(f"FiftyOne dataset {safe(repr(loaded.name))}: {loaded.samples:,} samples, {loaded.detections:,} detections ({loaded.seconds:.1f} s)")
        if no_launch:
            return
        session, url = library.launch(loaded.name, port=port, address=address)
        out.print(f"FiftyOne App: {url}  (Ctrl-C to stop)", soft_wrap=True)
        if address in ("127.0.0.1", "localhost"):
            out.print(f"from another machine: ssh -N -L {port}:127.0.0.1:{port} USER@THIS_HOST, then open the same address there", soft_wrap=True)
        signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the App as Ctrl-C does
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            session.close()
            out.print("App stopped; the dataset stays in FiftyOne")


def _interrupt(signum, frame):
    raise KeyboardInterrupt
