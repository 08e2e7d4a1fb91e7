"""Tests of payloadlab's CPython driver (Sources/PythonRuntime/Resources/payloadlab_driver.py).

Run from the repository root:  python3 -m unittest discover -s Tests/PythonDriverTests -v

Unit tests import the driver by path; end-to-end tests run it as payloadlab's Swift side does (a subprocess with
the request on stdin, JSON lines on stdout). No test judges how fast anything ran: the only times involved are
generous timeouts that turn a hang into a failure.
"""
from __future__ import annotations

import importlib.util
import json
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

DRIVER = Path(__file__).resolve().parents[2] / "Sources" / "PythonRuntime" / "Resources" / "payloadlab_driver.py"
PROCESS_STAGES = ["serialize", "transfer", "deserialize", "verify", "work", "reserialize", "write"]
THREAD_STAGES = ["verify", "work", "reserialize", "write"]
KB = 1024
MB = 1024 * 1024
RUN_TIMEOUT = 60  # seconds before a run that should end by itself counts as hung


def load_driver():
    spec = importlib.util.spec_from_file_location("payloadlab_driver", DRIVER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # so pickle can name its functions, as it does for the running script
    spec.loader.exec_module(module)
    return module


driver = load_driver()


def numpy_importable() -> bool:
    return subprocess.run([sys.executable, "-c", "import numpy"], capture_output=True).returncode == 0


def make_request(scratch: str, **fields) -> dict:
    request = {
        "protocol": 1, "shape": "records", "sizeBytes": 16 * KB, "seed": 7, "pool": "process", "workers": 2,
        "work": "none", "startMethod": None, "warmupTasksPerWorker": 1, "tasks": 6, "minTasks": 2, "maxTasks": 50,
        "minBatches": 2, "budgetSeconds": 0.2, "sync": False, "scratchDirectory": scratch, "async": False,
        "taskTimeoutSeconds": 30.0,
    }
    request.update(fields)
    return request


class DriverRun:
    """One finished driver process: exit status, parsed stdout lines, stderr text and pid."""

    def __init__(self, command: str, request, stdin_text: str | None = None):
        text = stdin_text if stdin_text is not None else json.dumps(request)
        process = subprocess.Popen([sys.executable, str(DRIVER), command], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.pid = process.pid
        try:
            out, err = process.communicate(text.encode(), timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise AssertionError(f"the driver did not finish within {RUN_TIMEOUT} s")
        self.code = process.returncode
        self.stdout = out.decode()
        self.stderr = err.decode()
        self.lines = [json.loads(line) for line in self.stdout.splitlines()]

    def events(self, name: str) -> list:
        return [line for line in self.lines if line["event"] == name]


def shm_leftovers(pid: int) -> list:
    return sorted(name for name in os.listdir("/dev/shm") if name.startswith(f"plab{pid}_"))


class ScratchTestCase(unittest.TestCase):
    def setUp(self):
        self._scratch = tempfile.TemporaryDirectory(prefix="plab-test-")
        self.scratch = self._scratch.name

    def tearDown(self):
        self._scratch.cleanup()

    def run_driver(self, command="run", stdin_text=None, **fields) -> DriverRun:
        return DriverRun(command, make_request(self.scratch, **fields), stdin_text)

    def assertNothingLeft(self, run: DriverRun):
        self.assertEqual(os.listdir(self.scratch), [], "scratch files were left behind")
        self.assertEqual(shm_leftovers(run.pid), [], "shared-memory segments were left behind")

    def assertFailedWith(self, run: DriverRun, kind: str, code: int):
        self.assertEqual(run.code, code, run.stdout + run.stderr)
        self.assertEqual(run.lines[-1]["event"], "error")
        self.assertEqual(run.lines[-1]["kind"], kind, run.lines[-1])
        self.assertTrue(run.lines[-1]["message"])


# ---------------------------------------------------------------------------------------------------------------
# Payloads and checksum


class GenerateTests(unittest.TestCase):
    def test_same_seed_gives_identical_pickles_and_size_within_five_percent(self):
        for shape in driver.SHAPES:
            for size in (KB, 64 * KB, MB):
                with self.subTest(shape=shape, size=size):
                    first = pickle.dumps(driver.generate(shape, size, 3), pickle.HIGHEST_PROTOCOL)
                    second = pickle.dumps(driver.generate(shape, size, 3), pickle.HIGHEST_PROTOCOL)
                    self.assertEqual(first, second)
                    self.assertLessEqual(abs(len(first) - size), 0.05 * size, len(first))

    def test_another_seed_gives_other_content(self):
        for shape in driver.SHAPES:
            with self.subTest(shape=shape):
                self.assertNotEqual(driver.checksum(driver.generate(shape, 4 * KB, 1)),
                                    driver.checksum(driver.generate(shape, 4 * KB, 2)))

    def test_generate_sized_reports_the_exact_pickle_length(self):
        for shape in driver.SHAPES:
            with self.subTest(shape=shape):
                obj, size = driver.generate_sized(shape, 20 * KB, 5)
                self.assertEqual(size, len(pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)))

    def test_shapes_are_the_python_objects_a_program_holds(self):
        import array
        self.assertIsInstance(driver.generate("blob", KB, 1), bytes)
        text = driver.generate("text", 64 * KB, 1)
        self.assertIsInstance(text, str)
        self.assertTrue(any(ord(c) > 127 for c in text), "text has no non-ASCII words")
        numeric = driver.generate("numeric", KB, 1)
        self.assertIsInstance(numeric, array.array)
        self.assertEqual(numeric.typecode, "d")
        records = driver.generate("records", 4 * KB, 1)
        self.assertEqual(set(records[0]), {"id", "user", "score", "count", "tags", "active"})
        tree = driver.generate("tree", 64 * KB, 1)
        self.assertIsInstance(tree, list)

    def test_tree_depth_is_limited(self):
        def depth(node) -> int:
            if isinstance(node, list):
                return 1 + max((depth(child) for child in node), default=0)
            if isinstance(node, dict):
                return 1 + max((depth(child) for child in node.values()), default=0)
            return 0

        self.assertLessEqual(depth(driver.generate("tree", MB, 9)), 8)

    @unittest.skipUnless(driver.numpy_available(), "numpy is not importable")
    def test_numpy_numeric_is_a_float64_array_of_the_size(self):
        array = driver.generate("numeric", 64 * KB, 1, numeric_kind="numpy")
        self.assertEqual(str(array.dtype), "float64")
        self.assertLessEqual(abs(len(pickle.dumps(array, 5)) - 64 * KB), 0.05 * 64 * KB)


class ChecksumTests(unittest.TestCase):
    def test_a_changed_object_changes_the_checksum(self):
        for shape in driver.SHAPES:
            with self.subTest(shape=shape):
                obj = driver.generate(shape, 8 * KB, 1)
                self.assertNotEqual(driver.checksum(obj), driver.checksum(driver._corrupt(obj)))

    def test_one_changed_field_or_byte_is_detected(self):
        records = driver.generate("records", 8 * KB, 1)
        changed = [dict(record) for record in records]
        changed[-1]["count"] += 1
        self.assertNotEqual(driver.checksum(records), driver.checksum(changed))
        blob = driver.generate("blob", 8 * KB, 1)
        self.assertNotEqual(driver.checksum(blob), driver.checksum(blob[:-1] + bytes([blob[-1] ^ 1])))

    def test_what_arrives_through_pickle_has_the_senders_checksum(self):
        for shape in driver.SHAPES:
            with self.subTest(shape=shape):
                obj = driver.generate(shape, 8 * KB, 1)
                self.assertEqual(driver.checksum(obj), driver.checksum(pickle.loads(pickle.dumps(obj, 4))))

    def test_a_buffer_read_in_place_has_the_objects_checksum(self):
        for shape in ("blob", "numeric"):
            with self.subTest(shape=shape):
                obj = driver.generate(shape, 8 * KB, 1)
                view = memoryview(bytearray(memoryview(obj).cast("B"))).toreadonly()
                self.assertEqual(driver.checksum(obj), driver.checksum(view))

    def test_shared_memory_pickling_hands_the_worker_a_view_with_the_same_checksum(self):
        for shape, expected_format in (("blob", "B"), ("numeric", "d"), ("records", None)):
            with self.subTest(shape=shape):
                obj = driver.generate(shape, 8 * KB, 1)
                buffers = []
                inband = pickle.dumps(driver._out_of_band(obj), 5, buffer_callback=buffers.append)
                segment = [bytearray(buffer.raw()) for buffer in buffers]  # what the segment holds
                received = pickle.loads(inband, buffers=[memoryview(part) for part in segment])
                self.assertEqual(driver.checksum(received), driver.checksum(obj))
                if expected_format is None:
                    self.assertEqual(buffers, [])
                else:
                    self.assertIsInstance(received, memoryview)
                    self.assertEqual(received.format, expected_format)
                    self.assertTrue(received.readonly)
                    self.assertLess(len(inband), 200)  # the bytes travel out of band
                    self.assertEqual(pickle.loads(driver._reserialize(received)), bytes(memoryview(obj).cast("B")))

    def test_sharing_does_not_change_the_checksum(self):
        shared = "same-string-object"
        self.assertEqual(driver.checksum([{"a": shared}, {"a": shared}]),
                         driver.checksum([{"a": "same-string-" + "object"}, {"a": "same-string-" + "object"}]))


# ---------------------------------------------------------------------------------------------------------------
# Request validation and batching rules (no process started)


class BatchingRuleTests(unittest.TestCase):
    def request(self, **fields):
        return driver.parse_request(json.dumps(make_request(tempfile.gettempdir(), **fields)))

    def test_fixed_task_count_runs_exactly_that_many(self):
        request = self.request(tasks=7, minBatches=2, workers=2)
        per_batch = driver.per_batch_tasks(request, 1e-3)
        done = batches = 0
        while True:
            target = driver.next_batch_size(request, per_batch, done, batches, 0)
            if target == 0:
                break
            self.assertLessEqual(target, per_batch)
            done += target
            batches += 1
        self.assertEqual(done, 7)

    def test_budget_mode_stops_at_max_tasks(self):
        request = self.request(tasks=None, maxTasks=10, minTasks=2, budgetSeconds=100.0, minBatches=2, workers=2)
        self.assertEqual(driver.next_batch_size(request, 4, 10, 9, 0), 0)
        self.assertEqual(driver.next_batch_size(request, 4, 8, 2, 0), 2)

    def test_budget_mode_needs_batches_tasks_and_budget_before_stopping(self):
        request = self.request(tasks=None, maxTasks=1000, minTasks=6, budgetSeconds=1.0, minBatches=3, workers=2)
        self.assertGreater(driver.next_batch_size(request, 4, 8, 2, int(2e9)), 0)  # too few batches
        self.assertGreater(driver.next_batch_size(request, 4, 4, 3, int(2e9)), 0)  # too few tasks
        self.assertGreater(driver.next_batch_size(request, 4, 8, 3, int(0.5e9)), 0)  # budget not spent
        self.assertEqual(driver.next_batch_size(request, 4, 8, 3, int(1e9)), 0)

    def test_batch_size_is_whole_rounds_of_workers(self):
        request = self.request(tasks=None, maxTasks=200, budgetSeconds=1.0, minBatches=5, workers=3)
        self.assertEqual(driver.per_batch_tasks(request, 0.01), 39)  # min(20 * 3, 200 // 5 // 3 * 3)
        self.assertEqual(driver.per_batch_tasks(request, 10.0), 3)  # never fewer than one round

    def test_a_slow_point_needs_only_the_rules_batches(self):
        request = self.request(tasks=None, maxTasks=200, minTasks=8, budgetSeconds=1.0, minBatches=5, workers=2,
                               slowPointSeconds=20.0, slowPointBatches=3)
        self.assertEqual(driver.measuring_minimums(request, 3.9), (5, 8, False))  # 5 rounds of 3.9 s: 19.5 s
        minimums = driver.measuring_minimums(request, 4.1)  # 20.5 s: slow
        self.assertEqual(minimums, (3, 6, True))
        per_batch = driver.per_batch_tasks(request, 4.1)
        self.assertEqual(per_batch, 2)  # one round per batch
        done = batches = wall = 0
        while True:
            target = driver.next_batch_size(request, per_batch, done, batches, wall, minimums)
            if target == 0:
                break
            done += target
            batches += 1
            wall += int(4.1e9)
        self.assertEqual((done, batches), (6, 3))

    def test_the_slow_point_rule_leaves_fixed_counts_and_old_requests_alone(self):
        fixed = self.request(tasks=10, minBatches=5, workers=2, slowPointSeconds=1.0, slowPointBatches=3)
        self.assertEqual(driver.measuring_minimums(fixed, 60.0)[2], False)
        without = self.request(tasks=None, minBatches=5, workers=2)
        self.assertEqual(driver.measuring_minimums(without, 60.0), (5, without.min_tasks, False))

    def test_a_bad_slow_point_rule_is_a_bad_request(self):
        for fields in ({"slowPointSeconds": 0}, {"slowPointSeconds": "x"}, {"slowPointBatches": 0}):
            with self.assertRaises(driver.BadRequest) as caught:
                self.request(**fields)
            self.assertIn(next(iter(fields)), str(caught.exception))

    def test_stage_names_are_the_protocols(self):
        self.assertEqual(driver.STAGES, ("serialize", "transfer", "deserialize", "verify", "work", "reserialize",
                                         "write", "sync"))

    def test_lag_summary_uses_nearest_rank(self):
        summary = driver.lag_summary(list(range(1, 101)))
        self.assertEqual(summary, {"p50": 50, "p99": 99, "max": 100, "count": 100})
        self.assertEqual(driver.lag_summary([])["count"], 0)


class RequestValidationTests(ScratchTestCase):
    BAD_FIELDS = [
        ("protocol", "1"), ("shape", "cube"), ("sizeBytes", 0), ("sizeBytes", "1KB"), ("sizeBytes", True),
        ("seed", 1.5), ("pool", "gpu"), ("workers", 0), ("work", "cpu"), ("work", "cpu:fast"), ("work", "gil:1"),
        ("startMethod", "vfork"), ("warmupTasksPerWorker", -1), ("tasks", 0), ("minTasks", -1), ("maxTasks", 0),
        ("minBatches", 0), ("budgetSeconds", -1), ("budgetSeconds", "1"), ("sync", "yes"),
        ("scratchDirectory", "relative/dir"), ("scratchDirectory", "/no/such/payloadlab/dir"), ("async", 1),
        ("taskTimeoutSeconds", 0), ("numericKind", "list"), ("faultInjection", "explode"), ("colour", "blue"),
    ]

    def test_each_bad_field_is_named_in_an_error_line_with_exit_2(self):
        for field, value in self.BAD_FIELDS:
            with self.subTest(field=field, value=value):
                run = self.run_driver(**{field: value})
                self.assertFailedWith(run, "badRequest", 2)
                self.assertEqual(run.lines[-1]["field"], field)
                self.assertEqual(len(run.lines), 1)
                self.assertEqual(run.stderr, "")

    def test_a_missing_field_is_named(self):
        request = make_request(self.scratch)
        del request["workers"]
        run = DriverRun("run", None, json.dumps(request))
        self.assertFailedWith(run, "badRequest", 2)
        self.assertEqual(run.lines[-1]["field"], "workers")

    def test_max_tasks_below_min_tasks_is_rejected(self):
        run = self.run_driver(minTasks=10, maxTasks=5)
        self.assertFailedWith(run, "badRequest", 2)
        self.assertEqual(run.lines[-1]["field"], "maxTasks")

    def test_kill_worker_fault_needs_a_process_pool(self):
        with self.assertRaises(driver.BadRequest) as caught:
            driver.parse_request(json.dumps(make_request(self.scratch, pool="thread", faultInjection="killWorker")))
        self.assertEqual(caught.exception.field, "faultInjection")

    def test_unknown_protocol_number_is_a_protocol_error(self):
        run = self.run_driver(protocol=2)
        self.assertFailedWith(run, "protocol", 2)

    def test_text_that_is_not_json_is_a_bad_request(self):
        run = self.run_driver(stdin_text="{not json")
        self.assertFailedWith(run, "badRequest", 2)
        self.assertEqual(run.lines[-1]["field"], "request")

    def test_numpy_kind_without_numpy_is_a_bad_request(self):
        if numpy_importable():
            self.skipTest("numpy is importable here")
        run = self.run_driver(shape="numeric", numericKind="numpy")
        self.assertFailedWith(run, "badRequest", 2)
        self.assertEqual(run.lines[-1]["field"], "numericKind")

    def test_a_good_request_parses(self):
        request = driver.parse_request(json.dumps(make_request(self.scratch, tasks=None, work="cpu:2.5")))
        self.assertEqual((request.work_kind, request.work_rate, request.tasks), ("cpu", 2.5, None))


class ProbeTests(unittest.TestCase):
    def test_probe_describes_this_interpreter_on_one_line(self):
        result = subprocess.run([sys.executable, str(DRIVER), "probe"], capture_output=True, timeout=RUN_TIMEOUT)
        self.assertEqual(result.returncode, 0)
        self.assertEqual(result.stderr, b"")
        lines = result.stdout.decode().splitlines()
        self.assertEqual(len(lines), 1)
        probe = json.loads(lines[0])
        self.assertEqual(probe["event"], "probe")
        self.assertEqual(probe["protocol"], 1)
        self.assertEqual(probe["python"], "%d.%d.%d" % sys.version_info[:3])
        self.assertEqual(probe["implementation"], "CPython")
        self.assertEqual(probe["executable"], sys.executable)
        self.assertIn(probe["defaultStartMethod"], probe["startMethods"])
        self.assertIsInstance(probe["numpy"], bool)
        self.assertEqual(probe["pickleProtocol"], pickle.HIGHEST_PROTOCOL)


# ---------------------------------------------------------------------------------------------------------------
# End to end


class RunTests(ScratchTestCase):
    def check_run(self, run: DriverRun, request: dict, stages: list):
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        self.assertEqual(run.stderr, "")
        self.assertNothingLeft(run)
        events = [line["event"] for line in run.lines]
        self.assertEqual(events[0], "ready")
        self.assertEqual(events[-1], "done")
        ready, done = run.lines[0], run.lines[-1]
        workers = request["workers"]
        warmups = workers * request["warmupTasksPerWorker"]

        # ready, warm-up samples, then (samples, batch)+, done
        self.assertEqual(events[1:1 + warmups], ["sample"] * warmups)
        self.assertTrue(all(line["warmup"] for line in run.lines[1:1 + warmups]))
        body = run.lines[1 + warmups:-1]
        self.assertEqual(body[-1]["event"], "batch")
        measured, pending = [], 0
        for line in body:
            if line["event"] == "sample":
                self.assertFalse(line["warmup"])
                measured.append(line)
                pending += 1
            else:
                self.assertEqual(line["event"], "batch")
                self.assertEqual(line["tasks"], pending)
                self.assertGreaterEqual(line["wallNs"], 0)
                pending = 0
        self.assertEqual(len(measured), request["tasks"])
        self.assertEqual(done["tasks"], request["tasks"])
        self.assertEqual(done["wallNs"], sum(line["wallNs"] for line in run.events("batch")))
        samples = run.events("sample")
        self.assertEqual(sorted(line["task"] for line in samples), list(range(len(samples))))

        self.assertEqual(ready["pool"], request["pool"])
        self.assertEqual(ready["workers"], workers)
        self.assertLessEqual(abs(ready["pickleBytes"] - request["sizeBytes"]), 0.05 * request["sizeBytes"])
        if request["pool"] == "thread":
            self.assertIsNone(ready["startMethod"])
            self.assertEqual(ready["workerPids"], [])
        else:
            self.assertIn(ready["startMethod"], ("fork", "spawn", "forkserver"))
            self.assertEqual(len(ready["workerPids"]), workers)
            self.assertEqual(len(ready["workerBaselineBytes"]), workers)
            self.assertEqual(len(done["workerPeakBytes"]), workers)
        for key in ("objectBytes", "generateNs", "checksumNs", "poolStartNs"):
            self.assertGreater(ready[key], 0, key)

        for sample in samples:
            with self.subTest(task=sample["task"]):
                self.assertEqual(list(sample["ns"]), stages)
                self.assertEqual(list(sample["cpuNs"]), stages)
                self.assertTrue(all(value >= 0 for value in sample["ns"].values()), sample["ns"])
                self.assertTrue(all(value >= 0 for value in sample["cpuNs"].values()), sample["cpuNs"])
                self.assertLessEqual(sum(sample["ns"].values()), sample["latencyNs"] + 50_000)
                self.assertEqual(sample["endNs"] - sample["startNs"], sample["latencyNs"])
                self.assertGreaterEqual(sample["startNs"], 0)
                self.assertIn(sample["worker"], range(workers))
                self.assertGreater(sample["encodedBytes"], 0)
                if request["pool"] == "thread":
                    self.assertIsNone(sample["workerPeakBytes"])
                else:
                    self.assertGreater(sample["workerPeakBytes"], 0)
        check = done["stageSumCheck"]
        self.assertLessEqual(check["medianStageSumNs"], check["medianLatencyNs"] + 50_000)
        self.assertGreater(done["parentPeakBytes"], 0)
        self.assertGreater(done["pickleDumpsBytesPerSecond"], 0)
        self.assertGreater(done["pickleLoadsBytesPerSecond"], 0)
        return ready, done

    def test_process_pool_pipeline(self):
        request = make_request(self.scratch, pool="process", shape="records", sizeBytes=64 * KB)
        ready, done = self.check_run(DriverRun("run", request), request, PROCESS_STAGES)
        self.assertIsNone(done["loopLagNs"])
        self.assertFalse(ready["numpy"])

    def test_shared_memory_pipeline_for_every_shape(self):
        for shape in driver.SHAPES:
            with self.subTest(shape=shape):
                request = make_request(self.scratch, pool="process:shm", shape=shape, sizeBytes=16 * KB)
                self.check_run(DriverRun("run", request), request, PROCESS_STAGES)

    def test_thread_pool_pipeline_with_sync(self):
        request = make_request(self.scratch, pool="thread", shape="text", sizeBytes=KB, sync=True)
        self.check_run(DriverRun("run", request), request, THREAD_STAGES + ["sync"])

    def test_spawned_workers_with_work(self):
        request = make_request(self.scratch, pool="process:shm", shape="blob", sizeBytes=8 * KB,
                               startMethod="spawn", work="native:1", workers=1)
        ready, _ = self.check_run(DriverRun("run", request), request, PROCESS_STAGES)
        self.assertEqual(ready["startMethod"], "spawn")

    def test_cpu_work_in_the_process_pool_with_fsync(self):
        request = make_request(self.scratch, pool="process", shape="tree", sizeBytes=4 * KB, work="cpu:10",
                               sync=True)
        self.check_run(DriverRun("run", request), request, PROCESS_STAGES + ["sync"])

    def test_budget_mode_respects_max_tasks(self):
        request = make_request(self.scratch, pool="thread", sizeBytes=KB, tasks=None, maxTasks=8, minTasks=2,
                               budgetSeconds=1000.0, minBatches=2)
        run = DriverRun("run", request)
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(run.lines[-1]["tasks"], 8)
        self.assertGreaterEqual(len(run.events("batch")), 2)

    def test_async_mode_reports_event_loop_lag(self):
        for pool in ("process", "thread"):
            with self.subTest(pool=pool):
                request = make_request(self.scratch, pool=pool, sizeBytes=4 * KB, **{"async": True})
                _, done = self.check_run(DriverRun("run", request), request,
                                         PROCESS_STAGES if pool == "process" else THREAD_STAGES)
                self.assertEqual(set(done["loopLagNs"]), {"p50", "p99", "max", "count"})
                run_batches = [line for line in DriverRun("run", request).events("batch")]
                self.assertTrue(all("loopLagNs" in line for line in run_batches))

    @unittest.skipUnless(numpy_importable(), "numpy is not importable by this interpreter")
    def test_numpy_payload_through_shared_memory(self):
        request = make_request(self.scratch, pool="process:shm", shape="numeric", numericKind="numpy",
                               sizeBytes=64 * KB)
        ready, _ = self.check_run(DriverRun("run", request), request, PROCESS_STAGES)
        self.assertTrue(ready["numpy"])


class BaselineTests(ScratchTestCase):
    def test_bare_loops_report_per_task_latency_for_an_empty_and_a_hand_written_task(self):
        for pool in ("process", "thread"):
            with self.subTest(pool=pool):
                run = self.run_driver("baseline", pool=pool, sizeBytes=KB, tasks=8)
                self.assertEqual(run.code, 0, run.stderr)
                self.assertEqual(run.stderr, "")
                self.assertEqual([line["event"] for line in run.lines], ["baseline", "baseline", "done"])
                self.assertEqual([line["task"] for line in run.lines[:2]], ["noop", "pipeline"])
                for baseline in run.lines[:2]:
                    self.assertEqual(baseline["pool"], pool)
                    self.assertEqual(baseline["tasks"], 8)
                    self.assertEqual(len(baseline["latencyNs"]), 8)
                    self.assertTrue(all(value > 0 for value in baseline["latencyNs"]))
                self.assertEqual(run.lines[2]["tasks"], 16)
                self.assertNothingLeft(run)

    def test_the_hand_written_task_does_the_whole_pipeline(self):
        obj, pickled = driver.generate_sized("records", 4 * KB, 2)
        written = driver._bare_pipeline(obj, driver.checksum(obj), "checksum", 0.0, pickled, self.scratch,
                                        "payloadlab_py_test_", False)
        self.assertEqual(written, len(pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)))
        self.assertEqual(os.listdir(self.scratch), [])
        with self.assertRaises(driver.VerifyFailed):
            driver._bare_pipeline(obj, "not the checksum", "none", 0.0, pickled, self.scratch, "p_", False)


# ---------------------------------------------------------------------------------------------------------------
# Failures: each must end in one error line, the right exit status, and nothing left behind


class FailureTests(ScratchTestCase):
    def test_a_changed_object_fails_verification(self):
        for pool in ("process", "process:shm", "thread"):
            with self.subTest(pool=pool):
                run = self.run_driver(pool=pool, faultInjection="corrupt")
                self.assertFailedWith(run, "verify", 3)
                self.assertEqual(run.stderr, "")
                self.assertNothingLeft(run)
                # the fault hits the first measured task: the warm-up went through
                self.assertEqual(len(run.events("sample")), 2)

    def test_a_worker_killed_with_sigkill_is_reported_and_cleaned_up(self):
        # The worker kills itself after writing its scratch file, with its segment attached.
        for pool in ("process", "process:shm"):
            with self.subTest(pool=pool):
                run = self.run_driver(pool=pool, shape="blob", sizeBytes=256 * KB, faultInjection="killWorker")
                self.assertFailedWith(run, "workerDied", 3)
                self.assertIn("SIGKILL", run.lines[-1]["message"])
                self.assertEqual(run.stderr, "")
                self.assertNothingLeft(run)

    def test_a_task_that_never_finishes_times_out(self):
        for pool in ("process:shm", "thread"):
            with self.subTest(pool=pool):
                run = self.run_driver(pool=pool, faultInjection="hang", taskTimeoutSeconds=0.5)
                self.assertFailedWith(run, "timeout", 3)
                self.assertEqual(run.stderr, "")
                self.assertNothingLeft(run)


class SignalTests(ScratchTestCase):
    def interrupt_mid_run(self, signum: int, **fields):
        # CPU work and a long budget: the run cannot end on its own before the signal arrives.
        request = make_request(self.scratch, tasks=None, maxTasks=1_000_000, budgetSeconds=600.0,
                               work="cpu:500", **fields)
        process = subprocess.Popen([sys.executable, str(DRIVER), "run"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            process.stdin.write(json.dumps(request).encode())
            process.stdin.close()
            lines = []
            for raw in process.stdout:  # synchronise on output, not on sleeps
                lines.append(json.loads(raw))
                if lines[-1]["event"] == "sample":
                    process.send_signal(signum)
                    break
            self.assertEqual(lines[-1]["event"], "sample", lines)
            lines += [json.loads(raw) for raw in process.stdout.read().splitlines()]
            code = process.wait(timeout=RUN_TIMEOUT)
            stderr = process.stderr.read().decode()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()
            process.stderr.close()
        self.assertEqual(lines[-1]["event"], "error")
        self.assertEqual(lines[-1]["kind"], "interrupted")
        self.assertEqual(stderr, "")
        self.assertEqual(os.listdir(self.scratch), [])
        self.assertEqual(shm_leftovers(process.pid), [])
        return code

    def test_sigint_mid_run_exits_130_and_leaves_nothing(self):
        for pool in ("process:shm", "thread"):
            with self.subTest(pool=pool):
                self.assertEqual(self.interrupt_mid_run(signal.SIGINT, pool=pool), 130)

    def test_sigterm_mid_run_in_async_mode_exits_143(self):
        self.assertEqual(self.interrupt_mid_run(signal.SIGTERM, pool="process", **{"async": True}), 143)


if __name__ == "__main__":
    unittest.main()
