// A bulk insert at a PoP, recorded in batches: each document's clock and change-stream entry
// wait with its row and are written with one multi-row statement per table, so that a PoP's
// insert pays for three statements per batch rather than two more per document. What each
// entry holds is decided when it is queued (the key's earlier lives are probed then); the
// feed positions are handed out when the batch is written, in the order of the inserts.

import LocusValues

extension Storage {
    /// Queues the clock and change-stream entry of a document row queued for a bulk insert.
    /// A key repeated within the batch fails the rows' own INSERT, which undoes the statement.
    func queueCapture(_ c: CollectionInfo, key: String, json: [UInt8]) throws {
        let cl = try startLife(c, key: key)
        capturedInserts.append(
            CapturedInsert(collection: c.id, key: key, json: json, causalLength: cl, hlc: try localStamp().hlc))
        if capturedInserts.isFull { try flushCaptures() }
    }

    /// Writes the queued clocks, then the change-stream entries.
    func flushCaptures() throws {
        let inserts = capturedInserts.take()
        guard !inserts.isEmpty, let pop = replica?.pop else { return }
        let site = try siteId(pop)
        let s = try sql.prepare(.clocks, rows: inserts.count)
        var i: Int32 = 1
        for insert in inserts {
            replicaSequence += 1
            s.bind(i, insert.collection)
            s.bind(i + 1, insert.key)
            s.bind(i + 2, insert.causalLength)
            s.bind(i + 3, Int(Int64(bitPattern: insert.hlc)))
            s.bind(i + 4, site)
            s.bind(i + 5, replicaSequence)
            i += 6
        }
        try s.run()
        try stream.appendInserts(inserts)
    }
}
