"""Tests of payloadlab_bench.py, the driver's `bench` command: the yardsticks for the driver's overhead and its
pickle rates. Figures are checked for being measured and consistent, never for their size."""
from __future__ import annotations

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_payloadlab_driver import KB, DriverRun, ScratchTestCase, driver  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(driver.__file__)))
import payloadlab_bench  # noqa: E402


def bench_request(scratch: str, **fields) -> dict:
    request = {"protocol": 1, "rounds": 1, "workers": 2, "pools": ["thread"], "pickleShapes": ["blob"],
               "pickleSizes": [KB], "scratchDirectory": scratch, "taskTimeoutSeconds": 30}
    request.update(fields)
    return request


class BenchRequestTests(ScratchTestCase):
    def parse(self, **fields):
        return payloadlab_bench.parse_bench_request(driver, json.dumps(bench_request(self.scratch, **fields)))

    def test_defaults_fill_what_is_left_out(self):
        parsed = payloadlab_bench.parse_bench_request(
            driver, json.dumps({"protocol": 1, "scratchDirectory": self.scratch}))
        self.assertEqual(parsed["rounds"], 5)
        self.assertEqual(parsed["pools"], ["process", "thread"])
        self.assertEqual(parsed["overheadSizeBytes"], 1024)

    def test_bad_fields_are_named(self):
        cases = {"rounds": 0, "pools": ["dask"], "pickleShapes": ["cube"], "pickleSizes": [0], "workers": "two"}
        for name, value in cases.items():
            with self.subTest(field=name):
                with self.assertRaises(driver.BadRequest) as caught:
                    self.parse(**{name: value})
                self.assertEqual(caught.exception.field, name)
        with self.assertRaises(driver.BadRequest) as caught:
            self.parse(extra=1)
        self.assertEqual(caught.exception.field, "extra")
        with self.assertRaises(driver.BadRequest):
            payloadlab_bench.parse_bench_request(driver, "not json")

    def test_timeit_lines_are_read_in_every_unit(self):
        for line, expected in (("200 loops, best of 5: 1.5 msec per loop", 1.5e6),
                               ("1 loop, best of 5: 2 sec per loop", 2e9),
                               ("5000000 loops, best of 5: 45.1 nsec per loop", 45.1)):
            match = payloadlab_bench._TIMEIT_LINE.search(line)
            self.assertIsNotNone(match, line)
            self.assertAlmostEqual(float(match.group(3)) * payloadlab_bench._UNIT_NS[match.group(4)], expected)


class BenchRunTests(ScratchTestCase):
    def test_a_small_bench_reports_both_comparisons_and_leaves_nothing(self):
        run = DriverRun("bench", bench_request(self.scratch, pools=["process", "thread"]))
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        self.assertEqual([line["event"] for line in run.lines], ["overhead", "overhead", "pickle", "done"])
        for line in run.events("overhead"):
            for key in ("driverP50Ns", "byHandP50Ns", "emptyP50Ns", "driverWallNsPerTask", "byHandWallNsPerTask"):
                self.assertGreater(line[key], 0, key)
        pair = run.events("pickle")[0]
        self.assertEqual((pair["shape"], pair["sizeBytes"]), ("blob", KB))
        for key in ("dumpsBytesPerSecond", "loadsBytesPerSecond", "timeitDumpsBytesPerSecond",
                    "timeitLoadsBytesPerSecond", "dumpsRatio", "loadsRatio"):
            self.assertGreater(pair[key], 0, key)
        self.assertAlmostEqual(pair["dumpsRatio"], pair["dumpsBytesPerSecond"] / pair["timeitDumpsBytesPerSecond"],
                               places=2)
        self.assertIn("per loop", pair["timeitDumps"])
        self.assertEqual(os.listdir(self.scratch), [])

    def test_a_bad_request_is_one_error_line(self):
        run = DriverRun("bench", bench_request(self.scratch, rounds=-1))
        self.assertEqual(run.code, 2)
        self.assertEqual(run.lines[-1]["event"], "error")
        self.assertEqual(run.lines[-1]["field"], "rounds")


class PickleRateTests(unittest.TestCase):
    def test_rates_are_the_best_of_at_least_three_calls(self):
        obj, pickled = driver.generate_sized("records", 8 * KB, 1)
        dumps, loads = driver.measure_pickle_rates(obj, pickled, budget_ns=1, most=3)
        self.assertGreater(dumps, 0)
        self.assertGreater(loads, 0)

    def test_calls_stop_at_the_budget_after_three_or_at_patience_after_one(self):
        enough = driver.pickle_calls_enough
        ms = 1_000_000
        self.assertFalse(enough(2, 900 * ms, 200 * ms, 1_000 * ms, 200))  # fast calls: at least three
        self.assertTrue(enough(3, 200 * ms, 200 * ms, 1_000 * ms, 200))
        self.assertFalse(enough(3, 150 * ms, 200 * ms, 1_000 * ms, 200))  # and until the budget
        self.assertTrue(enough(1, 2_900 * ms, 200 * ms, 1_000 * ms, 200))  # one slow call is enough
        self.assertFalse(enough(0, 0, 200 * ms, 1_000 * ms, 200))  # never none
        self.assertTrue(enough(200, 0, 200 * ms, 1_000 * ms, 200))


if __name__ == "__main__":
    unittest.main()
