// A bulk insert at a PoP, recorded in batches: each document's clock, change-stream entry and
// (under a policy) placement wait with its row and are written with one multi-row statement
// per table, so that a PoP's insert pays for a few statements per batch rather than several
// more per document. A merge that brings records new to the PoP queues them the same way.
// What each entry holds is decided when it is queued (a local insert probes its key's earlier
// lives then); feed positions are handed out when the batch is written, in insert order.

import LocusValues

extension Storage {
    /// Queues the clock, change-stream entry and placement (`placement`, under a policy) of a
    /// document row queued for a bulk insert. A key repeated within the batch fails the rows'
    /// own INSERT, which undoes the statement.
    func queueCapture(_ c: CollectionInfo, key: String, json: [UInt8], placement: SiteSet?) throws {
        let life = try startLife(c, key: key)
        let stamp = try localStamp()
        var entry = CapturedInsert(
            collection: c.id, key: key, json: json, causalLength: life.causalLength, hlc: stamp.hlc,
            site: try siteId(stamp.site))
        if let placement {
            if life.known {
                // A key that lived here has a placement to compare with (and, for a vertex,
                // edges to judge again when it changes): the one-record path does that.
                try notePlacement(c, key: key, pin: placement)
            } else {
                entry.placement = (placement.encoded, digest(collection: c.name, key: key))
            }
        }
        capturedInserts.append(entry)
        if capturedInserts.isFull { try flushCaptures() }
    }

    /// Queues a merged record new to this PoP, in a document collection without indexes or
    /// views, as a local bulk insert is queued: its row, its marker (the merged causal length
    /// and stamp) and its change-stream entry (with the PoP whose write it was). Returns false,
    /// queueing nothing, for any other record: the general path materializes it.
    func queueMergedInsert(_ p: PendingState, key: String, peer: String?) throws -> Bool {
        let c = p.collection
        guard p.original.causalLength == 0, p.stored == nil, p.state.present, p.state.attributeStamps.isEmpty,
            c.type == .document, catalog.indexes(of: c.name).isEmpty, try !hasViewLinks(c.name)
        else { return false }
        let json = Storage.documentJSON(c, key: key, revision: revisionString(p.state.marker.hlc), p.state.values) {
            !Storage.systemAttributes.contains($0)
        }
        try queueInsert(c, key: key, json: json)
        capturedInserts.append(
            CapturedInsert(
                collection: c.id, key: key, json: json, causalLength: p.state.causalLength, hlc: p.state.marker.hlc,
                site: try siteId(p.state.marker.site), origin: Storage.origin(of: p.state, from: peer)))
        if capturedInserts.isFull { try flushCaptures() }
        return true
    }

    /// Writes the queued clocks, then the change-stream entries and the placements.
    func flushCaptures() throws {
        let inserts = capturedInserts.take()
        guard !inserts.isEmpty else { return }
        let s = try sql.prepare(.clocks, rows: inserts.count)
        var i: Int32 = 1
        for insert in inserts {
            replicaSequence += 1
            s.bind(i, insert.collection)
            sql.batchTexts.add(i + 1, insert.key)
            s.bind(i + 2, insert.causalLength)
            s.bind(i + 3, Int(Int64(bitPattern: insert.hlc)))
            s.bind(i + 4, insert.site)
            s.bind(i + 5, replicaSequence)
            i += 6
        }
        try sql.batchTexts.run(s)
        try stream.appendInserts(inserts)
        try placements.setNew(
            inserts.compactMap { insert in
                insert.placement.map { (insert.collection, insert.key, $0.pin, $0.digest) }
            })
    }
}
