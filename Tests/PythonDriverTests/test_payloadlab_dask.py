"""Tests of the Dask pool (Sources/PythonRuntime/Resources/payloadlab_dask.py).

The marker tests need nothing beyond the standard library. The end-to-end tests need an interpreter that can import
`distributed`: this one, or the checkout's .venv/bin/python3 (`make python-deps`); without either they are skipped.
They run the driver as payloadlab does and check that no worker, scheduler or port is left behind: every process
the driver starts inherits a tag in its environment, and none may carry it once the driver has ended. No test
judges how fast anything ran.
"""
from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "Sources" / "PythonRuntime" / "Resources"
DRIVER = RESOURCES / "payloadlab_driver.py"
DASK_STAGES = ["serialize", "transfer", "deserialize", "verify", "work", "reserialize", "write"]
RUN_TIMEOUT = 180  # seconds before a run that should end by itself counts as hung (a cluster starts slowly here)

sys.path.insert(0, str(RESOURCES))
import payloadlab_dask  # noqa: E402  (standard library only at import)


def _imports_distributed(python: str) -> bool:
    try:
        return subprocess.run([python, "-c", "import distributed"], capture_output=True, timeout=120).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def dask_python():
    """An interpreter that can import distributed: this one, else the checkout's .venv; None when neither can."""
    for candidate in (sys.executable, str(ROOT / ".venv" / "bin" / "python3")):
        if os.access(candidate, os.X_OK) and _imports_distributed(candidate):
            return candidate
    return None


DASK_PYTHON = dask_python()


def tagged_processes(tag: str) -> list:
    """pids of live processes whose environment carries PAYLOADLAB_TEST_TAG=tag (zombies have no environment)."""
    needle = f"PAYLOADLAB_TEST_TAG={tag}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                if needle in f.read().split(b"\0"):
                    found.append(int(entry))
        except OSError:
            continue
    return found


def listening_ports() -> set:
    """Ports in LISTEN state on IPv4 and IPv6, from /proc/net/tcp*."""
    ports = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == "0A":
                        ports.add(int(fields[1].rsplit(":", 1)[1], 16))
        except OSError:
            continue
    return ports


def wait_until_gone(tag: str, seconds: float = 30.0) -> list:
    deadline = time.monotonic() + seconds
    left = tagged_processes(tag)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = tagged_processes(tag)
    return left


def alive(pid: int) -> bool:
    """Whether pid is a live process (a zombie waiting for its reaper counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


def wait_until_dead(pids, seconds: float = 30.0) -> list:
    deadline = time.monotonic() + seconds
    left = [pid for pid in pids if alive(pid)]
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = [pid for pid in left if alive(pid)]
    return left


def request(scratch: str, pool: str = "dask", **changes) -> dict:
    body = {
        "protocol": 1, "shape": "records", "sizeBytes": 2048, "seed": 1, "pool": pool, "workers": 2,
        "work": "checksum", "startMethod": None, "warmupTasksPerWorker": 1, "tasks": 4, "minTasks": 2,
        "maxTasks": 50, "minBatches": 2, "budgetSeconds": 0.2, "sync": False, "scratchDirectory": scratch,
        "async": False, "taskTimeoutSeconds": 60,
    }
    body.update(changes)
    return body


class MarkerTests(unittest.TestCase):
    """The stamps travel with the object through any pickling, as Dask's does."""

    def test_pickling_stamps_the_client_and_unpickling_the_receiver(self):
        task = 10_001
        data = pickle.dumps((payloadlab_dask.StartMarker(task), b"x" * 4096, payloadlab_dask.EndMarker(task)))
        start, obj, end = pickle.loads(data)
        self.assertEqual(obj, b"x" * 4096)
        client = payloadlab_dask._CLIENT_MARKS.pop(task)
        self.assertEqual(len(client), 1)
        self.assertEqual(len(client[0]), 4)
        self.assertLessEqual(client[0][0], client[0][2])
        worker = payloadlab_dask._WORKER_MARKS.pop(task)
        self.assertEqual(len(worker), 4)
        self.assertLessEqual(worker[0], worker[2])

    def test_a_marker_rebuilt_is_a_marker_again_so_a_scheduler_can_repickle_it(self):
        task = 10_002
        once = pickle.loads(pickle.dumps(payloadlab_dask.StartMarker(task)))
        self.assertIsInstance(once, payloadlab_dask.StartMarker)
        pickle.loads(pickle.dumps(once))
        self.assertEqual(len(payloadlab_dask._CLIENT_MARKS.pop(task)), 2, "each pickling is its own entry")
        payloadlab_dask._WORKER_MARKS.pop(task, None)

    def test_available_is_a_plain_answer(self):
        self.assertIsInstance(payloadlab_dask.available(), bool)


class RequestTests(unittest.TestCase):
    def run_driver(self, python: str, body: dict):
        return subprocess.run([python, str(DRIVER), "run"], input=json.dumps(body).encode(), capture_output=True,
                              timeout=RUN_TIMEOUT)

    @unittest.skipIf(payloadlab_dask.available(), "this interpreter has distributed")
    def test_dask_without_distributed_is_one_sentence_naming_make_python_deps(self):
        with tempfile.TemporaryDirectory() as scratch:
            done = self.run_driver(sys.executable, request(scratch))
        self.assertEqual(done.returncode, 2)
        line = json.loads(done.stdout.decode().splitlines()[-1])
        self.assertEqual(line["kind"], "missingDependency")
        self.assertIn("make python-deps", line["message"])

    def test_a_scheduler_address_must_look_like_one(self):
        with tempfile.TemporaryDirectory() as scratch:
            done = self.run_driver(sys.executable, request(scratch, pool="thread", daskScheduler="localhost"))
        self.assertEqual(done.returncode, 2)
        self.assertIn("daskScheduler", done.stdout.decode())

    @unittest.skipIf(DASK_PYTHON is None, "distributed is not importable (make python-deps installs it in .venv)")
    def test_a_start_method_is_refused_for_dask_whose_workers_multiprocessing_does_not_start(self):
        with tempfile.TemporaryDirectory() as scratch:
            done = self.run_driver(DASK_PYTHON, request(scratch, startMethod="fork"))
        self.assertEqual(done.returncode, 2)
        line = json.loads(done.stdout.decode().splitlines()[-1])
        self.assertEqual(line["field"], "startMethod")
        self.assertIn("send null", line["message"])

    def test_the_probe_says_whether_distributed_is_importable(self):
        done = subprocess.run([sys.executable, str(DRIVER), "probe"], capture_output=True, timeout=RUN_TIMEOUT)
        probe = json.loads(done.stdout)
        self.assertEqual(probe["distributed"], payloadlab_dask.available())


class LocalProcessesTests(unittest.TestCase):
    """Starting the local cluster's processes, with a stand-in interpreter: no Dask needed."""

    def test_a_scheduler_that_exits_at_once_is_one_sentence_with_its_stderr_and_leaves_no_file(self):
        with tempfile.TemporaryDirectory() as directory:
            fake = os.path.join(directory, "python3")
            with open(fake, "w") as f:
                f.write("#!/bin/sh\necho 'Traceback (most recent call last):' >&2\necho 'boom: no scheduler here' >&2\n"
                        "exit 3\n")
            os.chmod(fake, 0o755)
            local = payloadlab_dask.LocalProcesses("plabtest", 30.0, executable=fake)
            local.start_scheduler()
            with self.assertRaises(Exception) as raised:
                local.scheduler_address()
            local.close(5.0)
        error = raised.exception
        self.assertEqual(type(error).__name__, "DriverError")
        self.assertEqual(error.kind, "daskCluster")
        self.assertIn("status 3", error.message)
        self.assertIn("boom: no scheduler here", error.message)
        self.assertNotIn("\n", error.message)
        self.assertFalse(alive(local.scheduler_pid))
        self.assertEqual([path for path in local.files if os.path.exists(path)], [], "close removes its files")

    def test_children_get_the_dask_settings_and_the_driver_folder_on_their_path(self):
        environment = payloadlab_dask._child_environment()
        self.assertEqual(environment["DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES"], "0")
        self.assertEqual(environment["PYTHONPATH"].split(os.pathsep)[0], str(RESOURCES))


class CommBaselineRequestTests(unittest.TestCase):
    """The dask-comm request, checked before anything starts (standard library only)."""

    def run_driver(self, body, python=sys.executable):
        run = subprocess.run([python, str(DRIVER), "dask-comm"], input=json.dumps(body).encode(),
                             capture_output=True, timeout=RUN_TIMEOUT)
        return run.returncode, [json.loads(line) for line in run.stdout.decode().splitlines() if line.strip()]

    def test_a_bad_request_names_its_field(self):
        good = {"protocol": 1, "sizes": [1000], "rounds": 2, "timeoutSeconds": 30}
        for field, value in (("sizes", []), ("sizes", [0]), ("sizes", ["1MB"]), ("rounds", 0), ("timeoutSeconds", -1),
                             ("protocol", 99), ("extra", 1)):
            with self.subTest(field=field, value=value):
                code, lines = self.run_driver(dict(good, **{field: value}))
                self.assertEqual(code, 2)
                self.assertEqual(lines[-1]["event"], "error")
                self.assertEqual(lines[-1]["field"], field)


@unittest.skipIf(DASK_PYTHON is None, "distributed is not importable (make python-deps installs it in .venv)")
class LocalClusterTests(unittest.TestCase):
    """A real local cluster (scheduler and workers in processes of their own): points in both modes, an
    interrupt, a worker killed mid-task, and the driver killed outright."""

    def setUp(self):
        self.scratch = tempfile.TemporaryDirectory()
        self.tag = uuid.uuid4().hex
        self.ports_before = listening_ports()

    def tearDown(self):
        for pid in tagged_processes(self.tag):  # only after a failed check: never leave them to the next test
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.scratch.cleanup()

    def start(self, body: dict) -> subprocess.Popen:
        env = dict(os.environ, PAYLOADLAB_TEST_TAG=self.tag)
        process = subprocess.Popen([DASK_PYTHON, str(DRIVER), "run"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env=env)
        process.stdin.write(json.dumps(body).encode())
        process.stdin.close()
        process.stdin = None  # sent: communicate() must not flush it again
        self.driver_pid = process.pid
        return process

    def finish(self, process: subprocess.Popen):
        out, err = process.communicate(timeout=RUN_TIMEOUT)
        lines = [json.loads(line) for line in out.decode().splitlines() if line.strip()]
        return process.returncode, lines, err.decode()

    def assert_nothing_left(self, ready: dict):
        left = wait_until_gone(self.tag)
        self.assertEqual(left, [], "no worker or scheduler process outlives the driver")
        ports = {int(address.rsplit(":", 1)[1]) for address in ready.get("daskAddresses", [])}
        self.assertTrue(ports, "the ready line names the cluster's addresses")
        still = (ports & listening_ports()) - self.ports_before
        self.assertEqual(still, set(), "no port of the cluster is still listening")
        self.assertEqual(os.listdir(self.scratch.name), [], "scratch files are removed")

    def test_both_modes_time_every_stage_and_leave_nothing(self):
        for pool, mode in (("dask", "submit"), ("dask:scatter", "scatter")):
            with self.subTest(pool=pool):
                code, lines, err = self.finish(self.start(request(self.scratch.name, pool=pool)))
                self.assertEqual(code, 0, err[-2000:])
                ready = next(line for line in lines if line["event"] == "ready")
                self.assertEqual(ready["daskMode"], mode)
                self.assertEqual(ready["daskScheduler"], "local")
                self.assertFalse(ready["schedulerInProcess"])
                self.assertEqual(ready["startMethod"], "exec")
                self.assertEqual(len(ready["workerPids"]), 2)
                scheduler = ready["schedulerPid"]
                self.assertIsInstance(scheduler, int)
                self.assertNotIn(scheduler, [self.driver_pid] + ready["workerPids"])
                samples = [line for line in lines if line["event"] == "sample" and not line["warmup"]]
                self.assertEqual(len(samples), 4)
                for sample in samples:
                    self.assertEqual(sorted(sample["ns"]), sorted(DASK_STAGES))
                    self.assertTrue(all(value >= 0 for value in sample["ns"].values()), sample["ns"])
                    self.assertGreater(sample["latencyNs"], 0)
                self.assertEqual(lines[-1]["event"], "done")
                self.assert_nothing_left(ready)
                self.assertEqual(wait_until_dead([scheduler] + ready["workerPids"]), [])

    def test_an_interrupt_mid_point_stops_the_cluster(self):
        process = self.start(request(self.scratch.name, tasks=None, maxTasks=1_000_000, minTasks=1_000_000,
                                     budgetSeconds=600))
        ready = json.loads(process.stdout.readline())  # samples come a batch at a time: wait for tasks instead
        self.assertEqual(ready["event"], "ready")
        time.sleep(1.0)  # tasks run back to back from here on, so the interrupt lands among them
        process.send_signal(signal.SIGINT)
        code, lines, err = self.finish(process)
        self.assertEqual(code, 130, err[-2000:])
        self.assertEqual(lines[-1]["kind"], "interrupted")
        self.assert_nothing_left(ready)

    def test_a_worker_killed_mid_task_fails_the_point_and_leaves_nothing(self):
        code, lines, err = self.finish(self.start(request(self.scratch.name, faultInjection="killWorker")))
        self.assertEqual(code, 3, err[-2000:])
        self.assertEqual(lines[-1]["event"], "error")
        self.assertEqual(lines[-1]["kind"], "workerDied", lines[-1])
        ready = next(line for line in lines if line["event"] == "ready")
        self.assert_nothing_left(ready)

    def test_a_driver_killed_outright_leaves_no_scheduler_or_worker(self):
        process = self.start(request(self.scratch.name, tasks=None, maxTasks=1_000_000, minTasks=1_000_000,
                                     budgetSeconds=600))
        try:
            ready = json.loads(process.stdout.readline())
            self.assertEqual(ready["event"], "ready")
            children = [ready["schedulerPid"]] + ready["workerPids"]
            for pid in children:  # no nanny: each is the driver's own child
                self.assertEqual(parent_of(pid), process.pid)
            time.sleep(1.0)  # mid-run: tasks run back to back from here on
            process.kill()
            process.wait(timeout=RUN_TIMEOUT)
            self.assertEqual(wait_until_dead(children), [], "PR_SET_PDEATHSIG ends the driver's children")
            self.assertEqual(wait_until_gone(self.tag), [])
        finally:
            process.stdout.close()
            process.stderr.close()
            # What a killed driver cannot remove carries its prefix; payloadlab removes it after the driver has
            # ended (the Swift integration test DaskSweepTests checks that), and here the test does.
            prefix = f"plab{process.pid}_"
            for name in os.listdir("/dev/shm"):
                if name.startswith(prefix):
                    os.unlink(os.path.join("/dev/shm", name))


@unittest.skipIf(DASK_PYTHON is None, "distributed is not importable (make python-deps installs it in .venv)")
class CommBaselineTests(unittest.TestCase):
    """Dask's own comm between the driver and a child interpreter: a line per size, and no child left."""

    def test_each_size_is_timed_and_the_echo_child_is_gone(self):
        tag = uuid.uuid4().hex
        body = {"protocol": 1, "sizes": [1000, 1_000_000], "rounds": 2, "timeoutSeconds": 60}
        run = subprocess.run([DASK_PYTHON, str(DRIVER), "dask-comm"], input=json.dumps(body).encode(),
                             capture_output=True, timeout=RUN_TIMEOUT, env=dict(os.environ, PAYLOADLAB_TEST_TAG=tag))
        self.assertEqual(run.returncode, 0, run.stderr.decode()[-2000:])
        lines = [json.loads(line) for line in run.stdout.decode().splitlines() if line.strip()]
        readings = [line for line in lines if line["event"] == "daskComm"]
        self.assertEqual([line["sizeBytes"] for line in readings], [1000, 1_000_000])
        for line in readings:
            self.assertGreaterEqual(line["rounds"], 2)
            self.assertGreater(line["medianNs"], 0)
            self.assertLessEqual(line["bestNs"], line["medianNs"])
        self.assertEqual(lines[-1]["event"], "done")
        self.assertGreater(lines[-1]["roundTripNs"], 0)
        self.assertEqual(wait_until_gone(tag), [], "the echo child ends with the driver")

    def test_a_driver_killed_outright_takes_the_echo_child_with_it(self):
        tag = uuid.uuid4().hex
        body = {"protocol": 1, "sizes": [64_000_000], "rounds": 1000, "timeoutSeconds": 60}
        process = subprocess.Popen([DASK_PYTHON, str(DRIVER), "dask-comm"], stdin=subprocess.PIPE,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   env=dict(os.environ, PAYLOADLAB_TEST_TAG=tag))
        process.stdin.write(json.dumps(body).encode())
        process.stdin.close()
        deadline = time.monotonic() + RUN_TIMEOUT
        while len(tagged_processes(tag)) < 2 and time.monotonic() < deadline:  # the driver and its echo child
            time.sleep(0.1)
        self.assertEqual(len(tagged_processes(tag)), 2, "the echo child started")
        process.kill()
        process.wait()
        self.assertEqual(wait_until_gone(tag), [], "PR_SET_PDEATHSIG ends the echo child")


if __name__ == "__main__":
    unittest.main()
