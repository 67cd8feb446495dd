// The merge laws, checked on real PoPs: merging states is commutative, associative and
// idempotent, and a PoP that merges another's whole feed holds exactly its content. States
// come from random writes at three PoPs with some syncing between them.

import LocusPolicy
import LocusReplication
import LocusStorage
import LocusValues
import Testing

@Suite struct MergeLawTests {
    static let mergerNames = (1...6).map { "m\($0)" }

    /// Three PoPs after random concurrent writes and a few partial pulls.
    func histories(seed: UInt64) throws -> (FabricSimulation, Fabric) {
        var settings = SimulationSettings()
        settings.pops = 3
        settings.operations = 400
        settings.pullRate = 0.02
        settings.loss = 0
        settings.duplication = 0
        let sim = try FabricSimulation(seed: seed, settings: settings, extraPoPs: MergeLawTests.mergerNames)
        for step in 0..<settings.operations {
            try sim.operate()
            try sim.network(step: step)
        }
        return (sim, try smallFabric(sim.pops.map(\.name) + MergeLawTests.mergerNames))
    }

    func feed(_ p: TestPoP) throws -> [Change] {
        try p.with { try $0.changes(after: 0, limit: 1_000_000).changes }
    }

    /// A fresh PoP holding the merge of the given PoPs' whole states, in that order.
    func merge(_ name: String, _ fabric: Fabric, _ parts: [TestPoP], at time: Double) throws -> TestPoP {
        let m = try TestPoP(name: name, fabric: fabric, start: time)
        for p in parts {
            let changes = try feed(p)
            try m.with { _ = try $0.apply(changes) }
        }
        return m
    }

    func same(_ x: TestPoP, _ y: TestPoP, at t: Double) throws -> Bool {
        try x.states(at: t) == y.states(at: t) && x.content(at: t) == y.content(at: t)
    }

    @Test(arguments: 1...12) func mergeIsCommutativeAssociativeAndIdempotent(seed: UInt64) throws {
        let (sim, fabric) = try histories(seed: seed)
        let (a, b, c) = (sim.pops[0], sim.pops[1], sim.pops[2])
        let t = sim.pops.map { $0.clock.now() }.max()!
        // A copy made from a PoP's feed holds what the PoP holds.
        #expect(try same(merge("m1", fabric, [a], at: t), a, at: t), "seed \(seed): copy")
        // Idempotent: merging a state with itself changes nothing.
        #expect(try same(merge("m1", fabric, [a, a], at: t), a, at: t), "seed \(seed): idempotence")
        // Commutative.
        let ab = try merge("m2", fabric, [a, b], at: t)
        #expect(try same(ab, merge("m3", fabric, [b, a], at: t), at: t), "seed \(seed): commutativity")
        // Associative: (a ⊔ b) ⊔ c == a ⊔ (b ⊔ c).
        let bc = try merge("m4", fabric, [b, c], at: t)
        let left = try merge("m5", fabric, [ab, c], at: t)
        let right = try merge("m6", fabric, [a, bc], at: t)
        #expect(try same(left, right, at: t), "seed \(seed): associativity")
    }
}
