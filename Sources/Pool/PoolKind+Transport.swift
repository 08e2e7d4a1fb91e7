import Results

extension PoolKind {
    /// The process pool's transport, nil for threads.
    public var transport: ProcessPool.Transport? {
        switch self {
        case .process: return .pipe
        case .processShm: return .shm
        case .thread: return nil
        }
    }
}
