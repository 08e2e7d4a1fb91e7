#!/usr/bin/env python3
"""payloadlab's CPython driver: the process-pool / thread-pool pipeline measured inside CPython itself.

Standard library only (numpy is used when it is importable and asked for); runs on CPython 3.9 and later.

    python3 payloadlab_driver.py probe      one JSON line describing this interpreter
    python3 payloadlab_driver.py run        one JSON request on stdin -> JSON lines on stdout
    python3 payloadlab_driver.py baseline   the same request -> bare submit loops, the yardstick for overhead
    python3 payloadlab_driver.py bench      a bench request -> the driver's overhead and pickle rates vs timeit
    python3 payloadlab_driver.py dask-comm  {"protocol","sizes","rounds","timeoutSeconds"} -> Dask's bare comm, a
                                            {"event":"daskComm","sizeBytes","rounds","medianNs","bestNs"} line per
                                            size (at least "rounds", more until 0.3 s), then
                                            {"event":"done","roundTripNs"} (needs distributed)

Every time is an integer of nanoseconds on time.monotonic_ns() (CLOCK_MONOTONIC, the clock payloadlab's Swift
parent uses), every CPU time is time.thread_time_ns() of the thread that ran the stage. Exit codes: 0 success,
1 a bug in this driver (traceback on stderr), 2 bad request, 3 a task failed (worker died, timed out, verify
failed, out of memory), 130 / 143 after SIGINT / SIGTERM.

Where the stamps come from (read CPython's concurrent/futures/process.py and multiprocessing/queues.py):
``ProcessPoolExecutor.submit`` only queues a work id; the executor's manager thread moves the call to the call
queue, whose feeder thread pickles it (``ForkingPickler.dumps``) and writes it to one pipe shared by all workers;
a worker reads the whole message and only then unpickles it. The object therefore travels between two markers,
``(_StartMarker(task), obj, _EndMarker(task), context)``: a marker's ``__reduce__`` stamps the parent's feeder
thread when pickling reaches it, and its reconstruction stamps the worker when unpickling reaches it.

Protocol 1 as implemented, where the request / line formats leave room:
- Unknown request fields are a badRequest naming the field. Two hidden fields exist for tests: "faultInjection"
  ("corrupt": the worker sees a changed object; "killWorker": it SIGKILLs itself after writing its scratch file;
  "hang": it never finishes) and "faultTask" (default: the first measured task).
- "slowPointSeconds" / "slowPointBatches" (optional; absent: no rule): when the warm-up's median latency times
  "minBatches" exceeds slowPointSeconds, the point needs only slowPointBatches batches (and at most that many
  rounds of tasks), as the Swift runner's SlowPointRule.
- The pool starts (poolStartNs) before the object is generated, so forked workers do not inherit a copy of it.
- Sample lines are written when their batch (or the warm-up) has finished, in task order, so writing them never
  competes with the batch being timed. Tasks are numbered from 0 across warm-up and batches.
- Closing and removing the scratch file belong to the last stage (write, or sync with "sync"), as in the Swift
  workers. transfer's cpuNs is the parent feeder thread's CPU while writing the message to the pipe.
- process: encodedBytes is the whole message the feeder wrote (the object's pickle plus ~200 bytes of call);
  process:shm: the bytes placed in the segment; thread: the bytes written to the scratch file.
- dask pools: "startMethod" is refused in the request (multiprocessing starts none of Dask's processes); the ready
  line says "exec" for a local cluster (fresh interpreters the driver starts) and null for a remote scheduler.
- thread pool: "startMethod" null, "workerPids" / "workerBaselineBytes" / done "workerPeakBytes" empty, each
  sample's "workerPeakBytes" null (threads have no memory of their own).
- "numpy" in the ready line says whether the payload is a numpy array; the probe says whether numpy imports.
- async: latency ends when the event loop runs the future's done callback (when awaiting code sees the result);
  each batch line also carries "loopLagNs".
- baseline: two {"event":"baseline","task":"noop"|"pipeline",...} lines (a bare loop of an empty function, then of
  the same verify / work / pickle / write written by hand), then {"event":"done","tasks":N,"wallNs":...}.
- Exit status 3 for every failed task (verify, timeout, workerDied, memory, or another exception in a task).
"""
from __future__ import annotations

import os
import signal
import sys

_EARLY_SIGNALS: list = []


def _note_early_signal(signum, frame):
    """Until main() takes over: remember SIGINT / SIGTERM (nothing exists yet that needs cleaning up)."""
    _EARLY_SIGNALS.append(signum)


if __name__ == "__main__" and sys.argv[1:2] in (["run"], ["baseline"], ["bench"]):
    signal.signal(signal.SIGINT, _note_early_signal)
    signal.signal(signal.SIGTERM, _note_early_signal)

import array  # noqa: E402 (the handlers above go first, so a signal during these imports is not a traceback)
import collections
import concurrent.futures
import functools
import gc
import hashlib
import itertools
import json
import math
import multiprocessing
import pickle
import platform
import queue
import random
import re
import threading
import time
import traceback
from concurrent.futures.process import BrokenProcessPool

PROTOCOL = 1
STAGES = ("serialize", "transfer", "deserialize", "verify", "work", "reserialize", "write", "sync")
SHAPES = ("blob", "text", "numeric", "records", "tree")
POOL_KINDS = ("process", "process:shm", "thread", "dask", "dask:scatter")
DASK_POOLS = ("dask", "dask:scatter")  # payloadlab_dask.py, imported only for these
FAULTS = ("corrupt", "killWorker", "hang")
PICKLE_PROTOCOL = pickle.HIGHEST_PROTOCOL
NAME_PREFIX = "plab"  # scratch files and shared-memory segments are named f"plab{parent pid}_{task}"

_now = time.monotonic_ns
_cpu = time.thread_time_ns

_SIGNAL_EXIT = {signal.SIGINT: 130, signal.SIGTERM: 143}
_WRITE_CHUNK = 1 << 30  # Linux writes at most 0x7ffff000 bytes per call


# --------------------------------------------------------------------------------------------------------------
# Errors


class DriverError(Exception):
    """A failure reported as one error line: `kind` names it, `exit_code` is the driver's exit status."""

    def __init__(self, kind: str, message: str, field: str | None = None, exit_code: int = 3):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.field = field
        self.exit_code = exit_code


class BadRequest(DriverError):
    def __init__(self, field: str, message: str, kind: str = "badRequest"):
        super().__init__(kind, message, field=field, exit_code=2)


class VerifyFailed(Exception):
    """Raised by a worker whose recomputed checksum differs from the parent's."""


class Interrupted(BaseException):
    """Raised in the main thread by the SIGINT / SIGTERM handler, so every wait unwinds at once."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class _Stopped(Exception):
    """Raised in a pool thread that notices the driver is tearing down."""


_STOPPING = threading.Event()


# --------------------------------------------------------------------------------------------------------------
# Payloads


_ASCII_WORDS = (
    "the of and to in is was that for on with as by at from this are be or an which it not have has had were but "
    "their one all can more other new time first after year between about system data request worker process "
    "thread memory buffer payload latency network server client error warning started finished queue batch record "
    "value result cache disk write read update delete insert select user session token account order price total "
    "count index table column row field key map list array string number float integer boolean null event stream "
    "message frame header body status code retry timeout deadline budget sample median spread peak copy page file"
).split()
_OTHER_WORDS = ("café", "naïve", "déjà", "straße", "größe", "über", "señor", "日本", "東京", "データ")
_TEXT_WORDS = tuple(_ASCII_WORDS) + _OTHER_WORDS
# About one word in twenty is non-ASCII, so the text is mostly one byte a character, as prose and logs are.
_TEXT_CUM_WEIGHTS = tuple(itertools.accumulate(
    [19.0 * len(_OTHER_WORDS)] * len(_ASCII_WORDS) + [1.0 * len(_ASCII_WORDS)] * len(_OTHER_WORDS)))
_TEXT_WORD_BYTES = {word: len(word.encode("utf-8")) + 1 for word in _TEXT_WORDS}  # with the separating space
_TEXT_MEAN_WORD_BYTES = sum(
    _TEXT_WORD_BYTES[word] * (high - low)
    for word, low, high in zip(_TEXT_WORDS, (0.0,) + _TEXT_CUM_WEIGHTS, _TEXT_CUM_WEIGHTS)) / _TEXT_CUM_WEIGHTS[-1]

_TAGS = ("red", "green", "blue", "alpha", "beta", "gamma", "prod", "dev", "eu", "us", "asia", "new", "old", "hot",
         "cold", "vip")
_TREE_KEYS = ("name", "value", "items", "meta", "id", "type", "children", "data", "attrs", "count", "label",
              "score", "tags", "ref", "kind", "size", "owner", "created", "state", "weight", "unit", "source",
              "target", "note")
_TREE_MAX_DEPTH = 8  # containers on the deepest path, the root list included


class _ByteCounter:
    """A file object that only counts what a pickler writes to it."""

    __slots__ = ("count",)

    def __init__(self):
        self.count = 0

    def write(self, data):
        self.count += memoryview(data).nbytes


def pickled_size(obj) -> int:
    """len(pickle.dumps(obj, HIGHEST_PROTOCOL)) without holding the pickle in memory."""
    counter = _ByteCounter()
    pickle.Pickler(counter, PICKLE_PROTOCOL).dump(obj)
    return counter.count


def _seed_int(shape: str, seed: int) -> int:
    """A 64-bit seed that mixes the shape in, so shapes generated with one seed do not share a random stream."""
    return int.from_bytes(hashlib.sha256(f"payloadlab:{shape}:{seed}".encode()).digest()[:8], "little")


def _numpy():
    import numpy  # noqa: imported only when a numpy payload is asked for (workers never pay its import)
    return numpy


def numpy_available() -> bool:
    try:
        _numpy()
    except Exception:
        return False
    return True


def generate(shape: str, size_bytes: int, seed: int, numeric_kind: str = "array"):
    """A seeded Python object of `shape` whose pickle (HIGHEST_PROTOCOL) is within a few % of `size_bytes`.

    blob: bytes; text: a str of words (some non-ASCII); numeric: array.array('d') (a float64 numpy array with
    numeric_kind="numpy"); records: a list of flat dicts; tree: a list of nested dicts and lists. The same
    arguments give the same object and the same pickle bytes.
    """
    return generate_sized(shape, size_bytes, seed, numeric_kind)[0]


def generate_sized(shape: str, size_bytes: int, seed: int, numeric_kind: str = "array"):
    """generate(), and the exact pickled size of what it made (counted once, while checking the size)."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}")
    size_bytes = max(0, int(size_bytes))
    rng = random.Random(_seed_int(shape, seed))
    if shape == "blob":
        obj = rng.randbytes(max(0, size_bytes - _bytes_overhead(size_bytes)))
    elif shape == "text":
        obj = _text(rng, size_bytes)
    elif shape == "numeric":
        obj = _numeric(rng, size_bytes, numeric_kind, _seed_int(shape, seed))
    elif shape == "records":
        return _sized_list(_record_maker(rng), size_bytes, 58)
    else:
        return _sized_list(_subtree_maker(rng, size_bytes), size_bytes, 160)
    return obj, pickled_size(obj)


def _bytes_overhead(size_bytes: int) -> int:
    probe = min(size_bytes, 1 << 16)
    return pickled_size(bytes(probe)) - probe


def _text(rng: random.Random, size_bytes: int) -> str:
    target = max(0, size_bytes - (pickled_size("x" * 300) - 300)) + 1  # + 1: the last word has no space
    expected = _TEXT_MEAN_WORD_BYTES
    words: list = []
    total = 0
    while total < target:
        chunk = rng.choices(_TEXT_WORDS, cum_weights=_TEXT_CUM_WEIGHTS, k=max(1, int((target - total) / expected)))
        total += sum(map(_TEXT_WORD_BYTES.__getitem__, chunk))
        words.extend(chunk)
    while words and total - _TEXT_WORD_BYTES[words[-1]] >= target:
        total -= _TEXT_WORD_BYTES[words.pop()]
    return " ".join(words)


def _numeric(rng: random.Random, size_bytes: int, numeric_kind: str, seed64: int):
    if numeric_kind == "numpy":
        np = _numpy()
        overhead = pickled_size(np.zeros(1024)) - 8 * 1024
        count = max(0, (size_bytes - overhead) // 8)
        return np.random.default_rng(seed64).random(count)
    overhead = pickled_size(array.array("d", bytes(8 * 1024))) - 8 * 1024
    count = max(0, (size_bytes - overhead) // 8)
    # array() from an iterator appends in C without a temporary list of floats.
    return array.array("d", itertools.starmap(rng.random, itertools.repeat((), count)))


def _record_maker(rng: random.Random):
    rand = rng.random
    tags = _TAGS

    def record(index: int) -> dict:
        return {
            "id": 1_000_000 + index,
            "user": f"user{int(rand() * 1_000_000):06d}",
            "score": rand() * 100.0,
            "count": int(rand() * 1000),
            "tags": f"{tags[int(rand() * len(tags))]},{tags[int(rand() * len(tags))]}",
            "active": rand() < 0.5,
        }

    return record


def _subtree_maker(rng: random.Random, size_bytes: int):
    rand = rng.random
    keys = _TREE_KEYS
    words = _ASCII_WORDS
    leaves_per_item = 4 if size_bytes < 16_384 else (16 if size_bytes < 1_000_000 else 64)

    def leaves(count: int) -> list:
        out = []
        for _ in range(count):
            kind = rand()
            if kind < 0.3:
                out.append(int(rand() * 1_000_000))
            elif kind < 0.55:
                out.append(rand() * 1000.0)
            elif kind < 0.95:
                out.append(f"{words[int(rand() * len(words))]}-{int(rand() * 100_000)}")
            else:
                out.append(rand() < 0.5)
        return out

    def node(count: int, depth: int):
        # depth counts this container; the root list is depth 1, so an item starts at depth 2.
        if count <= 8 or depth >= _TREE_MAX_DEPTH:
            children = leaves(count)
        else:
            fan = min(count, 2 + int(rand() * 4))
            cuts = sorted({1 + int(rand() * (count - 1)) for _ in range(fan - 1)})
            children = [node(b - a, depth + 1) for a, b in zip([0] + cuts, cuts + [count])]
        if rand() < 0.5:
            return children
        start = int(rand() * len(keys))
        return dict(zip(keys[start:] + keys[:start], children))

    return lambda index: node(leaves_per_item, 2)


def _sized_list(make_item, size_bytes: int, guess_item_bytes: int):
    """A list of make_item(i), as many as make its pickle about size_bytes: estimated from a sample, then
    corrected from one exact count of the whole (a second count only when the estimate was off by over 1.5 %)."""
    empty = pickled_size([])
    target = max(0, size_bytes - empty)
    items = [make_item(i) for i in range(max(1, min(2048, round(target / guess_item_bytes))))]
    size = pickled_size(items)
    for _ in range(6):
        per_item = max(1.0, (size - empty) / len(items))
        want = max(1, round(target / per_item))
        if want == len(items):
            break
        if want > len(items):
            items.extend(make_item(i) for i in range(len(items), want))
        else:
            del items[want:]
        size = pickled_size(items)
        if abs(size - size_bytes) <= 0.015 * max(1, size_bytes):
            break
    return items, size


def estimate_object_bytes(obj) -> int:
    """The object's in-memory size: sys.getsizeof for flat objects, a deep size of a sample scaled up for lists."""
    if isinstance(obj, list) and obj:
        sample = obj[: min(len(obj), 512)]
        seen: set = set()
        deep = sum(_deep_sizeof(item, seen) for item in sample)
        return sys.getsizeof(obj) + int(deep * len(obj) / len(sample))
    return sys.getsizeof(obj)


def _deep_sizeof(obj, seen: set) -> int:
    if id(obj) in seen or obj is None or obj is True or obj is False:
        return 0
    seen.add(id(obj))
    size = sys.getsizeof(obj)
    if isinstance(obj, dict):
        size += sum(_deep_sizeof(k, seen) + _deep_sizeof(v, seen) for k, v in obj.items())
    elif isinstance(obj, (list, tuple)):
        size += sum(_deep_sizeof(item, seen) for item in obj)
    return size


# --------------------------------------------------------------------------------------------------------------
# Checksum


class _HashWriter:
    __slots__ = ("write",)

    def __init__(self, update):
        self.write = update


def _buffer_of(obj):
    """The object's contiguous bytes when it has them (bytes, array, memoryview, numpy), else None."""
    if isinstance(obj, (bytes, bytearray, array.array)):
        return obj
    if isinstance(obj, memoryview):
        return obj if obj.c_contiguous else obj.tobytes()
    np = sys.modules.get("numpy")
    if np is not None and isinstance(obj, np.ndarray):
        return np.ascontiguousarray(obj).data
    return None


def checksum(obj) -> str:
    """A digest (blake2b, hex) of the object's content that a receiver recomputes to verify it.

    Buffers (bytes, array, memoryview, numpy) are hashed in place, which releases the GIL. Text is hashed as
    UTF-8 a megabyte of characters at a time. Records and trees are walked canonically by CPython's C pickler
    with its memo switched off ("fast" mode: every object written in full, so sharing does not change the
    digest), streamed into the hash: a walk at the pickler's speed, under the GIL, the honest cost of verifying
    a Python object graph.
    """
    digest = hashlib.blake2b(digest_size=16)
    buffer = _buffer_of(obj)
    if buffer is not None:
        digest.update(buffer)
    elif isinstance(obj, str):
        step = 1 << 20
        for start in range(0, len(obj), step):
            digest.update(obj[start:start + step].encode("utf-8", "surrogatepass"))
    else:
        pickler = pickle.Pickler(_HashWriter(digest.update), 4)
        try:
            pickler.fast = True
        except AttributeError:  # a future CPython without fast mode: the memo is deterministic too
            pass
        pickler.dump(obj)
    return digest.hexdigest()


def _corrupt(obj):
    """A changed copy of obj (fault injection), the original left alone: verify must notice."""
    buffer = _buffer_of(obj)
    if buffer is not None:
        changed = bytearray(memoryview(buffer).cast("B")) if memoryview(buffer).nbytes else bytearray(1)
        changed[0] ^= 0xFF
        return bytes(changed)
    if isinstance(obj, str):
        return ("#" if obj[:1] != "#" else "$") + obj[1:]
    if isinstance(obj, list) and obj:
        first = obj[0]
        changed = dict(first, corrupted=True) if isinstance(first, dict) else [first, "corrupted"]
        return [changed] + obj[1:]
    return [obj, "corrupted"]


# --------------------------------------------------------------------------------------------------------------
# This process's memory (Linux /proc)


class _ProcStatus:
    """VmRSS / VmHWM of this process from /proc/self/status, and a peak reset through /proc/self/clear_refs."""

    def __init__(self):
        self.pid = os.getpid()
        self.status_fd = self._open("/proc/self/status", os.O_RDONLY)
        self.clear_fd = self._open("/proc/self/clear_refs", os.O_WRONLY)

    @staticmethod
    def _open(path: str, flags: int):
        try:
            return os.open(path, flags | os.O_CLOEXEC)
        except OSError:
            return None

    def read(self, key: bytes):
        if self.status_fd is None:
            return None
        try:
            text = os.pread(self.status_fd, 8192, 0)
        except OSError:
            return None
        start = text.find(key + b":")
        if start < 0:
            return None
        fields = text[start + len(key) + 1: text.find(b"\n", start)].split()
        return int(fields[0]) * 1024 if fields else None

    def reset_peak(self):
        if self.clear_fd is not None:
            try:
                os.write(self.clear_fd, b"5")
            except OSError:
                pass


_PROC_STATUS = None


def _proc() -> _ProcStatus:
    global _PROC_STATUS
    if _PROC_STATUS is None or _PROC_STATUS.pid != os.getpid():  # a forked child must not read its parent's
        _PROC_STATUS = _ProcStatus()
    return _PROC_STATUS


def _mem_available():
    try:
        with open("/proc/meminfo", "rb") as f:
            for line in f:
                if line.startswith(b"MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


# --------------------------------------------------------------------------------------------------------------
# Request


class Request:
    """A validated `run` / `baseline` request."""

    FIELDS = ("protocol", "shape", "sizeBytes", "seed", "pool", "workers", "work", "startMethod",
              "warmupTasksPerWorker", "tasks", "minTasks", "maxTasks", "minBatches", "budgetSeconds", "sync",
              "scratchDirectory", "async", "taskTimeoutSeconds", "numericKind", "daskScheduler", "slowPointSeconds",
              "slowPointBatches")
    HIDDEN_FIELDS = ("faultInjection", "faultTask")  # for tests: make a worker fail on purpose

    def __init__(self, raw: dict):
        self.raw = raw
        self.shape = ""
        self.size_bytes = 0
        self.seed = 0
        self.pool = ""
        self.workers = 1
        self.work_kind = "none"
        self.work_rate = 0.0
        self.start_method = None
        self.warmup_per_worker = 0
        self.tasks = None
        self.min_tasks = 0
        self.max_tasks = 1
        self.min_batches = 1
        self.budget_seconds = 0.0
        self.slow_point_seconds = None  # None: no slow-point rule
        self.slow_point_batches = 3
        self.sync = False
        self.scratch_directory = ""
        self.use_async = False
        self.task_timeout_seconds = 1.0
        self.numeric_kind = "array"
        self.dask_scheduler = None
        self.fault = None
        self.fault_task = 0

    @property
    def warmup_tasks(self) -> int:
        return self.workers * self.warmup_per_worker

    @property
    def uses_numpy(self) -> bool:
        return self.shape == "numeric" and self.numeric_kind == "numpy"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return (_is_int(value) or isinstance(value, float)) and math.isfinite(value)


def parse_command_request(text, known) -> dict:
    """A side command's request (`bench`, `dask-comm`) as a dict: JSON text holding an object whose fields are all
    in `known` and whose protocol is this driver's; otherwise BadRequest naming what is wrong."""
    try:
        raw = json.loads(text)
    except ValueError as error:
        raise BadRequest("request", f"The request is not JSON: {error}.")
    if not isinstance(raw, dict):
        raise BadRequest("request", "The request must be a JSON object.")
    for name in raw:
        if name not in known:
            raise BadRequest(name, f"Unknown request field '{name}'.")
    if raw.get("protocol") != PROTOCOL:
        raise BadRequest("protocol", f"This driver speaks protocol {PROTOCOL}.")
    return raw


def parse_request(text) -> Request:
    """The validated request, or BadRequest naming the first wrong field."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest("request", "The request is not UTF-8 text.")
    if isinstance(text, str):
        try:
            raw = json.loads(text)
        except ValueError as error:
            raise BadRequest("request", f"The request is not valid JSON ({error}).")
    else:
        raw = text
    if not isinstance(raw, dict):
        raise BadRequest("request", "The request must be one JSON object.")
    request = Request(raw)

    def get(name, required=True):
        if name not in raw:
            if required:
                raise BadRequest(name, f"The request has no \"{name}\" field.")
            return None
        return raw[name]

    def integer(name, low, high=None):
        value = get(name)
        if not _is_int(value) or value < low or (high is not None and value > high):
            bound = f"from {low} to {high}" if high is not None else f"of at least {low}"
            raise BadRequest(name, f"\"{name}\" must be an integer {bound}, not {json.dumps(value)}.")
        return value

    def number(name, low, strictly=False):
        value = get(name)
        if not _is_number(value) or value < low or (strictly and value == low):
            relation = "greater than" if strictly else "at least"
            raise BadRequest(name, f"\"{name}\" must be a finite number {relation} {low}, not {json.dumps(value)}.")
        return float(value)

    def boolean(name):
        value = get(name)
        if not isinstance(value, bool):
            raise BadRequest(name, f"\"{name}\" must be true or false, not {json.dumps(value)}.")
        return value

    def choice(name, choices, required=True, default=None):
        value = get(name, required)
        if value is None and not required:
            return default
        if value not in choices:
            raise BadRequest(name, f"\"{name}\" must be one of {', '.join(map(str, choices))}, not {json.dumps(value)}.")
        return value

    protocol = get("protocol")
    if not _is_int(protocol):
        raise BadRequest("protocol", f"\"protocol\" must be an integer, not {json.dumps(protocol)}.")
    if protocol != PROTOCOL:
        raise BadRequest("protocol", f"This driver speaks protocol {PROTOCOL}, not {protocol}.", kind="protocol")
    request.shape = choice("shape", SHAPES)
    request.size_bytes = integer("sizeBytes", 1, 1 << 40)
    request.seed = integer("seed", -(1 << 64), 1 << 64)
    request.pool = choice("pool", POOL_KINDS)
    request.workers = integer("workers", 1, 1024)
    request.work_kind, request.work_rate = _parse_work(get("work"))
    methods = multiprocessing.get_all_start_methods()
    request.start_method = choice("startMethod", methods, required=False)
    request.warmup_per_worker = integer("warmupTasksPerWorker", 0, 1_000_000)
    if raw.get("tasks") is not None:
        request.tasks = integer("tasks", 1, 100_000_000)
    request.min_tasks = integer("minTasks", 0, 100_000_000)
    request.max_tasks = integer("maxTasks", 1, 100_000_000)
    if request.max_tasks < request.min_tasks:
        raise BadRequest("maxTasks", f"\"maxTasks\" ({request.max_tasks}) must be at least \"minTasks\" "
                                     f"({request.min_tasks}).")
    request.min_batches = integer("minBatches", 1, 1_000_000)
    request.budget_seconds = number("budgetSeconds", 0.0)
    if raw.get("slowPointSeconds") is not None:
        request.slow_point_seconds = number("slowPointSeconds", 0.0, strictly=True)
    if raw.get("slowPointBatches") is not None:
        request.slow_point_batches = integer("slowPointBatches", 1, 1_000_000)
    request.sync = boolean("sync")
    request.scratch_directory = _parse_scratch(get("scratchDirectory"))
    request.use_async = boolean("async")
    request.task_timeout_seconds = number("taskTimeoutSeconds", 0.0, strictly=True)
    request.numeric_kind = choice("numericKind", ("array", "numpy"), required=False, default="array")
    if request.uses_numpy and not numpy_available():
        raise BadRequest("numericKind", "\"numericKind\" is numpy, but numpy is not importable by this interpreter; "
                                        "use \"array\" or install numpy.")
    if request.pool in DASK_POOLS:
        if not _dask_module().available():
            raise BadRequest("pool", f"\"pool\" is {request.pool}, but the distributed package is not importable by "
                                     f"this interpreter; {_dask_module().INSTALL_HINT}.", kind="missingDependency")
        if request.use_async:
            raise BadRequest("async", "\"async\" runs tasks through run_in_executor, which a Dask client does not "
                                      "offer; measure dask without it.")
        if request.start_method is not None:
            raise BadRequest("startMethod", "\"startMethod\" chooses how multiprocessing starts a stdlib pool's "
                                            "workers; Dask's workers are separate interpreters, so send null.")
    scheduler = raw.get("daskScheduler")
    if scheduler is not None:
        if not isinstance(scheduler, str) or not re.match(r"^(tcp|tls)://[^/\s]+:\d+$", scheduler):
            raise BadRequest("daskScheduler", f"\"daskScheduler\" must be an address such as tcp://10.0.0.5:8786, "
                                              f"not {json.dumps(scheduler)}.")
        request.dask_scheduler = scheduler
    request.fault = choice("faultInjection", FAULTS, required=False)
    if request.fault == "killWorker" and request.pool == "thread":
        raise BadRequest("faultInjection", "\"killWorker\" needs a process pool; a thread pool has no worker "
                                           "process to kill.")
    request.fault_task = request.warmup_tasks  # the first measured task
    if raw.get("faultTask") is not None:
        request.fault_task = integer("faultTask", 0)
    for name in raw:
        if name not in Request.FIELDS and name not in Request.HIDDEN_FIELDS:
            raise BadRequest(name, f"\"{name}\" is not a field of protocol {PROTOCOL}.")
    return request


_WORK_PATTERN = re.compile(r"^(none|checksum|cpu|native)(?::(.+))?$")


def _parse_work(value):
    match = _WORK_PATTERN.match(value) if isinstance(value, str) else None
    if match is not None:
        kind, rate = match.group(1), match.group(2)
        if kind in ("none", "checksum") and rate is None:
            return kind, 0.0
        if kind in ("cpu", "native") and rate is not None:
            try:
                number = float(rate)
            except ValueError:
                number = float("nan")
            if math.isfinite(number) and number >= 0:
                return kind, number
    raise BadRequest("work", f"\"work\" must be none, checksum, cpu:<ns per byte> or native:<ns per byte>, "
                             f"not {json.dumps(value)}.")


def _parse_scratch(value) -> str:
    if not isinstance(value, str) or not os.path.isabs(value):
        raise BadRequest("scratchDirectory", f"\"scratchDirectory\" must be an absolute path, not {json.dumps(value)}.")
    if not os.path.isdir(value):
        raise BadRequest("scratchDirectory", f"The scratch directory {value} does not exist.")
    if not os.access(value, os.W_OK | os.X_OK):
        raise BadRequest("scratchDirectory", f"The scratch directory {value} is not writable.")
    return value


# --------------------------------------------------------------------------------------------------------------
# Worker side: what runs in a pool's worker process or thread


class WorkerConfig:
    """What every task of a point shares; handed to worker processes once, by the pool's initializer."""

    def __init__(self, request: Request, parent_pid: int):
        self.scratch_directory = request.scratch_directory
        self.sync = request.sync
        self.work_kind = request.work_kind
        self.work_rate = request.work_rate
        self.file_prefix = f"{NAME_PREFIX}{parent_pid}_"
        self.fault = request.fault
        self.fault_task = request.fault_task


_WORKER_CONFIG = None  # in a worker process
_WORKER_BARRIER = None
_CHILD_MARKS: dict = {}  # task -> [monotonic, thread cpu] when the worker's unpickling reached the start marker


def _worker_init(config: WorkerConfig, barrier):
    """ProcessPoolExecutor initializer: SIGINT is the parent's to handle; SIGTERM ends the worker quietly."""
    global _WORKER_CONFIG, _WORKER_BARRIER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    _WORKER_CONFIG = config
    _WORKER_BARRIER = barrier
    _proc()


def _worker_hello(timeout_seconds: float):
    """Pool start-up's round trip: every worker answers once (the barrier keeps one worker from taking two)."""
    if _WORKER_BARRIER is not None:
        _WORKER_BARRIER.wait(timeout_seconds)
    return os.getpid(), _proc().read(b"VmRSS") or 0


def _thread_hello(barrier: threading.Barrier, timeout_seconds: float):
    barrier.wait(timeout_seconds)
    return _thread_index()


def _thread_index() -> int:
    name = threading.current_thread().name  # ThreadPoolExecutor names its threads f"{prefix}_{n}", n from 0
    try:
        return int(name.rsplit("_", 1)[1])
    except (IndexError, ValueError):
        return threading.get_ident()


def _noop(obj):
    return None


class _StartMarker:
    """Placed just before the object in a task's arguments: stamps where pickling / unpickling reach it."""

    __slots__ = ("task",)

    def __init__(self, task: int):
        self.task = task

    def __reduce__(self):
        _FEEDER_MARKS[self.task] = [_now(), _cpu()]  # runs in the executor's queue feeder thread
        return _reached_start, (self.task,)


class _EndMarker:
    """Placed just after the object: pickling reaching it ends serialize; unpickling reaching it ends deserialize."""

    __slots__ = ("task",)

    def __init__(self, task: int):
        self.task = task

    def __reduce__(self):
        marks = _FEEDER_MARKS.get(self.task)
        if marks is not None:
            marks += (_now(), _cpu())
        _FEEDER_PENDING[0] = self.task  # the next message the feeder writes carries this task
        return _reached_end, (self.task,)


def _reached_start(task: int) -> int:
    stamp = [_now(), _cpu()]
    _proc().reset_peak()  # the task's peak memory starts here: the message has arrived, unpickling begins
    _CHILD_MARKS[task] = stamp
    return task


def _reached_end(task: int) -> int:
    marks = _CHILD_MARKS.get(task)
    if marks is not None:
        marks += (_now(), _cpu())
    return task


def _pipe_task(task: int, obj, _end: int, context):
    """Process pool task: the object arrived through the executor's pipe and is already unpickled."""
    stamps = _CHILD_MARKS.pop(task, [0, 0, 0, 0])
    stamps += (_now(), _cpu())
    written = _run_stages(obj, task, context, _WORKER_CONFIG, stamps)
    return os.getpid(), _proc().read(b"VmHWM"), written, stamps


def _shm_task(task: int, control, _end: int, context):
    """process:shm task: attach the segment, unpickle with its buffers in place, then the same stages."""
    stamps = _CHILD_MARKS.pop(task, [0, 0, 0, 0])[:2]
    stamps += (_now(), _cpu())
    name, inband_bytes, layout = control
    segment = _attach_segment(name)
    try:
        written = _shm_stages(segment, inband_bytes, layout, task, context, stamps)
    finally:
        try:
            segment.close()
        except BufferError:  # a view still alive (only after an error): the mapping goes with the process
            pass
    return os.getpid(), _proc().read(b"VmHWM"), written, stamps


def _shm_stages(segment, inband_bytes: int, layout, task: int, context, stamps: list) -> int:
    whole = segment.buf
    buffers = [whole[offset:offset + length] for offset, length in layout]
    obj = pickle.loads(whole[:inband_bytes], buffers=buffers)
    stamps += (_now(), _cpu())
    try:
        return _run_stages(obj, task, context, _WORKER_CONFIG, stamps)
    finally:
        del obj, buffers, whole


def _ignore_register(name, rtype):
    return None


def _attach_segment(name: str):
    """Attach a parent's segment without registering it with multiprocessing's resource tracker.

    Before 3.13 attaching registers the name, so the tracker (shared with the parent, or the worker's own) warns
    about a "leaked" segment and unlinks it a second time; unregistering after attaching would instead make the
    parent's own unregister fail in a shared tracker. The parent alone creates, tracks and unlinks segments.
    """
    from multiprocessing import resource_tracker, shared_memory
    if sys.version_info >= (3, 13):
        return shared_memory.SharedMemory(name=name, track=False)
    original = resource_tracker.register
    resource_tracker.register = _ignore_register
    try:
        return shared_memory.SharedMemory(name=name)
    finally:
        resource_tracker.register = original


def _thread_task(task: int, obj, context, config: WorkerConfig):
    """Thread pool task: the parent's object, in place."""
    stamps = [_now(), _cpu()]
    written = _run_stages(obj, task, context, config, stamps)
    return _thread_index(), written, stamps


def _run_stages(obj, task: int, context, config: WorkerConfig, stamps: list) -> int:
    """verify, work, reserialize, write (and sync); appends a (monotonic, thread cpu) pair after each."""
    expected, work_bytes = context
    if config.fault is not None and task == config.fault_task:
        if config.fault == "corrupt":
            obj = _corrupt(obj)
        elif config.fault == "hang":
            _hang()
    ok = checksum(obj) == expected
    stamps += (_now(), _cpu())
    if not ok:
        raise VerifyFailed(f"Task {task}: the checksum the worker computed does not match the parent's.")
    _run_work(config.work_kind, config.work_rate, obj, work_bytes)
    stamps += (_now(), _cpu())
    data = _reserialize(obj)
    stamps += (_now(), _cpu())
    die = config.fault == "killWorker" and task == config.fault_task
    path = os.path.join(config.scratch_directory, f"{config.file_prefix}{task}.tmp")
    _write_scratch(path, data, config.sync, stamps, die)
    return len(data)


def _hang():
    while True:
        if _STOPPING.wait(0.05):
            raise _Stopped()


def _reserialize(obj) -> bytes:
    if isinstance(obj, memoryview):  # a buffer read in place from shared memory: pickled as its bytes
        obj = pickle.PickleBuffer(obj)
    return pickle.dumps(obj, PICKLE_PROTOCOL)


def _write_scratch(path: str, data: bytes, sync: bool, stamps: list, die: bool = False):
    """Write data to a new file, optionally fsync it, close and remove it. As in payloadlab's Swift workers,
    closing and removing belong to the last stage (write, or sync with sync)."""
    if _STOPPING.is_set():
        raise _Stopped()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        view = memoryview(data)
        total = len(view)
        offset = 0
        while offset < total:
            offset += os.write(fd, view[offset:offset + _WRITE_CHUNK])
        if die:
            os.kill(os.getpid(), signal.SIGKILL)
        if sync:
            stamps += (_now(), _cpu())
            os.fsync(fd)
    finally:
        os.close(fd)
        os.unlink(path)
    stamps += (_now(), _cpu())


def _run_work(kind: str, rate: float, obj, work_bytes: int):
    """none; checksum: one more pass; cpu: pure-Python arithmetic (holds the GIL); native: sha256 over the
    object's bytes (releases the GIL) — both until this thread has used rate * work_bytes ns of CPU."""
    if kind == "none":
        return
    if kind == "checksum":
        checksum(obj)
        return
    start = _cpu()
    budget = int(rate * work_bytes)
    stopping = _STOPPING.is_set
    if kind == "cpu":
        state = 1
        while _cpu() - start < budget:
            if stopping():
                raise _Stopped()
            for _ in range(256):
                state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        return
    data = _native_bytes(obj)  # made once under the GIL for text / records / tree; counts toward the budget
    view = memoryview(data).cast("B") if memoryview(data).nbytes else memoryview(b"\0")
    total = view.nbytes
    chunk = 1 << 20
    digest = hashlib.sha256()
    offset = 0
    while True:
        digest.update(view if total <= chunk else view[offset:offset + chunk])
        offset = (offset + chunk) % total if total > chunk else 0
        if _cpu() - start >= budget or stopping():
            break


def _native_bytes(obj):
    buffer = _buffer_of(obj)
    if buffer is not None:
        return buffer
    if isinstance(obj, str):
        return obj.encode("utf-8", "surrogatepass")
    return pickle.dumps(obj, PICKLE_PROTOCOL)


# --------------------------------------------------------------------------------------------------------------
# Parent side: the feeder thread's stamps

_FEEDER_MARKS: dict = {}  # task -> [start m, start cpu, end m, end cpu, (sent m, sent cpu, message bytes)]
_FEEDER_PENDING = [None]


def _wrap_feeder_send(call_queue) -> bool:
    """Stamp when the feeder thread has written a task's message to the pipe, and count its bytes.

    multiprocessing.Queue hands `self._send_bytes` to its feeder thread when the thread starts (first put), so
    replacing the attribute before then adds one Python call per message and changes nothing else.
    """
    send = getattr(call_queue, "_send_bytes", None)
    if send is None or getattr(call_queue, "_thread", None) is not None:
        return False

    def send_bytes(buffer, *args):
        task = _FEEDER_PENDING[0]
        _FEEDER_PENDING[0] = None
        send(buffer, *args)
        if task is not None:
            marks = _FEEDER_MARKS.get(task)
            if marks is not None and len(marks) == 4:
                marks += (_now(), _cpu(), memoryview(buffer).nbytes)

    call_queue._send_bytes = send_bytes
    return True


# --------------------------------------------------------------------------------------------------------------
# Pools


def _chain(stamps, start: int, names, ns: dict, cpu: dict):
    """Stages between consecutive (monotonic, cpu) pairs of `stamps`, from pair index `start` on."""
    for offset, name in enumerate(names):
        i = 2 * (start + offset)
        ns[name] = stamps[i + 2] - stamps[i]
        cpu[name] = stamps[i + 3] - stamps[i + 1]


def _remove_prefixed(directory: str, prefix: str):
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(prefix):
            try:
                os.unlink(entry.path)
            except OSError:
                pass


class TaskPool:
    """One persistent pool per point: start(), submit_task(), task_finished(), sample(), shutdown(), abort().

    submit_task(task, obj, context, submit) prepares a task and hands (fn, *args) to `submit`, which is the
    executor's submit for plain loops and loop.run_in_executor for asyncio, and returns (future, prepared).
    """

    kind = ""

    def __init__(self, request: Request, config: WorkerConfig):
        self.request = request
        self.config = config
        self.workers = request.workers
        self.executor = None
        self.start_method = None
        self.worker_pids: list = []
        self.worker_baseline_bytes: list = []
        self.pickled_bytes = 0

    def start(self, wrap_feeder: bool = True) -> int:
        """Create the executor and make one round trip to every worker; returns the nanoseconds it took."""
        raise NotImplementedError

    def submit_task(self, task: int, obj, context, submit):
        raise NotImplementedError

    def task_finished(self, task: int):
        """Release what the task held (its shared-memory segment), whether it succeeded or failed."""

    def sample(self, task: int, result, prepared):
        """(ns, cpuNs, encodedBytes, worker index, worker peak bytes) of a finished task."""
        raise NotImplementedError

    def extra_ready(self) -> dict:
        """Fields of this pool's own for the ready line."""
        return {}

    def describe_failure(self, error: BaseException) -> DriverError:
        if isinstance(error, VerifyFailed):
            return DriverError("verify", str(error))
        if isinstance(error, MemoryError):
            return DriverError("memory", "A worker ran out of memory.")
        if isinstance(error, _Stopped):
            return DriverError("interrupted", "The task was stopped.")
        detail = str(error).strip().rstrip(".")
        return DriverError("internal", f"A task failed with {type(error).__name__}" + (f": {detail}." if detail else "."))

    def shutdown(self):
        if self.executor is not None:
            self.executor.shutdown(wait=True)
            self.executor = None

    def abort(self, wait_seconds: float) -> bool:
        """Stop at once (kill workers, cancel what is queued); True when every thread we started has ended."""
        raise NotImplementedError

    def cleanup(self):
        _remove_prefixed(self.config.scratch_directory, self.config.file_prefix)


class ProcessPool(TaskPool):
    """concurrent.futures.ProcessPoolExecutor; the object travels pickled through the executor's own pipe."""

    kind = "process"
    task_function = staticmethod(_pipe_task)

    def __init__(self, request, config):
        super().__init__(request, config)
        self.processes: dict = {}
        self.index: dict = {}

    def _context(self):
        if self.request.start_method is None:
            return multiprocessing.get_context()
        return multiprocessing.get_context(self.request.start_method)

    def start(self, wrap_feeder: bool = True) -> int:
        started = _now()
        context = self._context()
        self.start_method = context.get_start_method()
        self._before_start()
        barrier = context.Barrier(self.workers) if self.workers > 1 else None
        wait_seconds = self.request.task_timeout_seconds + 60.0
        # Workers are created with SIGINT / SIGTERM blocked, so a signal in this window reaches only the parent
        # (and stays pending until the mask is restored); the initializer ignores SIGINT in the workers.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            self.executor = concurrent.futures.ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_worker_init, initargs=(self.config, barrier))
            if wrap_feeder:
                _wrap_feeder_send(self.executor._call_queue)
            futures = [self.executor.submit(_worker_hello, wait_seconds) for _ in range(self.workers)]
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        self.processes = dict(self.executor._processes)
        try:
            answers = [future.result(timeout=wait_seconds) for future in futures]
        except (concurrent.futures.TimeoutError, threading.BrokenBarrierError):
            raise DriverError("timeout", f"The pool's workers did not all answer within {wait_seconds:g} s of "
                                         f"starting.")
        except BrokenProcessPool:
            raise DriverError("workerDied", self.describe_death("while starting"))
        answers.sort()
        self.worker_pids = [pid for pid, _ in answers]
        self.worker_baseline_bytes = [rss for _, rss in answers]
        self.index = {pid: i for i, pid in enumerate(self.worker_pids)}
        self.processes.update(self.executor._processes)
        return _now() - started

    def _before_start(self):
        pass

    def submit_task(self, task, obj, context, submit):
        return submit(self.task_function, _StartMarker(task), obj, _EndMarker(task), context), None

    def sample(self, task, result, prepared):
        pid, peak, written, stamps = result
        marks = _FEEDER_MARKS.pop(task, None) or [0, 0, 0, 0]
        ns = {"serialize": marks[2] - marks[0], "transfer": stamps[0] - marks[2], "deserialize": stamps[2] - stamps[0]}
        cpu = {"serialize": marks[3] - marks[1], "transfer": marks[5] - marks[3] if len(marks) > 4 else 0,
               "deserialize": stamps[3] - stamps[1]}
        _chain(stamps, 2, self._worker_stage_names(), ns, cpu)
        encoded = marks[6] if len(marks) > 6 else self.pickled_bytes
        return ns, cpu, encoded, self._worker_index(pid), peak

    def _worker_stage_names(self):
        return ("verify", "work", "reserialize", "write", "sync") if self.config.sync else \
            ("verify", "work", "reserialize", "write")

    def _worker_index(self, pid: int) -> int:
        if pid not in self.index:
            self.index[pid] = len(self.index)
        return self.index[pid]

    def describe_failure(self, error):
        if isinstance(error, BrokenProcessPool):
            return DriverError("workerDied", self.describe_death("during a task"))
        return super().describe_failure(error)

    def describe_death(self, when: str) -> str:
        # The executor's manager thread reaps the workers itself: joining here would race it for waitpid() and
        # could lose the status, so poll exitcode, which the reaping thread sets on the shared Popen object.
        deadline = time.monotonic() + 3.0
        codes: dict = {}
        while True:
            for pid, process in self.processes.items():
                if pid not in codes:
                    try:
                        code = process.exitcode
                    except Exception:
                        code = None
                    if code is not None:
                        codes[pid] = code
            if len(codes) == len(self.processes) or time.monotonic() >= deadline:
                break
            time.sleep(0.005)
        found = sorted((pid, code) for pid, code in codes.items() if code != 0)
        # The executor SIGTERMs the surviving workers once one dies: name the one that died some other way.
        culprits = [item for item in found if item[1] != -signal.SIGTERM] or found
        if not culprits:
            return f"A worker process ended abruptly {when}; its exit status is unknown."
        pid, code = culprits[0]
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"Worker process {pid} was killed by {name} {when}."
        return f"Worker process {pid} exited with status {code} {when}."

    def abort(self, wait_seconds):
        manager = None
        if self.executor is not None:
            manager = getattr(self.executor, "_executor_manager_thread", None)
            self.processes.update(getattr(self.executor, "_processes", None) or {})
        for process in list(self.processes.values()):
            try:
                process.kill()
            except Exception:
                pass
        if self.executor is not None and sys.version_info < (3, 11):
            # CPython < 3.11 keeps the parent's copy of the call queue's read end open when the pool breaks
            # (gh-94777), so a feeder thread in the middle of writing a large message never returns and the
            # executor's threads never end. With every worker dead, closing it turns that write into an EPIPE
            # the queue ignores — what terminate_broken() itself does from 3.11 on.
            call_queue = getattr(self.executor, "_call_queue", None)
            reader = getattr(call_queue, "_reader", None)
            if reader is not None:
                for process in list(self.processes.values()):
                    try:
                        process.join(1.0)
                    except Exception:
                        pass
                try:
                    reader.close()
                except OSError:
                    pass
        if self.executor is not None:
            try:
                self.executor.shutdown(wait=False, cancel_futures=True)
            except Exception:
                pass
            self.executor = None
        deadline = time.monotonic() + wait_seconds
        for process in list(self.processes.values()):
            try:
                process.join(max(0.0, deadline - time.monotonic()))
            except Exception:
                pass
        if manager is not None:
            manager.join(max(0.0, deadline - time.monotonic()))
            return not manager.is_alive()
        return True


class SharedMemoryProcessPool(ProcessPool):
    """process:shm — the same executor; the object's pickle and its large buffers travel in a
    multiprocessing.shared_memory segment (one per task), only a small control message through the pipe.

    The parent pickles with protocol 5 and a buffer_callback: bytes, array.array and numpy buffers go out of band
    (bytes and array.array wrapped at the top level, as neither offers out-of-band pickling itself); the in-band
    pickle and each buffer are copied into the segment (64-byte aligned). The worker attaches, unpickles from the
    segment with buffers= views of it: a numpy array is rebuilt on the segment's memory, bytes and array.array
    arrive as read-only memoryviews of it (no copy; the worker hashes, works on and re-pickles the view).
    """

    kind = "process:shm"
    task_function = staticmethod(_shm_task)

    def __init__(self, request, config):
        super().__init__(request, config)
        self.segments: dict = {}
        self.segment_prefix = f"{NAME_PREFIX}{os.getpid()}_"

    def _before_start(self):
        # The tracker process starts on the first segment otherwise, inside the first task's serialize.
        from multiprocessing import resource_tracker
        resource_tracker.ensure_running()

    def submit_task(self, task, obj, context, submit):
        from multiprocessing import shared_memory
        t0, c0 = _now(), _cpu()
        buffers: list = []
        inband = pickle.dumps(_out_of_band(obj), protocol=5, buffer_callback=buffers.append)
        raws = [buffer.raw() for buffer in buffers]
        layout = []
        offset = _align(len(inband))
        for raw in raws:
            layout.append((offset, raw.nbytes))
            offset = _align(offset + raw.nbytes)
        total = max(1, offset)
        _check_shm_space(total)
        segment = shared_memory.SharedMemory(name=f"{self.segment_prefix}{task}", create=True, size=total)
        self.segments[task] = segment
        try:
            view = segment.buf
            view[:len(inband)] = inband
            for (start, length), raw in zip(layout, raws):
                view[start:start + length] = raw
            del view
        finally:
            for raw in raws:
                raw.release()
            for buffer in buffers:
                buffer.release()
            try:
                segment.close()
            except BufferError:
                pass
        t1, c1 = _now(), _cpu()
        control = (segment.name, len(inband), tuple(layout))
        future = submit(self.task_function, _StartMarker(task), control, _EndMarker(task), context)
        return future, (t0, c0, t1, c1, len(inband) + sum(length for _, length in layout))

    def task_finished(self, task):
        segment = self.segments.pop(task, None)
        if segment is not None:
            _unlink_segment(segment)

    def sample(self, task, result, prepared):
        pid, peak, written, stamps = result
        t0, c0, t1, c1, encoded = prepared
        marks = _FEEDER_MARKS.pop(task, None) or [0, 0, t1, 0]
        ns = {"serialize": t1 - t0, "transfer": stamps[0] - marks[2], "deserialize": stamps[4] - stamps[2]}
        cpu = {"serialize": c1 - c0, "transfer": marks[5] - marks[3] if len(marks) > 4 else 0,
               "deserialize": stamps[5] - stamps[3]}
        _chain(stamps, 2, self._worker_stage_names(), ns, cpu)
        return ns, cpu, encoded, self._worker_index(pid), peak

    def cleanup(self):
        super().cleanup()
        for task in list(self.segments):
            self.task_finished(task)
        _remove_prefixed("/dev/shm", self.segment_prefix)


def _align(offset: int, to: int = 64) -> int:
    return (offset + to - 1) // to * to


def _check_shm_space(needed: int):
    """A tmpfs segment is only reserved page by page: running out of /dev/shm mid-copy is a SIGBUS, so look first."""
    try:
        info = os.statvfs("/dev/shm")
    except OSError:
        return
    if info.f_bavail * info.f_frsize < needed:
        raise DriverError("memory", f"/dev/shm has less than the {needed} bytes a task's segment needs.")


def _unlink_segment(segment):
    try:
        segment.unlink()  # also unregisters it from the resource tracker
    except FileNotFoundError:
        try:
            from multiprocessing import resource_tracker
            resource_tracker.unregister(segment._name, "shared_memory")
        except Exception:
            pass
    except Exception:
        pass


class _OutOfBand:
    """Pickles a top-level bytes or array.array as a protocol-5 out-of-band buffer."""

    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj

    def __reduce_ex__(self, protocol):
        typecode = self.obj.typecode if isinstance(self.obj, array.array) else "B"
        return _buffer_view, (pickle.PickleBuffer(self.obj), typecode)


def _buffer_view(buffer, typecode: str):
    """In the worker: the segment's bytes in place, read-only, as bytes ('B') or the array's element type."""
    view = memoryview(buffer).toreadonly()
    return view if typecode == "B" else view.cast(typecode)


def _out_of_band(obj):
    if isinstance(obj, (bytes, array.array)):
        return _OutOfBand(obj)
    return obj  # numpy arrays offer out-of-band buffers themselves; other objects have none


class ThreadPool(TaskPool):
    """concurrent.futures.ThreadPoolExecutor; a thread takes the parent's object in place."""

    kind = "thread"

    def start(self, wrap_feeder: bool = True) -> int:
        started = _now()
        wait_seconds = self.request.task_timeout_seconds + 60.0
        self.executor = concurrent.futures.ThreadPoolExecutor(self.workers, thread_name_prefix="plab-worker")
        barrier = threading.Barrier(self.workers)
        futures = [self.executor.submit(_thread_hello, barrier, wait_seconds) for _ in range(self.workers)]
        try:
            for future in futures:
                future.result(timeout=wait_seconds)
        except (concurrent.futures.TimeoutError, threading.BrokenBarrierError):
            raise DriverError("timeout", f"The pool's threads did not all start within {wait_seconds:g} s.")
        return _now() - started

    def submit_task(self, task, obj, context, submit):
        return submit(_thread_task, task, obj, context, self.config), None

    def sample(self, task, result, prepared):
        index, written, stamps = result
        ns: dict = {}
        cpu: dict = {}
        _chain(stamps, 0, ("verify", "work", "reserialize", "write", "sync") if self.config.sync else
               ("verify", "work", "reserialize", "write"), ns, cpu)
        return ns, cpu, written, index, None

    def abort(self, wait_seconds):
        _STOPPING.set()
        if self.executor is None:
            return True
        threads = list(getattr(self.executor, "_threads", ()))
        try:
            self.executor.shutdown(wait=False, cancel_futures=True)
        except Exception:
            pass
        self.executor = None
        deadline = time.monotonic() + wait_seconds
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(thread.is_alive() for thread in threads)


POOLS = {"process": ProcessPool, "process:shm": SharedMemoryProcessPool, "thread": ThreadPool}


def _dask_module():
    """payloadlab_dask.py, beside this file; imported only when a Dask pool is asked for."""
    directory = os.path.dirname(os.path.abspath(__file__))
    if directory not in sys.path:
        sys.path.insert(0, directory)
    import payloadlab_dask
    return payloadlab_dask


def _bench_module():
    """payloadlab_bench.py, beside this file; imported only for the `bench` command."""
    directory = os.path.dirname(os.path.abspath(__file__))
    if directory not in sys.path:
        sys.path.insert(0, directory)
    import payloadlab_bench
    return payloadlab_bench


def pool_class(kind: str):
    """The TaskPool class of a request's pool."""
    if kind in DASK_POOLS:
        return _dask_module().pool_class(sys.modules[__name__])
    return POOLS[kind]


# --------------------------------------------------------------------------------------------------------------
# Output


class Output:
    """JSON lines on stdout, one object a line, flushed after each."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def emit(self, line: dict):
        self.stream.write(json.dumps(line, separators=(",", ":")) + "\n")
        self.stream.flush()

    def error(self, kind: str, message: str, field: str | None = None):
        line = {"event": "error", "kind": kind, "message": message}
        if field is not None:
            line["field"] = field
        self.emit(line)


def _median(values) -> int:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if not ordered:
        return 0
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) // 2


def lag_summary(lags) -> dict:
    ordered = sorted(lags)
    if not ordered:
        return {"p50": 0, "p99": 0, "max": 0, "count": 0}

    def rank(q: float) -> int:
        return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]

    return {"p50": rank(0.5), "p99": rank(0.99), "max": ordered[-1], "count": len(ordered)}


def per_batch_tasks(request: Request, per_task_seconds: float) -> int:
    """Tasks per batch, the Swift runner's rule: about budget / minBatches of work, a whole number of rounds."""
    total = request.tasks if request.tasks is not None else request.max_tasks
    by_budget = int(request.budget_seconds / request.min_batches / per_task_seconds) * request.workers
    by_count = total // request.min_batches // request.workers * request.workers
    return max(request.workers, min(by_budget, by_count))


def measuring_minimums(request: Request, per_task_seconds: float):
    """(batches, tasks, slow): the least a point measures before its budget may end it, the Swift runner's rule
    (`SweepPlan.measuringMinimums`). A point whose minimum batches of one round each (a round takes about one
    task's latency) would take longer than slowPointSeconds needs only slowPointBatches batches."""
    planned = (request.min_batches, request.min_tasks, False)
    rule = request.slow_point_seconds
    if request.tasks is not None or rule is None or request.slow_point_batches >= request.min_batches:
        return planned
    if not math.isfinite(per_task_seconds) or per_task_seconds * request.min_batches <= rule:
        return planned
    batches = request.slow_point_batches
    return batches, min(request.min_tasks, batches * request.workers), True


def next_batch_size(request: Request, per_batch: int, samples: int, batches: int, wall_ns: int,
                    minimums=None) -> int:
    """How many tasks the next batch runs; 0 when the point is done. `minimums` comes from measuring_minimums
    (default: the request's own minimums)."""
    if request.tasks is not None:
        return max(0, min(per_batch, request.tasks - samples))
    min_batches, min_tasks, _ = minimums or (request.min_batches, request.min_tasks, False)
    enough = batches >= min_batches and samples >= min_tasks
    if samples >= request.max_tasks or (enough and wall_ns >= request.budget_seconds * 1e9):
        return 0
    return max(0, min(per_batch, request.max_tasks - samples))


# --------------------------------------------------------------------------------------------------------------
# Running tasks: bounded submission, completion stamps, timeouts


class _Heartbeat:
    """Sleeps 1 ms in a loop on the event loop and records how late each wake-up was."""

    def __init__(self):
        self.since = None
        self.lags: list = []

    async def run(self):
        import asyncio
        while True:
            before = _now()
            await asyncio.sleep(0.001)
            if self.since is not None and before >= self.since:
                self.lags.append(max(0, _now() - before - 1_000_000))


class TaskRunner:
    """Runs `count` tasks with at most `workers` in flight (submit the next when one completes), the way a user's
    bounded loop does, and returns the raw records of one phase (warm-up or batch)."""

    def __init__(self, pool: TaskPool, obj, context, request: Request):
        self.pool = pool
        self.obj = obj
        self.context = context
        self.workers = request.workers
        self.timeout_ns = int(request.task_timeout_seconds * 1e9)
        self.next_task = 0
        self.loop = None
        self.heartbeat = None
        self.heartbeat_task = None
        self.async_inflight: dict = {}
        if request.use_async:
            import asyncio  # only here: asyncio costs every spawned worker ~30 ms to import
            self.loop = asyncio.new_event_loop()
            self.heartbeat = _Heartbeat()
            self.heartbeat_task = self.loop.create_task(self.heartbeat.run())  # held: the loop keeps tasks weakly

    def run(self, count: int):
        """(first submit ns, last completion ns, records, event-loop lags or None) of `count` tasks."""
        if self.loop is None:
            return self._run_sync(count) + (None,)
        self.heartbeat.since = _now()
        self.heartbeat.lags = []
        try:
            first, last, records = self.loop.run_until_complete(self._run_async(count))
        finally:
            self.heartbeat.since = None
        return first, last, records, self.heartbeat.lags

    def _submit_one(self, submit, inflight: dict, on_done):
        task = self.next_task
        self.next_task += 1
        submitted = _now()
        try:
            future, prepared = self.pool.submit_task(task, self.obj, self.context, submit)
        except concurrent.futures.BrokenExecutor as error:  # a worker died since the last completion
            raise self.pool.describe_failure(error)
        future.add_done_callback(functools.partial(on_done, task))
        inflight[task] = (submitted, future, prepared)
        return submitted

    def _complete(self, task: int, done_ns: int, inflight: dict):
        submitted, future, prepared = inflight.pop(task)
        self.pool.task_finished(task)
        error = future.exception()
        if error is not None:
            raise self.pool.describe_failure(error)
        return task, submitted, done_ns, future.result(), prepared

    def _wait_seconds(self, inflight: dict) -> float:
        oldest = min(submitted for submitted, _, _ in inflight.values())
        return max(0.0, (oldest + self.timeout_ns - _now()) / 1e9)

    def _timed_out(self, inflight: dict) -> DriverError:
        now = _now()
        late = sorted(task for task, (submitted, _, _) in inflight.items() if now - submitted >= self.timeout_ns)
        which = late[0] if late else min(inflight)
        return DriverError("timeout", f"Task {which} did not complete within {self.timeout_ns / 1e9:g} s.")

    def _run_sync(self, count: int):
        done: queue.SimpleQueue = queue.SimpleQueue()
        put = done.put

        def on_done(task, future):
            put((task, _now()))

        submit = self.pool.executor.submit
        inflight: dict = {}
        records: list = []
        first = None
        last = 0
        submitted = 0
        while len(records) < count:
            while submitted < count and len(inflight) < self.workers:
                stamp = self._submit_one(submit, inflight, on_done)
                first = stamp if first is None else first
                submitted += 1
            try:
                task, done_ns = done.get(timeout=self._wait_seconds(inflight))
            except queue.Empty:
                raise self._timed_out(inflight)
            last = max(last, done_ns)
            records.append(self._complete(task, done_ns, inflight))
        return first, last, records

    async def _run_async(self, count: int):
        import asyncio
        loop = asyncio.get_running_loop()
        executor = self.pool.executor

        def submit(fn, *args):
            return loop.run_in_executor(executor, fn, *args)

        finished: collections.deque = collections.deque()

        def on_done(task, future):  # runs on the event loop: when awaiting code sees the result
            finished.append((task, _now()))

        inflight = self.async_inflight = {}
        records: list = []
        first = None
        last = 0
        submitted = 0
        while len(records) < count:
            while submitted < count and len(inflight) < self.workers:
                stamp = self._submit_one(submit, inflight, on_done)
                first = stamp if first is None else first
                submitted += 1
            if not finished:
                futures = [future for _, future, _ in inflight.values()]
                await asyncio.wait(futures, timeout=self._wait_seconds(inflight),
                                   return_when=asyncio.FIRST_COMPLETED)
                if not finished:
                    await asyncio.sleep(0)  # let done callbacks scheduled together run
                if not finished:
                    raise self._timed_out(inflight)
            while finished:
                task, done_ns = finished.popleft()
                last = max(last, done_ns)
                records.append(self._complete(task, done_ns, inflight))
        return first, last, records

    def close(self):
        if self.loop is None or self.loop.is_closed():
            return
        import asyncio
        try:
            # Cancelled, the loop's futures tell their executor futures' callbacks not to reach a closed loop.
            for _, future, _ in self.async_inflight.values():
                future.cancel()
            pending = [task for task in asyncio.all_tasks(self.loop) if not task.done()]
            for task in pending:
                task.cancel()
            if pending:
                self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        except BaseException:
            pass
        finally:
            self.loop.close()


# --------------------------------------------------------------------------------------------------------------
# The `run` command


class Session:
    """What the running command holds, so every exit path can let go of it."""

    def __init__(self):
        self.pool = None
        self.runner = None

    def abort(self) -> bool:
        """Kill workers, remove scratch files and segments; True if every thread ended (a normal exit is safe)."""
        clean = True
        if self.runner is not None:
            self.runner.close()
        if self.pool is not None:
            try:
                clean = self.pool.abort(wait_seconds=5.0)
            finally:
                self.pool.cleanup()
        return clean


def _check_memory(request: Request):
    """Refuse a point that cannot fit, rather than let the kernel's OOM killer end it midway."""
    if request.size_bytes < (64 << 20):
        return
    available = _mem_available()
    if available is None:
        return
    factor = {"blob": 1, "numeric": 1, "text": 2, "records": 8, "tree": 8}[request.shape]
    size = request.size_bytes
    parent = size * (2 * factor + 2)  # the object, its pickle, and the copy pickle.loads makes for the rates
    workers = request.workers * size * (factor + 2 if request.pool != "thread" else 1)
    needed = parent + workers
    if needed > available:
        raise DriverError("memory", f"This point needs about {needed >> 20} MiB but only {available >> 20} MiB is "
                                    f"available; lower sizeBytes or workers.")


def pickle_calls_enough(count: int, total_ns: int, budget_ns: int, patience_ns: int, most: int) -> bool:
    """Whether measure_pickle_rates has timed enough calls: `most`, or budget_ns spent after at least 3 calls, or
    patience_ns spent after at least 1 (a 64 MB records pickle takes about 3 s here; three of each, per point,
    cost a Dask sweep over a minute for a figure the first call already gives within a few per cent)."""
    if count >= most:
        return True
    if count >= 3 and total_ns >= budget_ns:
        return True
    return count >= 1 and total_ns >= patience_ns


def measure_pickle_rates(obj, pickled_bytes: int, budget_ns: int = 200_000_000, most: int = 200,
                         patience_ns: int = 1_000_000_000):
    """(dumps, loads) bytes per second of pickle.dumps / pickle.loads at HIGHEST_PROTOCOL: the best of at least 3
    calls and as many more as fit in budget_ns (at most `most`), with the cyclic GC disabled, as `python3 -m
    timeit` runs its statement and reports the best of its repeats; calls that take over patience_ns together
    stop sooner (pickle_calls_enough). The first calls on a fresh object run slower (allocator arenas and caches
    still cold); timeit's warm-up hides that, and so does calling until the budget. In a point the object has been
    pickled by every task before this runs, and one untimed dumps comes first."""
    data = pickle.dumps(obj, PICKLE_PROTOCOL)

    def best_ns(fn) -> int:
        was_enabled = gc.isenabled()
        gc.disable()
        times: list = []
        total = 0
        try:
            while not pickle_calls_enough(len(times), total, budget_ns, patience_ns, most):
                started = _now()
                fn()
                times.append(_now() - started)
                total += times[-1]
        finally:
            if was_enabled:
                gc.enable()
        return max(1, min(times))

    dumps_ns = best_ns(lambda: pickle.dumps(obj, PICKLE_PROTOCOL))
    loads_ns = best_ns(lambda: pickle.loads(data))
    return int(pickled_bytes * 1e9 / dumps_ns), int(pickled_bytes * 1e9 / loads_ns)


def run_point(request: Request, session: Session, out: Output):
    _check_memory(request)
    config = WorkerConfig(request, os.getpid())
    pool = pool_class(request.pool)(request, config)
    session.pool = pool
    # The pool starts before the object exists, so forked workers do not inherit (and their GC walk) a copy.
    pool_start_ns = pool.start()

    started = _now()
    obj, pickled_bytes = generate_sized(request.shape, request.size_bytes, request.seed, request.numeric_kind)
    generate_ns = _now() - started
    pool.pickled_bytes = pickled_bytes
    started = _now()
    expected = checksum(obj)
    checksum_ns = _now() - started
    out.emit({
        "event": "ready", "protocol": PROTOCOL, "python": platform.python_version(), "pool": request.pool,
        "startMethod": pool.start_method, "workers": request.workers, "shape": request.shape,
        "sizeBytes": request.size_bytes, "pickleBytes": pickled_bytes, "objectBytes": estimate_object_bytes(obj),
        "generateNs": generate_ns, "checksumNs": checksum_ns, "poolStartNs": pool_start_ns,
        "workerPids": pool.worker_pids, "workerBaselineBytes": pool.worker_baseline_bytes,
        "numpy": request.uses_numpy, **pool.extra_ready(),
    })

    runner = TaskRunner(pool, obj, (expected, pickled_bytes), request)
    session.runner = runner
    _proc().reset_peak()
    worker_peaks: dict = {}
    latencies: list = []
    stage_sums: list = []
    all_lags: list = []

    def emit_samples(records, origin: int, warmup: bool):
        for task, submitted, done_ns, result, prepared in sorted(records, key=lambda record: record[0]):
            ns, cpu, encoded, worker, peak = pool.sample(task, result, prepared)
            if peak is not None:
                worker_peaks[worker] = max(worker_peaks.get(worker, 0), peak)
            if not warmup:
                latencies.append(done_ns - submitted)
                stage_sums.append(sum(ns.values()))
            out.emit({
                "event": "sample", "task": task, "warmup": warmup, "worker": worker, "ns": ns, "cpuNs": cpu,
                "latencyNs": done_ns - submitted, "startNs": submitted - origin, "endNs": done_ns - origin,
                "encodedBytes": encoded, "workerPeakBytes": peak,
            })

    per_task_seconds = 1e-3
    if request.warmup_tasks > 0:
        first, _, records, _ = runner.run(request.warmup_tasks)
        emit_samples(records, first, True)
        per_task_seconds = max(1e-6, _median([done - submitted for _, submitted, done, _, _ in records]) / 1e9)
    per_batch = per_batch_tasks(request, per_task_seconds)
    minimums = measuring_minimums(request, per_task_seconds)
    samples = batches = wall_ns = 0
    while True:
        target = next_batch_size(request, per_batch, samples, batches, wall_ns, minimums)
        if target <= 0:
            break
        first, last, records, lags = runner.run(target)
        batch_wall = last - first
        emit_samples(records, first, False)
        line = {"event": "batch", "tasks": len(records), "wallNs": batch_wall}
        if lags is not None:
            line["loopLagNs"] = lag_summary(lags)
            all_lags.extend(lags)
        out.emit(line)
        samples += len(records)
        wall_ns += batch_wall
        if batch_wall > 0:
            batches += 1

    parent_peak = _proc().read(b"VmHWM") or 0
    runner.close()
    session.runner = None
    pool.shutdown()
    pool.cleanup()
    session.pool = None
    dumps_rate, loads_rate = measure_pickle_rates(obj, pickled_bytes)
    peaks = [worker_peaks.get(i, baseline) for i, baseline in enumerate(pool.worker_baseline_bytes)]
    out.emit({
        "event": "done", "tasks": samples, "wallNs": wall_ns, "parentPeakBytes": parent_peak,
        "workerPeakBytes": peaks,
        "stageSumCheck": {"medianLatencyNs": _median(latencies), "medianStageSumNs": _median(stage_sums)},
        "loopLagNs": lag_summary(all_lags) if request.use_async else None,
        "pickleDumpsBytesPerSecond": dumps_rate, "pickleLoadsBytesPerSecond": loads_rate,
    })


# --------------------------------------------------------------------------------------------------------------
# The `baseline` command: a bare loop, no driver machinery


_BARE_COUNTER = itertools.count()


def _bare_pipeline(obj, expected: str, work_kind: str, work_rate: float, work_bytes: int, directory: str,
                   prefix: str, sync: bool):
    """The task as a user would write it by hand: the same verify, work, pickle and write as the driver's
    stages, with no stamps, markers or memory reads. The yardstick for the driver's own overhead."""
    if checksum(obj) != expected:
        raise VerifyFailed("The checksum the worker computed does not match the parent's.")
    _run_work(work_kind, work_rate, obj, work_bytes)
    data = pickle.dumps(obj, PICKLE_PROTOCOL)
    path = os.path.join(directory, f"{prefix}bare{os.getpid()}_{threading.get_ident()}_{next(_BARE_COUNTER)}.tmp")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        view = memoryview(data)
        offset = 0
        while offset < len(view):
            offset += os.write(fd, view[offset:offset + _WRITE_CHUNK])
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)
        os.unlink(path)
    return len(data)


class _BareLoop:
    """What a user writes: submit(fn, obj, ...) with `workers` futures in flight; a done callback stamps
    completion. `fn` is `_noop` (the executor's own cost) or `_bare_pipeline` (the whole task by hand)."""

    def __init__(self, executor, obj, workers: int, timeout_seconds: float, fn=None, args: tuple = ()):
        self.executor = executor
        self.obj = obj
        self.workers = workers
        self.timeout_seconds = timeout_seconds
        self.fn = fn or _noop
        self.args = args

    def run(self, count: int):
        latencies = []
        ends = {}
        starts = {}
        inflight = set()
        submitted = 0
        first = None
        last = 0
        while len(latencies) < count:
            while submitted < count and len(inflight) < self.workers:
                started = _now()
                future = self.executor.submit(self.fn, self.obj, *self.args)
                starts[future] = started
                future.add_done_callback(lambda f: ends.__setitem__(f, _now()))
                inflight.add(future)
                first = started if first is None else first
                submitted += 1
            done, inflight = concurrent.futures.wait(inflight, timeout=self.timeout_seconds,
                                                     return_when=concurrent.futures.FIRST_COMPLETED)
            if not done:
                raise DriverError("timeout", f"A task did not complete within {self.timeout_seconds:g} s.")
            for future in done:
                future.result()
                ended = ends.get(future) or _now()  # the callback may still be on its way
                latencies.append(ended - starts.pop(future))
                last = max(last, ended)
        return latencies, first, last


def run_baseline(request: Request, session: Session, out: Output):
    """Two bare loops on the point's pool: `noop` (the executor's own cost per task) and `pipeline` (the whole
    task written by hand); each emits a `baseline` line, then `done` sums both."""
    config = WorkerConfig(request, os.getpid())
    kind = ThreadPool if request.pool == "thread" else ProcessPool
    pool = kind(request, config)  # only for start-up and teardown; the loops themselves are _BareLoop
    session.pool = pool
    pool.start(wrap_feeder=False)
    obj, pickled_bytes = generate_sized(request.shape, request.size_bytes, request.seed, request.numeric_kind)
    args = (checksum(obj), config.work_kind, config.work_rate, pickled_bytes, config.scratch_directory,
            config.file_prefix, config.sync)
    loops = (("noop", _BareLoop(pool.executor, obj, request.workers, request.task_timeout_seconds)),
             ("pipeline", _BareLoop(pool.executor, obj, request.workers, request.task_timeout_seconds,
                                    _bare_pipeline, args)))
    total_tasks = total_wall_ns = 0
    try:
        for name, loop in loops:
            latencies, wall_ns = _measure_bare_loop(request, loop)
            out.emit({"event": "baseline", "pool": request.pool, "task": name, "tasks": len(latencies),
                      "wallNs": wall_ns, "latencyNs": latencies})
            total_tasks += len(latencies)
            total_wall_ns += wall_ns
    except concurrent.futures.BrokenExecutor as error:
        raise pool.describe_failure(error)
    pool.shutdown()
    session.pool = None
    out.emit({"event": "done", "tasks": total_tasks, "wallNs": total_wall_ns})


def _measure_bare_loop(request: Request, loop: _BareLoop):
    """Warm-up, then batches as a `run` point sizes them: (latencies, summed batch wall time)."""
    per_task_seconds = 1e-3
    latencies: list = []
    batches = wall_ns = 0
    if request.warmup_tasks > 0:
        warm, _, _ = loop.run(request.warmup_tasks)
        per_task_seconds = max(1e-6, _median(warm) / 1e9)
    per_batch = per_batch_tasks(request, per_task_seconds)
    minimums = measuring_minimums(request, per_task_seconds)
    while True:
        target = next_batch_size(request, per_batch, len(latencies), batches, wall_ns, minimums)
        if target <= 0:
            break
        batch, first, last = loop.run(target)
        latencies += batch
        wall_ns += last - first
        batches += 1 if last > first else 0
    return latencies, wall_ns


# --------------------------------------------------------------------------------------------------------------
# Entry point


def probe() -> dict:
    return {
        "event": "probe", "protocol": PROTOCOL, "python": platform.python_version(),
        "implementation": platform.python_implementation(), "executable": sys.executable,
        "startMethods": multiprocessing.get_all_start_methods(),
        "defaultStartMethod": multiprocessing.get_context().get_start_method(),
        "numpy": numpy_available(), "pickleProtocol": pickle.HIGHEST_PROTOCOL,
        "distributed": _dask_module().available(),
    }


def _on_signal(signum, frame):
    # Ignore further signals while tearing down; the first one decides the exit status.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Interrupted(signum)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Output()
    if len(argv) != 1 or argv[0] not in ("probe", "run", "baseline", "bench", "dask-comm"):
        out.error("badRequest", "Usage: payloadlab_driver.py probe | run | baseline | bench | dask-comm (the request "
                                "on stdin).", field="command")
        return 2
    if argv[0] == "probe":
        out.emit(probe())
        return 0
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    session = Session()
    code = 0
    clean = True
    try:
        if _EARLY_SIGNALS:  # arrived while the interpreter was importing this module
            raise Interrupted(_EARLY_SIGNALS[0])
        if argv[0] == "bench":
            _bench_module().run_bench(sys.modules[__name__], sys.stdin.buffer.read(), session, out)
        elif argv[0] == "dask-comm":
            _dask_module().run_comm_baseline(sys.modules[__name__], sys.stdin.buffer.read(), out)
        else:
            request = parse_request(sys.stdin.buffer.read())
            (run_point if argv[0] == "run" else run_baseline)(request, session, out)
        _ignore_signals()  # the point is done and reported: a late signal must not turn exiting into a traceback
    except Interrupted as stop:
        code = _SIGNAL_EXIT.get(stop.signum, 128 + stop.signum)
        clean = session.abort()
        _emit_quietly(out, "interrupted", f"Stopped by {signal.Signals(stop.signum).name}; workers, scratch files "
                                          f"and shared memory were cleaned up.")
    except DriverError as error:
        code = error.exit_code
        _ignore_signals()
        clean = session.abort()
        _emit_quietly(out, error.kind, error.message, error.field)
    except MemoryError:
        code = 3
        _ignore_signals()
        clean = session.abort()
        _emit_quietly(out, "memory", "The driver ran out of memory; lower sizeBytes or workers.")
    except BrokenPipeError:
        code = 1
        _ignore_signals()
        clean = session.abort()
    except Exception as error:  # a bug here: say so on stdout, and the traceback on stderr
        code = 1
        _ignore_signals()
        traceback.print_exc()
        clean = session.abort()
        _emit_quietly(out, "internal", f"The driver failed with {type(error).__name__}: {error}")
    if not clean:  # a thread that would not stop would hold the interpreter's exit forever
        _flush_quietly()
        os._exit(code)
    return code


def _ignore_signals():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _emit_quietly(out: Output, kind: str, message: str, field: str | None = None):
    try:
        out.error(kind, message, field)
    except (BrokenPipeError, ValueError, OSError):
        pass


def _flush_quietly():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


if __name__ == "__main__":
    sys.exit(main())
