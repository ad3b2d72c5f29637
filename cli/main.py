"""The ``bigdet`` typer app."""

from __future__ import annotations

import platform
from typing import Optional

import typer

import bigdet

from . import browse, data, dedup, export, merge, stats, taxonomy
from . import eval as evaluation
from .console import out

app = typer.Typer(
    name="bigdet",
    help="Build one large object-detection dataset from LVIS v1, Open Images and Objects365.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        out.print(f"bigdet {bigdet.__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Optional[bool] = typer.Option(None, "--version", callback=_version, is_eager=True, help="Print the version and exit"),
) -> None:
    """Build one large object-detection dataset from LVIS v1, Open Images and Objects365."""


@app.command()
def env() -> None:
    """Versions of bigdet and its dependencies, for bug reports."""
    import importlib.metadata as md

    out.print(f"bigdet {bigdet.__version__}, Python {platform.python_version()} on {platform.platform()}")
    for name in ("pyarrow", "pandas", "numpy", "orjson", "typer", "rich", "pillow", "pycocotools", "rapidfuzz", "nltk", "fiftyone", "fiftyone-db", "ray", "imagehash"):
        try:
            out.print(f"  {name} {md.version(name)}")
        except md.PackageNotFoundError:
            out.print(f"  {name} (not installed)")


data.register(app)
merge.register(app)
stats.register(app)
browse.register(app)
evaluation.register(app)
dedup.register(app)
export.register(app)
app.add_typer(taxonomy.app, name="taxonomy")


def main() -> None:
    app()
