"""payloadlab's Dask pool: the same task through a real dask.distributed cluster, over TCP.

Imported by payloadlab_driver.py only when a request's pool is "dask" or "dask:scatter", so the driver's default
path stays standard-library only. Needs the `distributed` package (`make python-deps` installs it in .venv).

The cluster is a `distributed.LocalCluster` on 127.0.0.1 (N worker processes, one thread each, TCP, no dashboard)
or, with "daskScheduler" in the request, an existing scheduler (tcp://HOST:PORT) whose workers run the task on
their own hosts. LocalCluster keeps its scheduler in the client's process (on the client's event-loop thread,
even with processes=True: only the workers are processes); the ready line says so ("schedulerInProcess").

Two ways a Dask user ships an object, one pool kind each:

- "dask" (daskMode "submit"): ``client.submit(fn, obj)``. Dask pickles the argument into the task in the client,
  sends it to the scheduler, which unpickles the graph and sends the task on to a worker.
- "dask:scatter" (daskMode "scatter"): ``client.scatter(obj)`` first (it returns once the data is on a worker),
  then ``client.submit(fn, future)``; the task runs where the data is.

Where the stamps come from: the object travels between two markers, as through the stdlib pool. A marker's
``__reduce__`` stamps the process that pickles it (the first pickling in the client is "serialize"); its
reconstruction stamps the process that unpickles it (in the worker: "deserialize"). "transfer" is from the end of
the client's pickle to the start of the worker's unpickle: the network hops and, in submit mode, the scheduler's
own unpickle and re-pickle of the task. In scatter mode the same three stages describe the scatter. Then the
worker runs the driver's own stages (verify, work, reserialize, write to its own disk).
"""
from __future__ import annotations

import os
import sys
import time
import types
import uuid

_now = time.monotonic_ns
_cpu = time.thread_time_ns

MODES = {"dask": "submit", "dask:scatter": "scatter"}
PACKAGE = "distributed"
INSTALL_HINT = "run `make python-deps` in payloadlab's checkout and pass --python .venv/bin/python3"

_DRIVER = None
_CLIENT_MARKS: dict = {}  # task -> [[start m, start cpu, end m, end cpu], ...], one entry per pickling here
_WORKER_MARKS: dict = {}  # task -> [start m, start cpu, end m, end cpu] of the last unpickling here


def bind(driver_module):
    """The running driver (imported as __main__ or by the tests); workers import payloadlab_driver instead."""
    global _DRIVER
    _DRIVER = driver_module


def _driver():
    global _DRIVER
    if _DRIVER is None:
        import payloadlab_driver  # in a Dask worker: the driver beside this file, imported as a plain module
        _DRIVER = payloadlab_driver
    return _DRIVER


def available() -> bool:
    """Whether `distributed` can be imported here (found, not imported: the probe stays fast)."""
    import importlib.util
    try:
        return importlib.util.find_spec(PACKAGE) is not None
    except (ImportError, ValueError):
        return False


# --------------------------------------------------------------------------------------------------------------
# Markers


class StartMarker:
    """Placed just before the object: stamps where pickling and unpickling reach it, in whichever process."""

    __slots__ = ("task",)

    def __init__(self, task: int):
        self.task = task

    def __reduce__(self):
        _CLIENT_MARKS.setdefault(self.task, []).append([_now(), _cpu()])
        return _rebuild_start, (self.task,)


class EndMarker:
    """Placed just after the object: ends the pickling (or unpickling) that StartMarker began."""

    __slots__ = ("task",)

    def __init__(self, task: int):
        self.task = task

    def __reduce__(self):
        entries = _CLIENT_MARKS.get(self.task)
        if entries and len(entries[-1]) == 2:
            entries[-1] += (_now(), _cpu())
        return _rebuild_end, (self.task,)


def _rebuild_start(task: int) -> StartMarker:
    stamp = [_now(), _cpu()]
    if _DRIVER is not None or "payloadlab_driver" in sys.modules:
        _driver()._proc().reset_peak()  # the task's peak memory starts as its object arrives
    _WORKER_MARKS[task] = stamp
    return StartMarker(task)  # a marker again, so a scheduler that re-pickles the task keeps it


def _rebuild_end(task: int) -> EndMarker:
    marks = _WORKER_MARKS.get(task)
    if marks is not None and len(marks) == 2:
        marks += (_now(), _cpu())
    return EndMarker(task)


# --------------------------------------------------------------------------------------------------------------
# Worker side


def worker_hello():
    """Start-up's round trip: (pid, resident bytes); also imports the driver before the first task needs it."""
    return os.getpid(), _driver()._proc().read(b"VmRSS") or 0


def _worker_config(settings: dict):
    config = types.SimpleNamespace(**settings)
    if not os.path.isdir(config.scratch_directory):  # a worker on another host: its own temporary directory
        import tempfile
        config.scratch_directory = tempfile.gettempdir()
    return config


def run_task(start: StartMarker, obj, end: EndMarker, context, settings: dict):
    """The task in a Dask worker: the object is already unpickled; verify, work, reserialize, write."""
    task = start.task
    stamps = list((_WORKER_MARKS.pop(task, None) or [0, 0, 0, 0])[:4])
    if len(stamps) < 4:
        stamps = [0, 0, 0, 0]
    stamps += (_now(), _cpu())
    driver = _driver()
    written = driver._run_stages(obj, task, context, _worker_config(settings), stamps)
    return os.getpid(), driver._proc().read(b"VmHWM"), written, stamps


def run_scattered(parcel, context, settings: dict):
    """scatter mode: the parcel (start, obj, end) was scattered first; the task receives it in place."""
    start, obj, end = parcel
    return run_task(start, obj, end, context, settings)


# --------------------------------------------------------------------------------------------------------------
# The pool


def pool_class(driver):
    """DaskPool, a TaskPool of the driver given (so it shares the driver's classes, not a second copy of them)."""
    bind(driver)

    class DaskPool(driver.TaskPool):
        """A dask.distributed cluster behind the driver's TaskPool interface."""

        kind = "dask"

        def __init__(self, request, config):
            super().__init__(request, config)
            self.mode = MODES[request.pool]
            self.scheduler_address = request.dask_scheduler
            self.cluster = None
            self.client = None
            self.scheduler_in_process = None
            self.worker_addresses: list = []
            self.scheduler_listen = None
            self.scattered: dict = {}
            self.index: dict = {}
            self.settings = {
                "scratch_directory": config.scratch_directory, "sync": config.sync, "work_kind": config.work_kind,
                "work_rate": config.work_rate, "file_prefix": config.file_prefix, "fault": config.fault,
                "fault_task": config.fault_task,
            }

        def start(self, wrap_feeder: bool = True) -> int:
            import logging
            import warnings
            import dask
            import distributed
            # Large arguments are what this pool measures: Dask's advice to scatter them is the other mode.
            warnings.filterwarnings("ignore", message=".*Large object.*")
            warnings.filterwarnings("ignore", category=UserWarning, module="distributed")
            started = _now()
            settings = {
                "distributed.scheduler.allowed-failures": 0,  # a killed worker fails the point, as a local pool's does
                "distributed.worker.memory.target": False, "distributed.worker.memory.spill": False,
                "distributed.worker.memory.pause": False, "distributed.worker.memory.terminate": False,
                "distributed.admin.system-monitor.gil.enabled": False,
            }
            if self.request.start_method is not None:
                settings["distributed.worker.multiprocessing-method"] = self.request.start_method
            dask.config.set(settings)
            self.start_method = dask.config.get("distributed.worker.multiprocessing-method", None)
            wait_seconds = self.request.task_timeout_seconds + 60.0
            try:
                if self.scheduler_address is None:
                    self.cluster = distributed.LocalCluster(
                        n_workers=self.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                        protocol="tcp", dashboard_address=None, memory_limit=0,
                        silence_logs=logging.ERROR, death_timeout=wait_seconds)
                    self.scheduler_in_process = True
                    self.client = distributed.Client(self.cluster, timeout=wait_seconds, set_as_default=False)
                else:
                    self.scheduler_in_process = False
                    self.client = distributed.Client(self.scheduler_address, timeout=wait_seconds,
                                                     set_as_default=False)
                    for path in (driver.__file__, __file__):  # the workers of a remote cluster lack both files
                        self.client.upload_file(path, load=False)
                    self.client.wait_for_workers(1, timeout=wait_seconds)
            except OSError as error:
                raise driver.DriverError("daskCluster", f"The Dask cluster did not start or answer ({error}).")
            except Exception as error:
                if type(error).__name__ == "TimeoutError" or isinstance(error, TimeoutError):
                    where = self.scheduler_address or "the local cluster"
                    raise driver.DriverError("timeout", f"The Dask scheduler at {where} did not answer within "
                                                        f"{wait_seconds:g} s.")
                raise
            self.scheduler_listen = self.client.scheduler.address
            answers = self.client.run(worker_hello)  # {worker address: (pid, rss)}, one round trip each
            self.worker_addresses = sorted(answers)
            self.workers = len(self.worker_addresses)
            ordered = sorted(answers.values())
            self.worker_pids = [pid for pid, _ in ordered]
            self.worker_baseline_bytes = [rss for _, rss in ordered]
            self.index = {pid: i for i, pid in enumerate(self.worker_pids)}
            self.executor = self.client
            return _now() - started

        def submit_task(self, task, obj, context, submit):
            key = f"plab-{task}-{uuid.uuid4().hex[:8]}"  # a key of its own: no tokenizing of the object
            if self.mode == "submit":
                future = self.client.submit(run_task, StartMarker(task), obj, EndMarker(task), context,
                                            self.settings, key=key, pure=False)
                return future, None
            t0 = _now()
            [data] = self.client.scatter([(StartMarker(task), obj, EndMarker(task))], hash=False)
            t1 = _now()
            self.scattered[task] = data
            future = self.client.submit(run_scattered, data, context, self.settings, key=key, pure=False)
            return future, (t0, t1)

        def task_finished(self, task):
            data = self.scattered.pop(task, None)
            if data is not None:
                try:
                    data.release()
                except Exception:
                    pass

        def sample(self, task, result, prepared):
            pid, peak, written, stamps = result
            entries = _CLIENT_MARKS.pop(task, None) or []
            client = entries[0] if entries and len(entries[0]) == 4 else [0, 0, 0, 0]
            ns = {"serialize": client[2] - client[0], "transfer": stamps[0] - client[2],
                  "deserialize": stamps[2] - stamps[0]}
            cpu = {"serialize": client[3] - client[1], "transfer": 0, "deserialize": stamps[3] - stamps[1]}
            driver._chain(stamps, 2, ("verify", "work", "reserialize", "write", "sync") if self.config.sync else
                          ("verify", "work", "reserialize", "write"), ns, cpu)
            return ns, cpu, self.pickled_bytes, self._worker_index(pid), peak

        def _worker_index(self, pid: int) -> int:
            if pid not in self.index:
                self.index[pid] = len(self.index)  # a worker the nanny restarted, or one that joined later
            return self.index[pid]

        def describe_failure(self, error):
            name = type(error).__name__
            if name == "VerifyFailed":  # the worker's own copy of the driver's class
                return driver.DriverError("verify", str(error))
            if name == "_Stopped":
                return driver.DriverError("interrupted", "The task was stopped.")
            if name == "KilledWorker":
                return driver.DriverError("workerDied", f"A Dask worker died during a task ({error}).")
            if name in ("CancelledError", "FutureCancelledError"):
                return driver.DriverError("workerDied", f"Dask cancelled a task ({error}); a worker or the "
                                                        f"scheduler went away.")
            return super().describe_failure(error)

        def shutdown(self):
            self._close(wait_seconds=30.0)

        def abort(self, wait_seconds):
            driver._STOPPING.set()
            self._close(wait_seconds=wait_seconds)
            return True

        def _close(self, wait_seconds: float):
            """Close the client and the cluster; then end any worker process that outlived them."""
            for task in list(self.scattered):
                self.task_finished(task)
            client, cluster = self.client, self.cluster
            self.client = self.cluster = self.executor = None
            for closable in (client, cluster):
                if closable is None:
                    continue
                try:
                    closable.close(timeout=wait_seconds)
                except Exception:
                    pass
            if cluster is not None:
                _end_processes(self.worker_pids, wait_seconds)

        def extra_ready(self) -> dict:
            return {"daskMode": self.mode, "daskScheduler": self.scheduler_address or "local",
                    "schedulerInProcess": self.scheduler_in_process,
                    "daskAddresses": [self.scheduler_listen] + self.worker_addresses}

    return DaskPool


def _end_processes(pids, wait_seconds: float):
    """Wait for the local cluster's worker processes to be gone; SIGKILL (and reap) any still there at the end."""
    import signal
    deadline = time.monotonic() + wait_seconds
    for pid in pids:
        while True:
            try:
                if os.waitpid(pid, os.WNOHANG)[0]:
                    break
            except ChildProcessError:  # not ours to reap (or reaped already): is it still there?
                try:
                    os.kill(pid, 0)
                except OSError:
                    break
            if time.monotonic() >= deadline:
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                except (OSError, ChildProcessError):
                    pass
                break
            time.sleep(0.05)
