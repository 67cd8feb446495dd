// Wakes change-stream subscribers when a commit appends to the stream: a generation counter
// that every such commit advances, and async waiters resumed by the next advance, by a
// timeout or by their task's cancellation. Subscribers read the generation before they read
// the stream, so a commit in between is never missed.

import Synchronization

/// A generation counter that wakes async waiters when it advances: the commit signal of a
/// database's change stream, and of anything that fans its changes out.
public final class ChangeNotifier: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextId = 0
        /// Waiters cancelled or timed out before they were registered.
        var abandoned: Set<Int> = []
    }

    private let state = Mutex(State())

    public init() {}

    public var generation: UInt64 { state.withLock { $0.generation } }

    /// Advances the generation and wakes every waiter.
    public func signal() {
        let woken = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.generation &+= 1
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        for w in woken { w.resume() }
    }

    private func release(_ id: Int) {
        let w = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if let w = s.waiters.removeValue(forKey: id) { return w }
            s.abandoned.insert(id)
            return nil
        }
        w?.resume()
    }

    /// Returns once the generation differs from `generation`, after `timeout` seconds, or when
    /// the task is cancelled.
    public func wait(after generation: UInt64, timeout: Double) async {
        let id = state.withLock { s -> Int in
            s.nextId += 1
            return s.nextId
        }
        let timer = Task {
            try? await Task.sleep(for: .milliseconds(Int(max(0, timeout) * 1000)))
            self.release(id)
        }
        await wait(after: generation, id: id)
        timer.cancel()
    }

    /// Returns once the generation differs from `generation`, or when the task is cancelled:
    /// no timer, for waiters that wake often (a timer task per wait costs more than the wait).
    public func wait(after generation: UInt64) async {
        let id = state.withLock { s -> Int in
            s.nextId += 1
            return s.nextId
        }
        await wait(after: generation, id: id)
    }

    private func wait(after generation: UInt64, id: Int) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { s -> Bool in
                    if s.generation != generation || s.abandoned.remove(id) != nil { return true }
                    s.waiters[id] = c
                    return false
                }
                if ready { c.resume() }
            }
        } onCancel: {
            self.release(id)
        }
        state.withLock { _ = $0.abandoned.remove(id) }
    }
}
