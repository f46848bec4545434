/// How far a long operation has come, for a progress line on a terminal.
public struct WorkProgress: Sendable, Equatable {
    /// What is being done ("ingest", "code").
    public var stage: String
    public var done: Int
    public var total: Int
}

/// Called from the library as work advances; may be called from any thread.
public typealias ProgressHandler = @Sendable (WorkProgress) -> Void
