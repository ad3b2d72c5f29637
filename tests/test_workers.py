"""One worker setting (default: the CPUs this process may use) and one sampling hash."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from bigdet import workers
from bigdet.errors import ConfigError
from bigdet.cli.main import app


def test_default_workers_are_the_cpus_this_process_may_use(monkeypatch):
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda pid: {0, 3, 5}, raising=False)
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 64)
    assert workers.default_workers() == 3
    assert workers.resolve(None) == 3 and workers.resolve(5) == 5
    assert workers.io_threads(2) == 2 * workers.IO_READS_PER_WORKER


@pytest.mark.parametrize("bad", [0, -2, 1.5, True])
def test_a_worker_count_that_is_not_a_positive_integer_is_refused(bad):
    with pytest.raises(ConfigError, match="--workers must be a positive integer"):
        workers.resolve(bad)


@pytest.mark.parametrize("command", [["ingest", "oi"], ["merge"], ["validate"], ["stats"], ["browse"]])
def test_every_parallel_command_takes_workers(command):
    result = CliRunner().invoke(app, command + ["--workers", "0"])
    assert result.exit_code == 2 and "--workers" in result.output


def test_mix64_is_splitmix64s_finalizer():
    # Reference values of splitmix64 (seed 0: the first outputs are mix(golden * k)).
    state = np.array([0], dtype=np.uint64)
    assert int(workers.mix64(state)[0]) == 0xE220A8397B1DCDAF
    keys = np.arange(-5, 5, dtype=np.int64)
    assert len(set(workers.mix64(keys).tolist())) == 10  # a bijection: no two keys collide
    assert workers.text_key("lvis") != workers.text_key("openimages")


def test_bits64_is_each_value_as_a_64_bit_integer_or_float64_without_copying_64_bit_values():
    ints = np.array([-5, -1, 0, 7, 2**31 - 1], dtype=np.int32)
    assert workers.bits64(ints).tolist() == ints.astype(np.int64).view(np.uint64).tolist()
    assert workers.bits64(np.array([-1, 3], np.int8)).tolist() == [2**64 - 1, 3]
    floats = np.array([-0.0, 0.0, 1.5, np.inf], dtype=np.float32)
    assert workers.bits64(floats).tolist() == floats.astype(np.float64).view(np.uint64).tolist()
    assert workers.bits64(np.array([-0.0]))[0] != workers.bits64(np.array([0.0]))[0]  # the sign bit counts
    wide = np.array([2**63 + 5], dtype=np.uint64)
    assert workers.bits64(wide).tolist() == [2**63 + 5] and np.shares_memory(workers.bits64(wide), wide)
    signed = ints.astype(np.int64)
    assert np.shares_memory(workers.bits64(signed), signed)
