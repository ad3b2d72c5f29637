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


def test_in_order_gives_results_in_order_with_at_most_ahead_plus_one_outstanding():
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from bigdet.workers import in_order

    outstanding, most = [0], [0]
    lock = threading.Lock()

    def slow_first(k: int) -> int:
        with lock:
            outstanding[0] += 1
            most[0] = max(most[0], outstanding[0])
        time.sleep(0.02 if k % 3 == 0 else 0)  # later items finish first
        with lock:
            outstanding[0] -= 1
        return k * k

    with ThreadPoolExecutor(4) as pool:
        assert list(in_order(pool, slow_first, range(20), ahead=2)) == [k * k for k in range(20)]
    assert most[0] <= 3
    assert list(in_order(None, slow_first, range(5), ahead=2)) == [0, 1, 4, 9, 16]


def test_in_order_raises_a_call_s_failure_where_its_result_is_taken_and_starts_no_more():
    from concurrent.futures import ThreadPoolExecutor

    from bigdet.workers import in_order

    started = []

    def fail_at_three(k: int) -> int:
        started.append(k)
        if k == 3:
            raise ValueError("item 3")
        return k

    got = []
    with ThreadPoolExecutor(1) as pool:
        with pytest.raises(ValueError, match="item 3"):
            for value in in_order(pool, fail_at_three, range(100), ahead=2):
                got.append(value)
    assert got == [0, 1, 2]
    assert max(started) <= 5  # at most ahead + 1 past the failure were submitted; none after it
