// One page of a peer's feed, requested on another thread: a pull asks for the next page as
// soon as it has the current one, so the peer reads and encodes it while this PoP merges the
// page before it. Over HTTP the two sides are two processes, and with a page in flight they
// work at the same time instead of taking turns.

import Dispatch
import Synchronization

/// A pull request in flight; `response()` waits for its answer.
final class PageFetch: Sendable {
    let request: PullRequest
    private let outcome = Mutex<Result<PullResponse, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    /// Sends `request` through `transport` on a thread of its own.
    init(_ request: PullRequest, through transport: any SyncTransport) {
        self.request = request
        DispatchQueue.global().async { [self] in
            let result = Result { try transport.pull(request) }
            outcome.withLock { $0 = result }
            done.signal()
        }
    }

    /// The peer's answer (or the error the request met), once it has come.
    func response() throws -> PullResponse {
        try finished().get()
    }

    /// Waits for the answer and keeps it; waiting again returns at once.
    @discardableResult
    func finished() -> Result<PullResponse, any Error> {
        if let known = outcome.withLock({ $0 }) { return known }
        done.wait()
        return outcome.withLock { $0! }
    }
}
