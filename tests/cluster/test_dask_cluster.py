"""A real Dask cluster on 127.0.0.1: a scheduler and two workers started as `dask` processes, and
`prepub check --dask-scheduler` (a real process) compared byte for byte with a local run (in this process)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import run_prepub, run_prepub_process
from tests.read.make_files import PERSON_ID, PERSON_PHONE

pytest.importorskip("distributed", reason="needs the [cluster] extra")
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.workdir = workdir
        self.workers: list[subprocess.Popen] = []
        self.scheduler = self._start("scheduler", [sys.executable, "-m", "distributed.cli.dask_scheduler",
                                                   "--host", "127.0.0.1", "--port", str(self.port),
                                                   "--dashboard-address", ":0"])

    def _start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "wb")
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir,
                                start_new_session=True, env=dict(os.environ, PYTHONIOENCODING="utf-8"))

    def add_worker(self) -> subprocess.Popen:
        number = len(self.workers) + 1
        worker = self._start(f"worker{number}", [
            sys.executable, "-m", "distributed.cli.dask_worker", self.address, "--nthreads", "1",
            "--no-nanny", "--host", "127.0.0.1", "--dashboard-address", ":0", "--memory-limit", "0",
            "--name", f"w{number}", "--local-directory", str(self.workdir / f"w{number}")])
        self.workers.append(worker)
        return worker

    def wait_for_workers(self, count: int, timeout: float = 120) -> None:
        from distributed import Client

        with Client(self.address, timeout="60s") as client:
            client.wait_for_workers(count, timeout=timeout)

    def wait_until_processing(self, name: str, timeout: float = 120) -> int:
        """How many tasks the worker `name` holds, once it holds any (the scheduler's view)."""
        from distributed import Client

        with Client(self.address, timeout="60s") as client:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                workers = client.scheduler_info()["workers"]
                address = next((a for a, info in workers.items() if info.get("name") == name), None)
                held = len(client.processing().get(address, ())) if address else 0
                if held:
                    return held
                time.sleep(0.02)
        raise AssertionError(f"worker {name} was given no task within {timeout} s")

    def stop(self) -> None:
        """Workers first, then the scheduler: a worker whose scheduler goes away while it closes
        hangs in its close for the whole 20 s timeout (then killed); in this order all exit in < 1 s."""
        self._terminate(self.workers)
        self._terminate([self.scheduler])

    @staticmethod
    def _terminate(processes: list[subprocess.Popen]) -> None:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("dask"))
    try:
        cluster.add_worker()
        cluster.add_worker()
        cluster.wait_for_workers(2)
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def backlog(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("backlog")
    for number in range(12):
        body = f"第{number}号公示\n" + (f"户主赵小梅，身份证号{PERSON_ID}，电话{PERSON_PHONE}\n" if number % 3 == 0
                                      else "本街道2026年共受理申请12件，均已办结。\n")
        (folder / f"公示{number:02d}.txt").write_text(body, encoding="utf-8")
    (folder / "坏文件.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "空文件.txt").write_bytes(b"")
    return folder


def listed(backlog: Path, tmp_path: Path) -> Path:
    files = sorted(str(p) for p in backlog.iterdir())
    listing = tmp_path / "files.txt"
    listing.write_text("# 待审查\n" + "\n".join(files) + "\n\n", encoding="utf-8")
    return listing


@pytest.mark.parametrize("output_format", ["json", "sarif", "html"])
def test_cluster_run_is_byte_identical_to_a_local_run(cluster, backlog, tmp_path, output_format):
    listing = listed(backlog, tmp_path)
    local = run_prepub("check", "--format", output_format, "--files-from", str(listing), "--jobs", "1")
    remote = run_prepub_process("check", "--format", output_format, "--files-from", str(listing),
                                "--dask-scheduler", cluster.address, timeout=600)
    assert local.code == remote.code == 2, remote.stderr      # blocks and two unreadable files
    assert remote.stdout == local.stdout
    if output_format == "json":
        verdicts = [d["verdict"] for d in remote.json()["documents"]]
        assert verdicts.count("block") == 4 and verdicts.count("error") == 2 and len(verdicts) == 14


def test_a_dying_worker_loses_no_file(cluster, tmp_path, backlog):
    """A third worker joins the module's cluster and is killed while the run is going: its files are
    run again elsewhere. (One new process, not a cluster of three: the others stay up.)"""
    doomed = cluster.add_worker()
    cluster.wait_for_workers(3)
    listing = listed(backlog, tmp_path)
    local = run_prepub("check", "--format", "json", "--files-from", str(listing), "--jobs", "1")
    env = dict(os.environ, PYTHONIOENCODING="utf-8", NO_COLOR="1", COLUMNS="200")
    remote = subprocess.Popen([sys.executable, "-m", "prepub_review", "check", "--format", "json",
                               "--files-from", str(listing), "--dask-scheduler", cluster.address],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:   # killed while it holds files of this run (fails if it never does)
        cluster.wait_until_processing(f"w{len(cluster.workers)}")
        os.killpg(doomed.pid, signal.SIGKILL)
        out, err = remote.communicate(timeout=600)
    finally:
        if remote.poll() is None:
            remote.kill()
            remote.wait()
    assert out.decode("utf-8") == local.stdout, err.decode("utf-8", "replace")


def test_unreachable_scheduler_is_a_clear_error(backlog, monkeypatch):
    """In this process, with a short connect timeout: the real 20 s of retrying costs 20 s."""
    monkeypatch.setattr("prepub_review.cluster.CONNECT_TIMEOUT", "2s")
    run = run_prepub("check", str(backlog), "--dask-scheduler", f"tcp://127.0.0.1:{free_port()}")
    assert run.code == 2
    assert "无法连接 Dask 调度器" in run.stderr and "Traceback" not in run.stderr
