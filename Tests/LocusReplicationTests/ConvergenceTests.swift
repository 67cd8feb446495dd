// The convergence property: many PoPs take random concurrent writes (insert, update,
// replace, remove, UPSERT, key-value put with expiry, edges) while pulling from each other
// over a network that loses, duplicates, reorders and partitions messages. Once the network
// heals and enough rounds have run, every PoP holds the same logical content. Seeded: a
// failure names its seed, and `LOCUS_SEED=n` replays it alone.

import Foundation
import LocusErrors
import LocusPolicy
import LocusReplication
import LocusStorage
import LocusTestSupport
import LocusValues
import Testing

struct SimulationSettings {
    var pops = 16
    var operations = 10_000
    var loss = 0.2
    var duplication = 0.2
    var documentKeys = 48
    var entryKeys = 24
    /// Probability per operation that some PoP starts a pull.
    var pullRate = 0.1
}

struct SimulationOutcome {
    var rounds = 0
    var messagesDelivered = 0
    var converged = false
    var difference = ""
}

/// One seeded run of the fabric simulation.
final class FabricSimulation {
    let settings: SimulationSettings
    var rng: SeededGenerator
    let pops: [TestPoP]
    var inFlight: [(due: Int, to: Int, response: PullResponse)] = []
    var partition: [Int]? = nil  // group of each PoP while partitioned

    init(seed: UInt64, settings: SimulationSettings, extraPoPs: [String] = []) throws {
        self.settings = settings
        // Offset so that the recorded seeds keep replaying the same runs.
        rng = SeededGenerator(seed: seed &+ 0x9E37_79B9_7F4A_7C15)
        let names = (0..<settings.pops).map { "pop\($0)" }
        let fabric = try smallFabric(names + extraPoPs)
        var pops: [TestPoP] = []
        for n in names {
            let skew = Double.random(in: -2...2, using: &rng)
            pops.append(try TestPoP(name: n, fabric: fabric, start: 1_700_000_000 + skew))
        }
        self.pops = pops
        // Every PoP creates the collections concurrently; the catalog merges.
        for p in pops {
            try p.with { s in
                _ = try s.createCollection("docs", type: .document)
                _ = try s.createCollection("entries", type: .kv)
                _ = try s.createCollection("links", type: .edge)
            }
        }
        _ = try pops[0].with { s in try s.createIndex(collection: "docs", type: .persistent, fields: ["a"]) }
    }

    func randomValue() -> Value {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return .number(Double(Int.random(in: 0..<10, using: &rng)))
        case 1: return .string(["x", "y", "z", "é", ""].randomElement(using: &rng)!)
        case 2: return .null
        case 3: return .array([.number(Double(Int.random(in: 0..<3, using: &rng))), .bool(rng.chance(0.5))])
        default: return ["n": .number(Double(Int.random(in: 0..<3, using: &rng)))]
        }
    }

    func randomDocument() -> Object {
        var o = Object()
        for name in ["a", "b", "c", "d"] where rng.chance(0.7) { o[name] = randomValue() }
        return o
    }

    /// One random write at a random PoP.
    func operate() throws {
        let p = pops[Int.random(in: 0..<pops.count, using: &rng)]
        p.clock.advance(Double.random(in: 0...0.05, using: &rng))
        let key = "k\(Int.random(in: 0..<settings.documentKeys, using: &rng))"
        let roll = Int.random(in: 0..<100, using: &rng)
        try p.with { s in
            let docs = try s.coll("docs")
            do {
                try s.transaction(write: true) {
                    let exists = try s.get(docs, key: key) != nil
                    switch roll {
                    case 0..<25:
                        var d = randomDocument()
                        d["_key"] = .string(key)
                        if !exists { _ = try s.insert(docs, d) }
                    case 25..<45:
                        if exists { try s.update("docs", key, randomDocument()) }
                    case 45..<55:
                        if exists { _ = try s.replace(docs, key: key, with: randomDocument()) }
                    case 55..<65:
                        if exists { _ = try s.remove(docs, key: key) }
                    case 65..<75:  // UPSERT
                        if exists {
                            try s.update("docs", key, randomDocument())
                        } else {
                            var d = randomDocument()
                            d["_key"] = .string(key)
                            _ = try s.insert(docs, d)
                        }
                    case 75..<88:
                        let entries = try s.coll("entries")
                        let k = "e\(Int.random(in: 0..<settings.entryKeys, using: &rng))"
                        var e: Object = ["value": randomValue()]
                        if rng.chance(0.6) {
                            e["expireAt"] = .number(p.clock.now() + Double.random(in: -5...30, using: &rng))
                        }
                        if try s.get(entries, key: k) != nil {
                            _ = try s.replace(entries, key: k, with: e)
                        } else {
                            e["_key"] = .string(k)
                            _ = try s.insert(entries, e)
                        }
                        if rng.chance(0.1) { try s.purgeExpired() }
                    case 88..<93:
                        let entries = try s.coll("entries")
                        let k = "e\(Int.random(in: 0..<settings.entryKeys, using: &rng))"
                        if try s.get(entries, key: k) != nil { _ = try s.remove(entries, key: k) }
                    default:
                        let to = "docs/k\(Int.random(in: 0..<settings.documentKeys, using: &rng))"
                        let links = try s.coll("links")
                        let lk = "l\(Int.random(in: 0..<settings.documentKeys, using: &rng))"
                        if try s.get(links, key: lk) == nil {
                            _ = try s.insert(
                                links, ["_key": .string(lk), "_from": .string("docs/\(key)"), "_to": .string(to)])
                        } else if rng.chance(0.5) {
                            _ = try s.remove(links, key: lk)
                        } else {
                            try s.update("links", lk, ["w": randomValue()])
                        }
                    }
                }
            } catch let e as LocusError where e.code == .uniqueConstraintViolated {
                // A unique index at this PoP refused the write: that is a legal outcome.
            }
        }
    }

    func reachable(_ a: Int, _ b: Int) -> Bool { partition.map { $0[a] == $0[b] } ?? true }

    /// Maybe starts a pull (the request may be lost), and delivers the responses that are due
    /// (each may be lost; some were duplicated; delays reorder them).
    func network(step: Int) throws {
        if rng.chance(settings.pullRate) {
            let to = Int.random(in: 0..<pops.count, using: &rng)
            var from = Int.random(in: 0..<(pops.count - 1), using: &rng)
            if from >= to { from += 1 }
            if reachable(to, from) && !rng.chance(settings.loss) {
                let peer = try pops[from].replicator.identity()
                let response = try pops[from].replicator.serve(try pops[to].replicator.request(to: peer))
                inFlight.append((step + Int.random(in: 0...40, using: &rng), to, response))
                if rng.chance(settings.duplication) {
                    inFlight.append((step + Int.random(in: 0...80, using: &rng), to, response))
                }
            }
        }
        var waiting: [(due: Int, to: Int, response: PullResponse)] = []
        for m in inFlight {
            if m.due > step { waiting.append(m); continue }
            guard reachable(m.to, pops.firstIndex { $0.name == m.response.pop }!), !rng.chance(settings.loss) else {
                continue
            }
            try pops[m.to].replicator.receive(m.response)
        }
        inFlight = waiting
        if step % 997 == 0 {
            partition = rng.chance(0.5) ? (0..<pops.count).map { _ in Int.random(in: 0..<2, using: &rng) } : nil
        }
    }

    /// The writes and the lossy network, then healing: late messages arrive, and rounds of
    /// gossip (each PoP pulls from one random peer) run until every PoP holds the same.
    func run() throws -> SimulationOutcome {
        for step in 0..<settings.operations {
            try operate()
            try network(step: step)
        }
        partition = nil
        var outcome = SimulationOutcome()
        for m in inFlight { try pops[m.to].replicator.receive(m.response) }
        inFlight = []
        // A PoP whose clock runs ahead may already have purged an expired entry that the others
        // still hold: content is compared as of a time no PoP's clock has passed yet.
        let checkTime = pops.map { $0.clock.now() }.max()!
        while outcome.rounds < 64 {
            outcome.rounds += 1
            for (i, p) in pops.enumerated() {
                var j = Int.random(in: 0..<(pops.count - 1), using: &rng)
                if j >= i { j += 1 }
                try p.pull(pops[j])
            }
            if try converged(at: checkTime) {
                outcome.converged = true
                break
            }
        }
        if !outcome.converged { outcome.difference = try difference(at: checkTime) }
        return outcome
    }

    /// The first key two PoPs disagree on, described for the failure message.
    func difference(at time: Double) throws -> String {
        let first = try pops[0].states(at: time)
        let content = try pops[0].content(at: time)
        for p in pops.dropFirst() {
            let other = try p.states(at: time)
            let otherContent = try p.content(at: time)
            for (c, m) in first {
                for (k, st) in m where other[c]?[k] != st {
                    return "\(c)/\(k): \(pops[0].name) has \(st), \(p.name) has \(String(describing: other[c]?[k]))"
                }
                for (k, d) in content[c] ?? [:] where otherContent[c]?[k] != d {
                    return
                        "\(c)/\(k): \(pops[0].name) has \(d), \(p.name) has \(String(describing: otherContent[c]?[k]))"
                }
            }
            if other.count != first.count || otherContent != content {
                return "\(p.name) differs in collections or extra keys"
            }
        }
        return "no difference found"
    }

    func converged(at time: Double) throws -> Bool {
        let first = try pops[0].states(at: time)
        let content = try pops[0].content(at: time)
        for p in pops.dropFirst() {
            if try p.states(at: time) != first { return false }
            if try p.content(at: time) != content { return false }
        }
        return true
    }
}

@Suite struct ConvergenceTests {
    static var seeds: [UInt64] {
        if let s = ProcessInfo.processInfo.environment["LOCUS_SEED"], let n = UInt64(s) { return [n] }
        let slow = ProcessInfo.processInfo.environment["LOCUS_SLOW_TESTS"] != nil
        return Array(1...(slow ? 10_000 : 100))
    }

    @Test func everyPoPConvergesAfterHealing() async throws {
        let seeds = ConvergenceTests.seeds
        let workers = 2
        try await withThrowingTaskGroup(of: [(UInt64, SimulationOutcome)].self) { group in
            for w in 0..<workers {
                group.addTask {
                    var out: [(UInt64, SimulationOutcome)] = []
                    for seed in seeds where Int(seed % UInt64(workers)) == w {
                        out.append((seed, try FabricSimulation(seed: seed, settings: SimulationSettings()).run()))
                    }
                    return out
                }
            }
            var rounds: [Int] = []
            for try await results in group {
                for (seed, outcome) in results {
                    #expect(
                        outcome.converged,
                        "seed \(seed) did not converge (\(outcome.difference)); replay with LOCUS_SEED=\(seed)")
                    rounds.append(outcome.rounds)
                }
            }
            rounds.sort()
            print(
                "convergence: \(rounds.count) seeds, gossip rounds to converge p50 \(rounds[rounds.count / 2]) max \(rounds.last ?? 0)"
            )
        }
    }
}
