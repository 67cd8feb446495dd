// `locus import` and `locus export`: JSON lines (or one JSON array) into a collection, all
// or nothing unless told to skip bad lines; and a collection out as JSON lines.

import ArgumentParser
import Locus
import LocusValues

extension ImportErrorPolicy: ExpressibleByArgument {}

struct ImportCommand: LocusCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import JSON lines or a JSON array into a collection, created when missing.",
        discussion: "Prints {\"collection\", \"created\", \"errors\", \"skipped\"}. A bad line aborts the whole import "
            + "unless --on-error skip.")

    @Argument(help: "The collection.") var collection: String
    @Argument(help: "The file to read.") var file: String
    @Option(help: "The type of a collection created by the import: document, edge or kv.") var type: CollectionType?
    @Option(help: "abort (the default: nothing is imported) or skip (bad lines are reported and left out).")
    var onError: ImportErrorPolicy = .abort
    @OptionGroup var target: DatabaseTarget
    @OptionGroup var output: JSONOutput
    var errorsAsJSON: Bool { output.json }

    func execute() throws -> Int32 {
        let db = try target.open()
        let progress = Output.stderrIsTerminal
        let summary = try db.importFile(atPath: file, into: collection, type: type, onError: onError) {
            fraction, line in
            guard progress else { return }
            let pct = Int(fraction * 100)
            let bar = String(repeating: "#", count: pct / 4) + String(repeating: ".", count: 25 - pct / 4)
            Output.rawErr("\r[\(bar)] \(pct)% \(line) lines")
        }
        if progress { Output.rawErr("\r" + String(repeating: " ", count: 60) + "\r") }
        let o: Value = [
            "collection": .string(collection), "created": .int(summary.created), "errors": .int(summary.skipped.count),
            "skipped": .array(summary.skipped.prefix(100).map { ["line": .int($0.line), "error": .string($0.error)] }),
        ]
        Output.out(JSONWriter.string(o))
        return 0
    }
}

struct ExportCommand: LocusCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a collection's documents as JSON lines.")

    @Argument(help: "The collection.") var collection: String
    @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file")) var output: String?
    @OptionGroup var target: DatabaseTarget
    @OptionGroup var format: JSONOutput
    var errorsAsJSON: Bool { format.json }

    func execute() throws -> Int32 {
        let db = try target.open()
        if let output {
            try db.exportFile(collection, toPath: output)
        } else {
            let lines = Output.Lines()
            try db.exportDocuments(collection) { lines.append($0) }
            lines.flush()
        }
        return 0
    }
}
