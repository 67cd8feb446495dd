// The text parameters of one multi-row INSERT, gathered in one buffer and bound without
// copies. Bound the usual way (SQLITE_TRANSIENT), SQLite allocates and copies every key and
// document of a batch; bound as SQLITE_STATIC, it reads them in place, which is safe only
// while the bytes stay put for the whole run: here they live in one buffer that is neither
// changed nor freed until the statement has run and its bindings are cleared.

import CSQLite

/// Text parameters waiting to be bound to one statement.
struct StatementTexts {
    /// The texts, after one zero byte: an empty text points there, since SQLite needs a
    /// pointer even for no bytes.
    private var bytes: [UInt8] = [0]
    private var spans: [(parameter: Int32, start: Int, count: Int)] = []

    /// Binds `text` to parameter `parameter` when the statement runs.
    mutating func add(_ parameter: Int32, _ text: [UInt8]) {
        spans.append((parameter, text.isEmpty ? 0 : bytes.count, text.count))
        bytes.append(contentsOf: text)
    }

    /// Binds the UTF-8 of `text` to parameter `parameter` when the statement runs.
    mutating func add(_ parameter: Int32, _ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            spans.append((parameter, utf8.isEmpty ? 0 : bytes.count, utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Binds the gathered texts, runs `statement` (its other parameters already bound) and
    /// clears its bindings, so that it keeps no pointer into the buffer; empties the buffer.
    mutating func run(_ statement: PreparedStatement) throws {
        defer {
            bytes.removeSubrange(1...)
            spans.removeAll(keepingCapacity: true)
        }
        let spans = self.spans
        try bytes.withUnsafeBufferPointer { buffer in
            defer { sqlite3_clear_bindings(statement.stmt) }
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            for span in spans {
                // No destructor: SQLite's SQLITE_STATIC, the caller keeps the bytes alive.
                sqlite3_bind_text(statement.stmt, span.parameter, base + span.start, Int32(span.count), nil)
            }
            try statement.run()
        }
    }
}
