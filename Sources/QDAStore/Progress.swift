/// How far a long operation has come, for a progress line on a terminal.
public struct WorkProgress: Sendable, Equatable {
    /// What is being done ("ingest", "code").
    public var stage: String
    /// Units of work done.
    public var done: Int
    /// Units of work in all.
    public var total: Int
    /// Bytes read so far, where the work reads files (0 otherwise).
    public var bytes: Int64 = 0

    /// Creates the value from its fields.
    public init(stage: String, done: Int, total: Int, bytes: Int64 = 0) {
        self.stage = stage
        self.done = done
        self.total = total
        self.bytes = bytes
    }
}

/// Called from the library as work advances; may be called from any thread.
public typealias ProgressHandler = @Sendable (WorkProgress) -> Void
