// `locus changes COLLECTION`: a PoP's change stream as JSON lines, from a position (`--since`,
// by default the start of what the stream holds) and, with `--follow`, on as new changes
// commit, like `tail -f`. The writers are other processes, whose commits cannot wake this one:
// a follower reads the file again every 100 ms when it has caught up.

#if canImport(Glibc)
import Glibc
#endif
import Locus
import LocusValues

extension Commands {
    static func changes(_ a: Arguments) throws -> Int32 {
        let collection = try a.require(0, "collection name")
        let db = try open(a)
        var position = 0
        if let s = a.options["since"] {
            guard let n = Int(s), n >= 0 else { throw Arguments.UsageError(message: "--since needs a stream position") }
            position = n
        }
        let follow = a.switches.contains("follow")
        while true {
            let batch = try db.changes(in: collection, since: position, limit: 1000)
            for e in batch { Output.out(JSONWriter.string(e.json)) }
            if let last = batch.last { position = last.position }
            if batch.count == 1000 { continue }
            guard follow else { return 0 }
            usleep(100_000)
        }
    }
}
