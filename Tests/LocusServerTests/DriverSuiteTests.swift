// Runs the Python suites in Tests/Drivers against the built `locus` binary: python-arango
// 8.3.7 and pyC8 1.1.2, unmodified, over every route family, and raw HTTP for error shapes, authentication,
// limits, TLS, expiry, restarts and shutdown. The drivers come pinned from
// Tests/Drivers/requirements.txt: from $LOCUS_PYTHON's environment (.ci/run makes one), or
// from a virtual environment this test makes under .build. Never skipped: without Python or
// the packages, the test fails and says why.

import Foundation
import Testing
import LocusTestSupport

@Suite(.serialized) struct DriverSuiteTests {
    static var root: URL { Repository.root }

    static var binary: String { Repository.locusBinary }

    struct Run {
        var status: Int32
        var output: String
    }

    static func run(_ executable: String, _ args: [String], environment: [String: String] = [:]) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        p.currentDirectoryURL = root.appendingPathComponent("Tests/Drivers")
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// A Python with the pinned packages, made once per build folder when none is given.
    static func python() throws -> String {
        if let given = ProcessInfo.processInfo.environment["LOCUS_PYTHON"], !given.isEmpty { return given }
        let venv = root.appendingPathComponent(".build/driver-venv")
        let python = venv.appendingPathComponent("bin/python").path
        let requirements = root.appendingPathComponent("Tests/Drivers/requirements.txt").path
        let stamp = venv.appendingPathComponent("requirements.txt")
        let wanted = try String(contentsOfFile: requirements, encoding: .utf8)
        if FileManager.default.fileExists(atPath: python), (try? String(contentsOf: stamp, encoding: .utf8)) == wanted {
            return python
        }
        let made = try run("/usr/bin/env", ["python3", "-m", "venv", venv.path])
        guard made.status == 0 else { throw DriverError(message: "python3 -m venv failed:\n\(made.output)") }
        let pip = try run(python, ["-m", "pip", "install", "-q", "-r", requirements])
        guard pip.status == 0 else {
            throw DriverError(message: "pip install -r Tests/Drivers/requirements.txt failed:\n\(pip.output)")
        }
        try wanted.write(to: stamp, atomically: true, encoding: .utf8)
        return python
    }

    struct DriverError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    func pytest(_ file: String) throws {
        let result = try DriverSuiteTests.run(
            try DriverSuiteTests.python(), ["-m", "pytest", "-q", "-p", "no:cacheprovider", file],
            environment: ["LOCUS_BINARY": DriverSuiteTests.binary])
        #expect(result.status == 0, "\(file):\n\(result.output)")
    }

    @Test func pythonArangoDriver() throws { try pytest("test_python_arango.py") }

    @Test func rawHTTP() throws { try pytest("test_http.py") }

    @Test func serverUnderAbuse() throws { try pytest("test_abuse.py") }

    /// Five PoPs in network namespaces of their own (needs root and iproute2).
    @Test func fabricAcrossNetworkNamespaces() throws { try pytest("test_multihost.py") }

    @Test func pyC8Driver() throws { try pytest("test_pyc8.py") }

    @Test func changeStreams() throws { try pytest("test_changes.py") }
}
