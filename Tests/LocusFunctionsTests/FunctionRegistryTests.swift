// The function registry against the language reference (Fixtures/reference/functions.tsv, a
// copy of the reference table): every function is registered with the reference's argument
// counts or excluded with a stated reason, every registered function is documented, and every
// registered function is called by at least one golden query of Fixtures/results.

import Foundation
import Testing
import LocusTestSupport
import LocusFunctions

@Suite struct FunctionRegistryTests {
    struct ReferenceRow {
        let name: String
        let minArgs: Int
        let maxArgs: Int?
    }

    static let reference: [ReferenceRow] = {
        let path = Repository.fixtures + "/reference/functions.tsv"
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count >= 4, let lo = Int(f[2]) else { return nil }
            return ReferenceRow(name: String(f[0]), minArgs: lo, maxArgs: Int(f[3]))
        }
    }()

    @Test func everyReferenceFunctionIsRegisteredOrExcluded() {
        #expect(Self.reference.count > 250)
        for row in Self.reference {
            if let reason = FunctionRegistry.exclusions[row.name] {
                #expect(!reason.isEmpty)
                #expect(FunctionRegistry.lookup(row.name) == nil, "\(row.name) is both registered and excluded")
                continue
            }
            guard let f = FunctionRegistry.lookup(row.name) else {
                Issue.record("\(row.name) is neither registered nor excluded")
                continue
            }
            #expect(
                f.minArgs == row.minArgs && f.maxArgs == row.maxArgs,
                "\(row.name) takes \(f.minArgs)…\(f.maxArgs.map(String.init) ?? "*"), reference \(row.minArgs)…\(row.maxArgs.map(String.init) ?? "*")"
            )
        }
    }

    @Test func exclusionsNameOnlyReferenceFunctions() {
        let names = Set(Self.reference.map(\.name))
        for name in FunctionRegistry.exclusions.keys {
            #expect(names.contains(name), "\(name) is excluded but not in the reference")
        }
    }

    @Test func everyRegisteredFunctionIsInTheReferenceAndDocumented() {
        let names = Set(Self.reference.map(\.name))
        for f in FunctionRegistry.all.values {
            #expect(names.contains(f.name), "\(f.name) is registered but not in the reference")
            #expect(!(FunctionRegistry.descriptions[f.name] ?? "").isEmpty, "\(f.name) has no description")
            #expect(f.signature.hasPrefix(f.name + "("), "\(f.name) has signature \(f.signature)")
        }
    }

    @Test func theFactsNameOnlyRegisteredOrExcludedFunctions() {
        for (name, facts) in FunctionRegistry.facts {
            let registered = FunctionRegistry.lookup(name) != nil
            #expect(
                registered != (facts.exclusion != nil),
                "\(name): registered \(registered), excluded \(facts.exclusion ?? "no")")
            if facts.isAggregate { #expect(registered, "aggregate \(name) is not registered") }
        }
        #expect(FunctionRegistry.aggregateNames.isSuperset(of: ["LENGTH", "SUM", "PUSH", "COUNT_DISTINCT"]))
        #expect(!FunctionRegistry.aggregateNames.contains("CONCAT"))
    }

    @Test func everyRegisteredFunctionHasAGoldenQuery() throws {
        let dir = Repository.fixtures + "/results"
        var corpus = ""
        for file in try FileManager.default.contentsOfDirectory(atPath: dir) where file.hasSuffix(".test") {
            corpus += try String(contentsOfFile: dir + "/" + file, encoding: .utf8).uppercased()
        }
        // Words followed by "(": the functions the golden queries call.
        var called = Set<String>()
        var word = ""
        for c in corpus {
            if c.isLetter || c.isNumber || c == "_" { word.append(c); continue }
            if c == "(" && !word.isEmpty { called.insert(word) }
            word = ""
        }
        for f in FunctionRegistry.all.values {
            #expect(called.contains(f.name), "no golden query calls \(f.name)()")
        }
    }
}
