"""payloadlab's Dask pool: the same task through a real dask.distributed cluster, over TCP.

Imported by payloadlab_driver.py only when a request's pool is "dask" or "dask:scatter", so the driver's default
path stays standard-library only. Needs the `distributed` package (`make python-deps` installs it in .venv).

The local cluster is one scheduler process and N worker processes of one thread each, on 127.0.0.1 over TCP with
no dashboard, started for the point by this driver (`python -m dask spec`, as distributed's SubprocessCluster
does) and stopped at its end; or, with "daskScheduler" in the request, an existing scheduler (tcp://HOST:PORT) whose
workers run the task on their own hosts. The scheduler runs in its own process, as a deployed one does, so its work
does not share the client's interpreter and GIL ("schedulerInProcess": false in the ready line, "schedulerPid" its
pid). Local workers run without a nanny: each is the driver's own child, so its pid is the one the ready line
reports. Every child is a fresh interpreter (fork and exec by subprocess, "startMethod": "exec") that the kernel
SIGKILLs when the driver dies (PR_SET_PDEATHSIG), so a driver killed outright leaves no scheduler or worker; the
scheduler's address file and the children's stderr files live in /dev/shm named plab<driver pid>_..., which the
Swift parent removes after the driver has ended however it ended. Dask settings reach the children through DASK_*
environment variables.

Two ways a Dask user ships an object, one pool kind each:

- "dask" (daskMode "submit"): ``client.submit(fn, obj)``. Dask pickles the argument into the task in the client,
  sends it to the scheduler, which unpickles the graph and sends the task on to a worker.
- "dask:scatter" (daskMode "scatter"): ``client.scatter(obj)`` first (it returns once the data is on a worker),
  then ``client.submit(fn, future)``; the task runs where the data is. As Dask does by default for a client outside
  the cluster, the data goes to the scheduler, which forwards it to a worker (``direct=True`` would skip that hop).

Where the stamps come from: the object travels between two markers, as through the stdlib pool. A marker's
``__reduce__`` stamps the process that pickles it (the first pickling in the client is "serialize"); its
reconstruction stamps the process that unpickles it (in the worker: "deserialize"). "transfer" is from the end of
the client's pickle to the start of the worker's unpickle: the network hops and, in submit mode, the scheduler's
own unpickle and re-pickle of the task. In scatter mode the same three stages describe the scatter. Then the
worker runs the driver's own stages (verify, work, reserialize, write to its own disk).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import types
import uuid

_now = time.monotonic_ns
_cpu = time.thread_time_ns

MODES = {"dask": "submit", "dask:scatter": "scatter"}
PACKAGE = "distributed"
INSTALL_HINT = "run `make python-deps` in payloadlab's checkout and pass --python .venv/bin/python3"
START_METHOD = "exec"  # local workers are fresh interpreters started by subprocess, not multiprocessing children
SHM_DIRECTORY = "/dev/shm"  # where the Swift parent removes plab<driver pid>_* after the driver ends

# The Dask settings of a local cluster, for the scheduler's and the workers' own processes (dask reads DASK_*
# variables at import: "__" separates the levels, values are Python literals).
CHILD_SETTINGS = {
    "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0",  # a killed worker fails the point, as a local pool's does
    "DASK_DISTRIBUTED__WORKER__MEMORY__TARGET": "False",
    "DASK_DISTRIBUTED__WORKER__MEMORY__SPILL": "False",
    "DASK_DISTRIBUTED__WORKER__MEMORY__PAUSE": "False",
    "DASK_DISTRIBUTED__WORKER__MEMORY__TERMINATE": "False",
    "DASK_DISTRIBUTED__ADMIN__SYSTEM_MONITOR__GIL__ENABLED": "False",
    "DASK_LOGGING__DISTRIBUTED": "error",
}

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
            self.local = None  # LocalProcesses without daskScheduler
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
            import dask
            import warnings
            # Large arguments are what this pool measures: Dask's advice to scatter them is the other mode.
            warnings.filterwarnings("ignore", message=".*Large object.*")
            warnings.filterwarnings("ignore", category=UserWarning, module="distributed")
            started = _now()
            # The client's own process; the local cluster's processes get the same through CHILD_SETTINGS.
            dask.config.set({
                "distributed.scheduler.allowed-failures": 0,
                "distributed.worker.memory.target": False, "distributed.worker.memory.spill": False,
                "distributed.worker.memory.pause": False, "distributed.worker.memory.terminate": False,
                "distributed.admin.system-monitor.gil.enabled": False,
            })
            wait_seconds = self.request.task_timeout_seconds + 60.0
            if self.scheduler_address is None:
                self.scheduler_in_process = False
                self.start_method = START_METHOD
                self.local = LocalProcesses(driver.NAME_PREFIX, wait_seconds,
                                            scratch_directory=self.config.scratch_directory)
                # All at once: each interpreter imports distributed (most of start-up) while the others do.
                self.local.start_scheduler()
                self.local.start_workers(self.workers)
                self.client = self._connect(self.local.scheduler_address(), wait_seconds)
                self.local.wait_for_workers(self.client, self.workers)
            else:
                self.scheduler_in_process = False
                self.client = self._connect(self.scheduler_address, wait_seconds)
                for path in (driver.__file__, __file__):  # the workers of a remote cluster lack both files
                    self.client.upload_file(path, load=False)
                try:
                    self.client.wait_for_workers(1, timeout=wait_seconds)
                except Exception as error:
                    if type(error).__name__ == "TimeoutError" or isinstance(error, TimeoutError):
                        raise driver.DriverError("timeout", f"No Dask worker joined the scheduler at "
                                                            f"{self.scheduler_address} within {wait_seconds:g} s.")
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

        def _connect(self, address: str, wait_seconds: float):
            import distributed
            try:
                return distributed.Client(address, timeout=wait_seconds, set_as_default=False)
            except Exception as error:
                if type(error).__name__ == "TimeoutError" or isinstance(error, TimeoutError):
                    raise driver.DriverError("timeout", f"The Dask scheduler at {address} did not answer within "
                                                        f"{wait_seconds:g} s.")
                if isinstance(error, OSError):
                    raise driver.DriverError("daskCluster", f"The Dask scheduler at {address} did not answer "
                                                            f"({error}).")
                raise

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
                self.index[pid] = len(self.index)  # a worker that joined a remote scheduler later
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
            """Close the client, then end the local cluster's processes and remove their files."""
            for task in list(self.scattered):
                self.task_finished(task)
            client, local = self.client, self.local
            self.client = self.local = self.executor = None
            deadline = time.monotonic() + wait_seconds  # one budget for both steps
            if client is not None:
                try:
                    client.close(timeout=wait_seconds)
                except Exception:
                    pass
            if local is not None:
                local.close(max(1.0, deadline - time.monotonic()))

        def extra_ready(self) -> dict:
            return {"daskMode": self.mode, "daskScheduler": self.scheduler_address or "local",
                    "schedulerInProcess": self.scheduler_in_process,
                    "schedulerPid": self.local.scheduler_pid if self.local is not None else None,
                    "daskAddresses": [self.scheduler_listen] + self.worker_addresses}

    return DaskPool


class LocalProcesses:
    """The local cluster: a scheduler process and worker processes this driver starts, watches and ends.

    Started from the main thread: PR_SET_PDEATHSIG fires when the thread that forked a child ends, and the main
    thread lasts as long as the driver. Each child's stdout goes to /dev/null and its stderr to a file in /dev/shm,
    read only to explain a failed start and removed at close (a pipe nobody reads would stall a chatty child).
    """

    def __init__(self, name_prefix: str, wait_seconds: float, executable: str = sys.executable,
                 scratch_directory: str | None = None):
        self.wait_seconds = wait_seconds
        # The workers' own folder (spill space, locks), inside the point's scratch directory: removed at close,
        # and by payloadlab with the scratch directory when the driver was killed before it could.
        self.local_directory = None
        if scratch_directory and os.path.isdir(scratch_directory):
            self.local_directory = os.path.join(scratch_directory, f"{name_prefix}{os.getpid()}_dask-workers")
        self.executable = executable  # the driver's own interpreter (tests give a stand-in)
        directory = SHM_DIRECTORY if os.path.isdir(SHM_DIRECTORY) else __import__("tempfile").gettempdir()
        self.stem = os.path.join(directory, f"{name_prefix}{os.getpid()}_dask-{uuid.uuid4().hex[:12]}")
        self.scheduler_file = f"{self.stem}-scheduler.json"
        self.scheduler = None
        self.workers: list = []  # subprocess.Popen, in start order
        self.files: list = [self.scheduler_file]
        self.environment = _child_environment()
        if self.local_directory is not None:  # the scheduler's scratch space too, not /tmp/dask-scratch-space
            self.environment["DASK_TEMPORARY_DIRECTORY"] = self.local_directory
        self.death_signal = _death_signal_setter()

    @property
    def scheduler_pid(self):
        return self.scheduler.pid if self.scheduler is not None else None

    def _spawn(self, role: str, arguments: list) -> subprocess.Popen:
        error_path = f"{self.stem}-{role}.stderr"
        self.files.append(error_path)
        with open(error_path, "wb") as error_file:
            return subprocess.Popen([self.executable, "-m", "dask", "spec", *arguments], stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=error_file, env=self.environment,
                                    preexec_fn=self.death_signal, close_fds=True)

    def start_scheduler(self):
        """Starts the scheduler, on a port of the kernel's choosing; it writes its address to scheduler_file."""
        spec = {"cls": "distributed.Scheduler", "opts": {
            "host": "127.0.0.1", "port": 0, "dashboard": False, "scheduler_file": self.scheduler_file}}
        self.scheduler = self._spawn("scheduler", ["--spec", json.dumps(spec)])

    def scheduler_address(self) -> str:
        """The scheduler's address, once it listens; fails if the scheduler exits or the deadline passes first."""
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                with open(self.scheduler_file) as f:
                    return json.load(f)["address"]
            except (OSError, ValueError, KeyError):  # not there yet, or half written
                pass
            code = self.scheduler.poll()
            if code is not None:
                raise _driver().DriverError("daskCluster", f"The Dask scheduler process exited with status {code} "
                                                           f"before it listened{self._tail('scheduler')}")
            if time.monotonic() >= deadline:
                raise _driver().DriverError("timeout", f"The Dask scheduler process did not listen within "
                                                       f"{self.wait_seconds:g} s{self._tail('scheduler')}")
            time.sleep(0.02)

    def start_workers(self, count: int):
        """Starts the workers; each reads the scheduler's address from scheduler_file, waiting for it if need be."""
        for index in range(count):
            spec = {"cls": "distributed.Worker", "opts": {
                "scheduler_file": self.scheduler_file, "host": "127.0.0.1", "nthreads": 1, "memory_limit": 0,
                "death_timeout": self.wait_seconds, "name": f"{os.path.basename(self.stem)}-worker{index}"}}
            if self.local_directory is not None:
                spec["opts"]["local_directory"] = self.local_directory
            self.workers.append(self._spawn(f"worker{index}", ["--spec", json.dumps(spec)]))

    def wait_for_workers(self, client, count: int):
        """Returns once `count` workers have joined; fails at once if one of them exits first."""
        deadline = time.monotonic() + self.wait_seconds
        while len(client.nthreads()) < count:
            for index, worker in enumerate(self.workers):
                code = worker.poll()
                if code is not None:
                    raise _driver().DriverError("daskCluster", f"Dask worker {index} exited with status {code} "
                                                               f"before it joined{self._tail(f'worker{index}')}")
            if self.scheduler.poll() is not None:
                raise _driver().DriverError("daskCluster", f"The Dask scheduler process exited with status "
                                                           f"{self.scheduler.returncode} while workers joined"
                                                           f"{self._tail('scheduler')}")
            if time.monotonic() >= deadline:
                raise _driver().DriverError("timeout", f"Only {len(client.nthreads())} of {count} Dask workers "
                                                       f"joined within {self.wait_seconds:g} s"
                                                       f"{self._tail('worker0')}")
            time.sleep(0.02)

    def _tail(self, role: str, limit: int = 400) -> str:
        """'; its stderr ended: …' with the last lines of a child's stderr on one line, or '.' when it said nothing."""
        try:
            with open(f"{self.stem}-{role}.stderr", "rb") as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - 4096))
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return "."
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines:
            return "."
        tail = " | ".join(lines[-3:])
        return f"; its stderr ended: {tail[-limit:]}"

    def close(self, wait_seconds: float):
        """SIGTERM the workers and the scheduler, reap them by the deadline, SIGKILL (and reap) the rest, and
        remove the files. Safe to call twice, and after a start that failed halfway."""
        children = [child for child in self.workers + [self.scheduler] if child is not None]
        for child in children:
            if child.poll() is None:
                try:
                    child.send_signal(signal.SIGTERM)
                except OSError:
                    pass
        deadline = time.monotonic() + wait_seconds
        for child in children:
            try:
                child.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for child in children:
            if child.poll() is None:
                try:
                    child.kill()
                    child.wait(timeout=10)
                except (OSError, subprocess.TimeoutExpired):
                    pass
        for path in self.files:
            try:
                os.unlink(path)
            except OSError:
                pass
        if self.local_directory is not None:
            __import__("shutil").rmtree(self.local_directory, ignore_errors=True)


def _child_environment() -> dict:
    """The driver's environment, with the Dask settings and this folder on PYTHONPATH (workers import the driver
    and this module by name)."""
    environment = dict(os.environ)
    environment.update(CHILD_SETTINGS)
    here = os.path.dirname(os.path.abspath(__file__))
    path = environment.get("PYTHONPATH")
    environment["PYTHONPATH"] = here + (os.pathsep + path if path else "")
    return environment


def _death_signal_setter():
    """A preexec_fn that makes the kernel SIGKILL the child when the driver's main thread ends (prctl
    PR_SET_PDEATHSIG); it ends the child at once if the driver already died before the call."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    prctl = libc.prctl
    parent = os.getpid()
    pr_set_pdeathsig = 1

    def set_death_signal():
        prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return set_death_signal


# --------------------------------------------------------------------------------------------------------------
# Dask's own comm, with no scheduler and no task: the most any Dask transfer carries on this machine

COMM_ECHO = "comm-echo"
COMM_ROUND_TRIPS = 50  # small messages timed for the comm's round trip
COMM_SIZE_BUDGET_NS = 300_000_000  # messages of one size: at least `rounds`, then more until this much time
COMM_MOST_ROUNDS = 200


def parse_comm_request(driver, text) -> dict:
    """A `dask-comm` request: {"protocol", "sizes": [bytes, ...], "rounds", "timeoutSeconds"}."""
    raw = driver.parse_command_request(text, {"protocol", "sizes", "rounds", "timeoutSeconds"})
    sizes = raw.get("sizes")
    if (not isinstance(sizes, list) or not sizes
            or not all(driver._is_int(size) and 1 <= size <= 1 << 34 for size in sizes)):
        raise driver.BadRequest("sizes", "'sizes' must list whole numbers of bytes from 1 to 16 GiB.")
    rounds = raw.get("rounds")
    if not driver._is_int(rounds) or not 1 <= rounds <= 1000:
        raise driver.BadRequest("rounds", "'rounds' must be a whole number from 1 to 1000.")
    timeout = raw.get("timeoutSeconds")
    if not driver._is_number(timeout) or timeout <= 0:
        raise driver.BadRequest("timeoutSeconds", "'timeoutSeconds' must be a positive number of seconds.")
    return {"sizes": sizes, "rounds": rounds, "timeoutSeconds": float(timeout)}


def run_comm_baseline(driver, text, out, executable: str = sys.executable):
    """The driver's `dask-comm` command: one line per size, then done with the comm's small round trip."""
    request = parse_comm_request(driver, text)
    if not available():
        raise driver.DriverError("missingDependency", f"Dask's comm cannot be measured: the {PACKAGE} package is "
                                                      f"not importable by this interpreter; {INSTALL_HINT}.")
    readings, round_trip_ns = comm_baseline(request["sizes"], request["rounds"], request["timeoutSeconds"],
                                            executable)
    for size, times in readings:
        out.emit({"event": "daskComm", "sizeBytes": size, "rounds": len(times), "medianNs": driver._median(times),
                  "bestNs": min(times)})
    out.emit({"event": "done", "roundTripNs": round_trip_ns})


def comm_baseline(sizes: list, rounds: int, wait_seconds: float, executable: str = sys.executable):
    """([(size, [ns per round])], round trip ns): messages of each size sent with distributed.comm over TCP on
    127.0.0.1 from this process to a child interpreter that answers each with b"ok", as Dask's own processes talk:
    the bytes wrapped in to_serialize travel as a frame of their own (Dask's serializer for bytes copies nothing),
    and the child keeps what it reads serialized. So a round holds what a Dask transfer stage holds (framing, the
    socket, the receiver's fresh buffer) and no pickling at either end, plus the answer. One untimed message per
    size first, then at least `rounds` and more until COMM_SIZE_BUDGET_NS; the round trip is the median of small
    messages. The child dies with this process (PR_SET_PDEATHSIG) and ends when its stdin closes."""
    import asyncio
    from distributed.comm import connect
    from distributed.protocol import to_serialize

    server = subprocess.Popen([executable, os.path.abspath(__file__), COMM_ECHO], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_child_environment(),
                              preexec_fn=_death_signal_setter(), close_fds=True)
    try:
        address = _comm_address(server, wait_seconds)

        async def measure():
            comm = await asyncio.wait_for(connect(address, deserialize=True), wait_seconds)
            try:
                readings = []
                for size in sizes:
                    data = os.urandom(size)
                    times = []
                    index = spent = 0
                    while len(times) < min(rounds, COMM_MOST_ROUNDS) or (
                            spent < COMM_SIZE_BUDGET_NS and len(times) < COMM_MOST_ROUNDS):
                        started = _now()
                        await asyncio.wait_for(comm.write({"data": to_serialize(data)}), wait_seconds)
                        await asyncio.wait_for(comm.read(), wait_seconds)
                        if index > 0:  # the first message of a size is the warm-up
                            times.append(_now() - started)
                            spent += times[-1]
                        index += 1
                    del data
                    readings.append((size, times))
                trips = []
                for _ in range(COMM_ROUND_TRIPS + 1):
                    started = _now()
                    await asyncio.wait_for(comm.write(b"p" * 64), wait_seconds)
                    await asyncio.wait_for(comm.read(), wait_seconds)
                    trips.append(_now() - started)
                return readings, _driver()._median(trips[1:])
            finally:
                await comm.close()

        try:
            return asyncio.run(measure())
        except asyncio.TimeoutError:
            raise _driver().DriverError("timeout", f"Dask's comm test did not finish within {wait_seconds:g} s per "
                                                   f"message{_comm_tail(server)}")
        except OSError as error:
            raise _driver().DriverError("daskCluster", f"Dask's comm test failed ({error}){_comm_tail(server)}")
    finally:
        _end_comm_server(server)


def _comm_address(server, wait_seconds: float) -> str:
    """The echo child's address from its first stdout line; fails if it exits or the deadline passes first."""
    import select
    deadline = time.monotonic() + wait_seconds
    line = b""
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0:
            raise _driver().DriverError("timeout", f"Dask's comm test child did not listen within {wait_seconds:g} "
                                                   f"s{_comm_tail(server)}")
        ready, _, _ = select.select([server.stdout], [], [], min(left, 0.5))
        if ready:
            chunk = os.read(server.stdout.fileno(), 4096)
            if not chunk:
                code = server.wait()
                raise _driver().DriverError("daskCluster", f"Dask's comm test child exited with status {code} "
                                                           f"before it listened{_comm_tail(server)}")
            line += chunk
    return line.decode().strip()


def _comm_tail(server) -> str:
    """The echo child's last stderr lines once it has ended, as ': ...', or ''."""
    if server.poll() is None:
        return ""
    try:
        text = server.stderr.read().decode(errors="replace").strip()
    except (OSError, ValueError):
        return ""
    return f": {text[-400:]}" if text else ""


def _end_comm_server(server):
    for stream in (server.stdin,):
        try:
            stream.close()
        except OSError:
            pass
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    for stream in (server.stdout, server.stderr):
        try:
            stream.close()
        except OSError:
            pass


def _serve_comm_echo():
    """The echo child: listens on 127.0.0.1, prints its address, answers every message with b"ok" without
    deserializing it, and exits when its stdin reaches end of file (the measuring side is done, or gone)."""
    import asyncio
    from distributed.comm import listen

    async def serve():
        async def handle(comm):
            while True:
                try:
                    await comm.read()
                    await comm.write(b"ok")
                except Exception:  # the other side closed: this connection is done
                    return

        listener = listen("tcp://127.0.0.1:0", handle, deserialize=False)
        await listener.start()
        sys.stdout.write(listener.contact_address + "\n")
        sys.stdout.flush()
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.buffer.read)
        listener.stop()

    asyncio.run(serve())


if __name__ == "__main__" and sys.argv[1:] == [COMM_ECHO]:
    _serve_comm_echo()
