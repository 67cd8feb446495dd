// The fuzzers' HTTP surface in the ordinary test run: every seed and every input a fuzzer once
// found goes through `RequestFuzzing.run`, the entry point the libFuzzer driver calls, and must
// come back; the seeds reach the handlers they were written for.

import Foundation
import LocusTestSupport
import Testing

@testable import LocusServer

@Suite struct RequestFuzzingTests {
    static func inputs(_ folder: String) throws -> [(name: String, bytes: [UInt8])] {
        let dir = Repository.path("Fixtures/fuzz/\(folder)/http")
        return try FileManager.default.contentsOfDirectory(atPath: dir).sorted().map {
            ($0, Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + $0))))
        }
    }

    @Test func seedsReachTheirHandlers() throws {
        let seeds = try Self.inputs("seeds")
        #expect(seeds.count >= 10)
        var statuses: [String: Int] = [:]
        for (name, bytes) in seeds {
            let status = RequestFuzzing.run(bytes)
            #expect(status != nil, "\(name) is not read as a request")
            statuses[name] = status
        }
        #expect(statuses["version.http"] == 200)
        #expect(statuses["document-get.http"] == 200)
        #expect(statuses["cursor.http"] == 201)
        #expect(statuses["auth.http"] == 200)
        #expect(statuses.values.allSatisfy { $0 < 500 }, "\(statuses)")
    }

    @Test func regressionsComeBack() throws {
        for (_, bytes) in try Self.inputs("regressions") { RequestFuzzing.run(bytes) }
    }

    @Test func rawBytesSplitIntoARequest() throws {
        let r = try #require(
            RequestFuzzing.parse(Array("PUT /_db/x/_api/cursor/7?a=1 HTTP/1.1\r\nX-Y:  z \r\n\r\nbody".utf8)))
        #expect(r.method == .PUT && r.database == "x" && r.segments == ["cursor", "7"] && r.query == ["a": "1"])
        #expect(r.headers["x-y"] == "z" && r.body == Array("body".utf8))
        #expect(RequestFuzzing.parse(Array("GET /elsewhere HTTP/1.1\r\n\r\n".utf8)) == nil)
        #expect(RequestFuzzing.parse([]) == nil)
    }
}
