"""Shared by the benchmark scripts: replace one section of RESULTS.md, keeping the others."""

from __future__ import annotations

from pathlib import Path

PATH = Path(__file__).parent / "RESULTS.md"
HEADER = "# Benchmark results\n\nWritten by the scripts in `bench/`; each section is replaced when its benchmark is re-run.\n"


def replace_section(title: str, section: str) -> None:
    """``title`` is the section's ``## ...`` line; ``section`` its whole text, title included."""
    text = PATH.read_text() if PATH.exists() else HEADER
    section = section.rstrip("\n") + "\n"
    if title in text:
        start = text.index(title)
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + ("" if end < 0 else "\n" + text[end + 1 :])
    else:
        text = text.rstrip("\n") + "\n\n" + section
    PATH.write_text(text)
