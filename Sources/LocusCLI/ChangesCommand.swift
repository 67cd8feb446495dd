// `locus changes COLLECTION`: a PoP's change stream as JSON lines, from a position (`--since`,
// by default the start of what the stream holds) and, with `--follow`, on as new changes
// commit, like `tail -f`. The writers are other processes, whose commits cannot wake this one:
// a follower reads the file again every 100 ms when it has caught up.

import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Locus
import LocusValues

struct Changes: LocusCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "Print a PoP's change stream of a collection as JSON lines.")

    @Argument(help: "The collection.") var collection: String
    @Option(help: ArgumentHelp("Start after this stream position.", valueName: "n")) var since = 0
    @Flag(help: "Keep printing changes as they commit.") var follow = false
    @OptionGroup var target: DatabaseTarget
    @OptionGroup var output: JSONOutput
    var errorsAsJSON: Bool { output.json }

    func validate() throws {
        guard since >= 0 else { throw ValidationError("--since needs a stream position") }
    }

    func execute() throws -> Int32 {
        let db = try target.open()
        var position = since
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
