"""cli/ and taxonomy/ install under bigdet's namespace, not as top-level packages named ``cli`` and ``taxonomy``."""

from __future__ import annotations

import subprocess
import sys


def run_outside_repo(tmp_path, code: str) -> subprocess.CompletedProcess:
    # from another folder the repository root is not on sys.path: only what is installed imports
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=300)


def test_cli_and_taxonomy_import_under_bigdet_from_outside_the_repository(tmp_path):
    code = (
        "import bigdet.cli.main, bigdet.taxonomy.mapping as m, bigdet.taxonomy.targets as t, sys\n"
        "print(m.read_table('lvis_v1')[0]['source_name'], len(t.bigdet600()), 'nltk' in sys.modules)"
    )
    result = run_outside_repo(tmp_path, code)
    assert result.returncode == 0, result.stderr[-2000:]
    # the shipped mapping tables and the label-space table are installed with the package and read
    # through it (not through a top-level "taxonomy" that only the repository folder provides)
    assert result.stdout.split() == ["aerosol_can", "600", "False"]


def test_no_top_level_cli_or_taxonomy_package_is_installed(tmp_path):
    for name in ("cli", "taxonomy"):
        result = run_outside_repo(tmp_path, f"import importlib.util; print(importlib.util.find_spec({name!r}))")
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.strip() == "None", f"a top-level package {name!r} is installed: {result.stdout}"


def test_python_m_bigdet_runs_the_cli(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bigdet", "--version"], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("bigdet ")
