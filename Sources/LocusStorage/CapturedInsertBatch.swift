// What a PoP records for each document of a bulk insert (or of a merge that brings it new
// records), queued like the document rows themselves: the key's clock (its new life and
// stamp), its change-stream entry (the row's JSON text) and, under a policy, a new record's
// placement. The queue is only the entries; storage decides what each one holds (probing the
// key's earlier lives when it is queued) and writes them with one multi-row statement per
// table when it flushes (`Storage+CapturedInserts`).

/// A document inserted at a PoP whose clock and change-stream entry wait to be written.
struct CapturedInsert {
    var collection: Int
    var key: String
    /// The row's JSON text, which the change-stream entry keeps.
    var json: [UInt8]
    /// The causal length the insert gives the key.
    var causalLength: Int
    /// The insert's stamp (its `_rev` tick) on the hybrid logical clock of the PoP numbered
    /// `site` here.
    var hlc: UInt64
    var site: Int
    /// For a record merged in from another PoP, the PoP whose write it was (the change
    /// stream's origin); nil for a local insert.
    var origin: String? = nil
    /// Under a placement policy, the record's first placement here: its encoded pin and digest.
    var placement: (pin: String, digest: String)?
}

/// Captured inserts waiting for one multi-row INSERT into each table they fill.
struct CapturedInsertBatch {
    /// Entries per statement.
    static let capacity = MultiRowInsert.maximumRows

    private(set) var entries: [CapturedInsert] = []

    var isEmpty: Bool { entries.isEmpty }
    var isFull: Bool { entries.count >= CapturedInsertBatch.capacity }

    mutating func append(_ entry: CapturedInsert) {
        if entries.isEmpty { entries.reserveCapacity(CapturedInsertBatch.capacity) }
        entries.append(entry)
    }

    /// Empties the queue, returning what it held.
    mutating func take() -> [CapturedInsert] {
        defer { entries = [] }
        return entries
    }

    mutating func discard() { entries = [] }
}
