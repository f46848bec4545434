import Dispatch
import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText
import Synchronization

/// Work started on a background thread whose result the caller collects later: the next
/// chunk of files parsed, or the next batch of segments matched, while the single writer
/// stores the one before.
final class BackgroundResult<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, Error>?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async { [self] in
            let outcome = Result { try work() }
            result.withLock { $0 = outcome }
            finished.signal()
        }
    }

    /// Waits for the work to finish; returns its value or throws its error. Call once.
    func wait() throws -> Value {
        finished.wait()
        return try result.withLock { $0! }.get()
    }
}
