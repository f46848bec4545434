import Foundation
import Hummingbird
import ServiceLifecycle
import Synchronization

/// Live updates: every open page holds a server-sent event stream (`GET /api/events`) and
/// hears of each change made through the server — codings of a document, the codebook,
/// reviews, documents — so a second session shows the first one's coding without a reload.
/// Streams end when the server shuts down gracefully, so that Ctrl-C is not held up by
/// open pages.
public final class LiveUpdates: Sendable {
    private struct State {
        var next = 0
        var listeners: [Int: AsyncStream<String>.Continuation] = [:]
    }
    private let state = Mutex(State())

    /// An empty set of listeners.
    public init() {}

    /// Tells every open page of `event` (a JSON object with at least `type`).
    func publish(_ event: [String: String]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(event), let json = String(data: data, encoding: .utf8) else { return }
        let message = "event: change\ndata: \(json)\n\n"
        let listeners = state.withLock { Array($0.listeners.values) }
        for listener in listeners { listener.yield(message) }
    }

    /// How many pages are listening.
    var listenerCount: Int { state.withLock { $0.listeners.count } }

    /// A new listener's stream; it ends when the page goes or the server stops.
    func subscribe() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let id = state.withLock { state -> Int in
            state.next += 1
            state.listeners[state.next] = continuation
            return state.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.listeners.removeValue(forKey: id) }
        }
        return stream
    }

    /// The `text/event-stream` response of a new listener: a first comment so the browser
    /// knows the stream is open, then the events, until the page goes or the server stops.
    func response() -> Response {
        let stream = subscribe()
        let body = ResponseBody { writer in
            try await withGracefulShutdownHandler {
                try await writer.write(ByteBuffer(string: ": open\n\n"))
                for await message in stream {
                    try await writer.write(ByteBuffer(string: message))
                }
            } onGracefulShutdown: {
                self.finishAll()
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
            body: body)
    }

    /// Ends every stream.
    func finishAll() {
        let listeners = state.withLock { state -> [AsyncStream<String>.Continuation] in
            defer { state.listeners = [:] }
            return Array(state.listeners.values)
        }
        for listener in listeners { listener.finish() }
    }
}
