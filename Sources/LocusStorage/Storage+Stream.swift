// Storage's side of the change stream (`ChangeStream`): what a merge appends, and the
// stream's public reads, which only a PoP answers.

import LocusErrors
import LocusValues

extension Storage {
    /// How many entries the stream keeps by default; older positions are refused.
    public static let defaultStreamRetention = ChangeStream.defaultRetention

    /// Appends what a merge did to a record: the PoP of its newest write is the origin.
    func streamMerge(
        _ c: CollectionInfo, key: String, _ state: ReplicatedState, json: [UInt8]?, old: Object?, peer: String?
    ) throws {
        let origin = Storage.origin(of: state, from: peer)
        if state.present {
            try stream.append(collection: c.id, key: key, old == nil ? .insert : .update, json: json, origin: origin)
        } else if old != nil {
            try stream.append(collection: c.id, key: key, .remove, json: nil, origin: origin)
        }
    }

    /// The PoP a merged record's change-stream entry names: the one of its newest write, or the
    /// peer it came from when that write's PoP is not known.
    static func origin(of state: ReplicatedState, from peer: String?) -> String? {
        state.newestStamp.site.isEmpty ? peer : state.newestStamp.site
    }

    /// The newest stream position (0 when the stream is empty).
    public func streamPosition() throws -> Int {
        guard replica != nil else { throw Storage.notAStream() }
        return try stream.position()
    }

    /// Up to `limit` entries of `collection` after position `after`. A position older than
    /// the stream still holds is refused: entries after it are gone.
    public func streamEntries(collection: String, after: Int, limit: Int) throws -> [StreamEntry] {
        guard replica != nil else { throw Storage.notAStream() }
        let c = try requireCollection(collection)
        return try stream.entries(collection: c.id, name: c.name, after: after, limit: limit)
    }

    static func notAStream() -> LocusError {
        LocusError(.badParameter, "change streams are kept by PoPs: this database is not part of a fabric")
    }
}
