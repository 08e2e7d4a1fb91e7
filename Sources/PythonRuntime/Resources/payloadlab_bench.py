"""payloadlab's yardsticks for its CPython driver: how much the driver's own machinery costs per task, and whether
the pickle rates it reports agree with `python3 -m timeit` on the same object.

Imported by payloadlab_driver.py for its `bench` command (standard library only). The request on stdin:

    {"protocol": 1, "rounds": 5, "workers": 2, "startMethod": null, "overheadSizeBytes": 1024,
     "pools": ["process", "thread"], "pickleShapes": ["blob", "records"], "pickleSizes": [1048576],
     "seed": 1, "scratchDirectory": "/tmp", "taskTimeoutSeconds": 60}

Lines on stdout, one JSON object each:
- {"event":"overhead","pool":P,"round":i,"driverP50Ns":..,"driverWallNsPerTask":..,"byHandP50Ns":..,
   "byHandWallNsPerTask":..,"emptyP50Ns":..,"emptyWallNsPerTask":..}: one round of the same 1 KB point run by the
   driver (`run`), by a hand-written submit loop doing the same verify / pickle / write, and by a loop of an empty
   function; the order of the driver and the hand-written loop alternates between rounds so drift cancels.
- {"event":"pickle","shape":S,"sizeBytes":N,"pickleBytes":..,"dumpsBytesPerSecond":..,"loadsBytesPerSecond":..,
   "timeitDumpsBytesPerSecond":..,"timeitLoadsBytesPerSecond":..,"dumpsRatio":..,"loadsRatio":..,
   "timeitDumps":"<timeit's last line>",...}: the rates a sweep reports (the driver's measure_pickle_rates),
   beside `python3 -m timeit` run as a separate process on the same object (same generator, shape, size and
   seed), in alternating rounds; figures are medians over rounds, ratios the median of each round's ratio.
- {"event":"done"}.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

_TIMEIT_LINE = re.compile(r"(\d+) loops?, best of (\d+): ([0-9.]+) (nsec|usec|msec|sec) per loop")
_UNIT_NS = {"nsec": 1.0, "usec": 1e3, "msec": 1e6, "sec": 1e9}


class _Collect:
    """An Output that keeps the lines a command emitted instead of printing them."""

    def __init__(self):
        self.lines: list = []

    def emit(self, line: dict):
        self.lines.append(line)

    def error(self, kind: str, message: str, field=None):
        self.lines.append({"event": "error", "kind": kind, "message": message})


def parse_bench_request(driver, text) -> dict:
    """The bench request, checked field by field; a bad one is the driver's BadRequest naming the field."""
    raw = driver.parse_command_request(text, {
        "protocol", "rounds", "workers", "startMethod", "overheadSizeBytes", "pools", "pickleShapes", "pickleSizes",
        "seed", "scratchDirectory", "taskTimeoutSeconds"})

    def positive(name, default, high):
        value = raw.get(name, default)
        if not driver._is_int(value) or not 1 <= value <= high:
            raise driver.BadRequest(name, f"'{name}' must be a whole number from 1 to {high}.")
        return value

    request = {
        "rounds": positive("rounds", 5, 100), "workers": positive("workers", 2, 256),
        "overheadSizeBytes": positive("overheadSizeBytes", 1024, 1 << 30),
        "seed": raw.get("seed", 1), "startMethod": raw.get("startMethod"),
        "taskTimeoutSeconds": raw.get("taskTimeoutSeconds", 60),
        "scratchDirectory": driver._parse_scratch(raw.get("scratchDirectory")),
    }
    pools = raw.get("pools", ["process", "thread"])
    if not isinstance(pools, list) or not all(pool in ("process", "thread") for pool in pools):
        raise driver.BadRequest("pools", "'pools' must list process and/or thread.")
    shapes = raw.get("pickleShapes", ["blob", "records"])
    if not isinstance(shapes, list) or not all(shape in driver.SHAPES for shape in shapes):
        raise driver.BadRequest("pickleShapes", f"'pickleShapes' must list shapes of {', '.join(driver.SHAPES)}.")
    sizes = raw.get("pickleSizes", [1 << 20])
    if not isinstance(sizes, list) or not all(driver._is_int(size) and size >= 1 for size in sizes):
        raise driver.BadRequest("pickleSizes", "'pickleSizes' must list positive whole numbers of bytes.")
    request.update(pools=pools, pickleShapes=shapes, pickleSizes=sizes)
    return request


def _point_request(driver, bench: dict, pool: str):
    """The 1 KB point both the driver and the hand-written loops run: blob, no work, a fixed task count."""
    return driver.parse_request(json.dumps({
        "protocol": driver.PROTOCOL, "shape": "blob", "sizeBytes": bench["overheadSizeBytes"],
        "seed": bench["seed"], "pool": pool, "workers": bench["workers"], "work": "none",
        "startMethod": bench["startMethod"] if pool == "process" else None, "warmupTasksPerWorker": 20,
        "tasks": 400, "minTasks": 400, "maxTasks": 400, "minBatches": 4, "budgetSeconds": 1.0, "sync": False,
        "scratchDirectory": bench["scratchDirectory"], "async": False,
        "taskTimeoutSeconds": bench["taskTimeoutSeconds"],
    }))


def _run_collected(driver, command, request, session) -> list:
    out = _Collect()
    command(request, session, out)
    errors = [line for line in out.lines if line.get("event") == "error"]
    if errors:
        raise driver.DriverError(errors[0]["kind"], errors[0]["message"])
    return out.lines


def overhead_round(driver, bench: dict, pool: str, index: int, session) -> dict:
    """One round: the driver's point and the bare loops, in an order that alternates with the round."""
    request = _point_request(driver, bench, pool)
    results = {}
    order = ("driver", "bare") if index % 2 == 0 else ("bare", "driver")
    for which in order:
        if which == "driver":
            lines = _run_collected(driver, driver.run_point, request, session)
            latencies = [line["latencyNs"] for line in lines if line.get("event") == "sample" and not line["warmup"]]
            done = lines[-1]
            results["driver"] = (driver._median(latencies), done["wallNs"] // max(1, done["tasks"]))
        else:
            for line in _run_collected(driver, driver.run_baseline, request, session):
                if line.get("event") == "baseline":
                    results[line["task"]] = (driver._median(line["latencyNs"]),
                                             line["wallNs"] // max(1, line["tasks"]))
    return {
        "event": "overhead", "pool": pool, "round": index, "tasks": request.tasks,
        "driverP50Ns": results["driver"][0], "driverWallNsPerTask": results["driver"][1],
        "byHandP50Ns": results["pipeline"][0], "byHandWallNsPerTask": results["pipeline"][1],
        "emptyP50Ns": results["noop"][0], "emptyWallNsPerTask": results["noop"][1],
    }


def timeit_ns(statement: str, shape: str, size_bytes: int, seed: int, timeout: float):
    """`python3 -m timeit` as a user types it, in a process of its own: (best ns per loop, timeit's line)."""
    directory = os.path.dirname(os.path.abspath(__file__))
    setup = ("import sys; sys.path.insert(0, {!r}); import pickle, payloadlab_driver as d; "
             "obj, _ = d.generate_sized({!r}, {}, {}); data = pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)"
             ).format(directory, shape, size_bytes, seed)
    completed = subprocess.run([sys.executable, "-m", "timeit", "-s", setup, statement],
                               capture_output=True, text=True, timeout=timeout)
    match = _TIMEIT_LINE.search(completed.stdout)
    if completed.returncode != 0 or match is None:
        raise RuntimeError(f"python3 -m timeit failed: {completed.stderr.strip() or completed.stdout.strip()}")
    return float(match.group(3)) * _UNIT_NS[match.group(4)], match.group(0)


def pickle_pair(driver, shape: str, size_bytes: int, seed: int, rounds: int, timeout: float) -> dict:
    """Rounds of payloadlab's rates and timeit's, alternating, so a machine whose speed drifts between minutes
    (a shared host) moves both alike; each figure is the median over the rounds, each ratio the median ratio."""
    obj, pickled = driver.generate_sized(shape, size_bytes, seed)
    ours: list = []
    theirs: list = []
    lines = ("", "")
    for index in range(rounds):
        steps = ("ours", "timeit") if index % 2 == 0 else ("timeit", "ours")
        for step in steps:
            if step == "ours":
                ours.append(driver.measure_pickle_rates(obj, pickled))
            else:
                dumps_ns, dumps_line = timeit_ns("pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)", shape, size_bytes,
                                                 seed, timeout)
                loads_ns, loads_line = timeit_ns("pickle.loads(data)", shape, size_bytes, seed, timeout)
                theirs.append((int(pickled * 1e9 / max(dumps_ns, 1.0)), int(pickled * 1e9 / max(loads_ns, 1.0))))
                lines = (dumps_line, loads_line)
    del obj

    def median(values):
        ordered = sorted(values)
        middle = len(ordered) // 2
        return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2

    return {
        "event": "pickle", "shape": shape, "sizeBytes": size_bytes, "pickleBytes": pickled, "rounds": rounds,
        "dumpsBytesPerSecond": int(median([o[0] for o in ours])),
        "loadsBytesPerSecond": int(median([o[1] for o in ours])),
        "timeitDumpsBytesPerSecond": int(median([t[0] for t in theirs])),
        "timeitLoadsBytesPerSecond": int(median([t[1] for t in theirs])),
        "dumpsRatio": median([o[0] / t[0] for o, t in zip(ours, theirs)]),
        "loadsRatio": median([o[1] / t[1] for o, t in zip(ours, theirs)]),
        "timeitDumps": lines[0], "timeitLoads": lines[1],
    }


def run_bench(driver, text, session, out):
    bench = parse_bench_request(driver, text)
    for index in range(bench["rounds"]):
        for pool in bench["pools"]:
            out.emit(overhead_round(driver, bench, pool, index, session))
    for shape in bench["pickleShapes"]:
        for size in bench["pickleSizes"]:
            out.emit(pickle_pair(driver, shape, size, bench["seed"], bench["rounds"],
                                 max(60.0, bench["taskTimeoutSeconds"])))
    out.emit({"event": "done"})
