import Results

extension PoolKind {
    /// The process pool's transport, nil for threads and for Dask (which the Swift runtime does not run).
    public var transport: ProcessPool.Transport? {
        switch self {
        case .process: return .pipe
        case .processShm: return .shm
        case .thread, .dask, .daskScatter: return nil
        }
    }
}
