/// How a sweep runs its CPython points: the probed interpreter and driver, and the executor options.
public struct PythonSettings: Sendable {
    public var interpreter: PythonInterpreter
    public var driver: String
    /// `fork`, `forkserver` or `spawn`; nil: the platform's default.
    public var startMethod: String?
    /// Run tasks from an asyncio event loop through `run_in_executor`, and measure the loop's lag.
    public var async: Bool
    /// The Dask pools' scheduler (`tcp://HOST:PORT`); nil: a local scheduler and workers per point.
    public var daskScheduler: String?

    public init(interpreter: PythonInterpreter, driver: String, startMethod: String?, async: Bool, daskScheduler: String? = nil) {
        self.interpreter = interpreter
        self.driver = driver
        self.startMethod = startMethod
        self.async = async
        self.daskScheduler = daskScheduler
    }

    public var runner: PythonPointRunner { PythonPointRunner(interpreter: interpreter, driver: driver) }
}
