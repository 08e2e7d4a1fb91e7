import Dispatch
import Foundation
import Units
import Sweep

/// Turns SIGINT and SIGTERM into a `StopFlag`, so a sweep stops its workers and saves what it measured.
final class SignalWatcher: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []

    init(stop: StopFlag, onSignal: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                // Two signals close together can arrive as one event; `data` counts them.
                if stop.isSet || source.data > 1 {
                    // A second Ctrl-C: give up waiting. Scratch files go now; workers die with their parent
                    // (PR_SET_PDEATHSIG), and cannot create files in a scratch directory that no longer exists.
                    StandardError.write("payloadlab: stopped at once (second Ctrl-C); unsaved points are lost.\n")
                    TemporaryPaths.removeAll()
                    _exit(130)
                }
                stop.stop()
                onSignal()
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
