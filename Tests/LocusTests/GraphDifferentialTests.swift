// Traversals and path searches checked against a reference written only for this test, on
// seeded random graphs with cycles, self-loops, parallel edges and weights (some edges without
// one): every direction × uniqueness × order × depth range must visit exactly the reference's
// multiset of vertices (weighted order: with the reference's path weights, in non-decreasing
// order); every shortest path must have the reference's length or weight and follow real
// edges; K_PATHS and ALL_SHORTEST_PATHS must give exactly the reference's simple paths, and
// K_SHORTEST_PATHS the lightest simple paths in order.

import Testing
@testable import Locus

@Suite struct GraphDifferentialTests {
    struct Graph {
        var vertices: [String]
        var edges: [(key: String, from: String, to: String)]
        /// Edge weights; an edge missing here has no weight attribute.
        var weights: [String: Double] = [:]
        static let defaultWeight = 2.0

        func weight(_ edge: String) -> Double { weights[edge] ?? Graph.defaultWeight }

        func steps(_ v: String, _ direction: String) -> [(edge: String, to: String)] {
            var out: [(String, String)] = []
            for e in edges {
                if direction != "inbound" && e.from == v { out.append((e.key, e.to)) }
                if direction != "outbound" && e.to == v { out.append((e.key, e.from)) }
            }
            return out
        }

        /// Every path from `start` of `min` to `max` edges under the uniqueness rules, as
        /// (last vertex, total weight).
        func paths(start: String, min: Int, max: Int, direction: String, uniqueVertices: String, uniqueEdges: String)
            -> [(String, Double)]
        {
            var out: [(String, Double)] = []
            func walk(_ path: [String], _ used: [String], _ w: Double) {
                if used.count >= min { out.append((path.last!, w)) }
                if used.count == max { return }
                for (e, v) in steps(path.last!, direction) {
                    if uniqueEdges == "path" && used.contains(e) { continue }
                    if uniqueVertices == "path" && path.contains(v) { continue }
                    walk(path + [v], used + [e], w + weight(e))
                }
            }
            walk([start], [], 0)
            return out
        }

        /// Every path without a repeated vertex from `from` to `to`, as its edge keys.
        func simplePaths(_ from: String, _ to: String, _ direction: String, maxLength: Int = 100) -> [[String]] {
            var out: [[String]] = []
            func walk(_ path: [String], _ used: [String]) {
                if path.last! == to { out.append(used); return }
                if used.count == maxLength { return }
                for (e, v) in steps(path.last!, direction) where !path.contains(v) { walk(path + [v], used + [e]) }
            }
            walk([from], [])
            return out
        }

        /// The least total weight from `from` to every vertex (relaxation until nothing changes).
        func lightest(_ from: String, _ direction: String) -> [String: Double] {
            var best: [String: Double] = [from: 0]
            var changed = true
            while changed {
                changed = false
                for v in vertices {
                    guard let d = best[v] else { continue }
                    for (e, w) in steps(v, direction) where d + weight(e) < best[w] ?? .infinity {
                        best[w] = d + weight(e)
                        changed = true
                    }
                }
            }
            return best
        }

        /// All vertices a traversal emits (as a sorted multiset), by plain path enumeration.
        func reference(
            start: String, min: Int, max: Int, direction: String, uniqueVertices: String, uniqueEdges: String
        ) -> [String] {
            if uniqueVertices == "global" {
                var depth: [String: Int] = [start: 0]
                var frontier = [start]
                var out: [String] = []
                var d = 0
                if min == 0 { out.append(start) }
                while d < max && !frontier.isEmpty {
                    d += 1
                    var next: [String] = []
                    for v in frontier {
                        for (_, w) in steps(v, direction) where depth[w] == nil {
                            depth[w] = d
                            next.append(w)
                            if d >= min { out.append(w) }
                        }
                    }
                    frontier = next
                }
                return out.sorted()
            }
            var out: [String] = []
            func walk(_ path: [String], _ used: [String]) {
                let d = used.count
                if d >= min { out.append(path.last!) }
                if d == max { return }
                for (e, w) in steps(path.last!, direction) {
                    if uniqueEdges == "path" && used.contains(e) { continue }
                    if uniqueVertices == "path" && path.contains(w) { continue }
                    walk(path + [w], used + [e])
                }
            }
            walk([start], [])
            return out.sorted()
        }

        func distance(_ from: String, _ to: String, _ direction: String) -> Int? {
            var dist: [String: Int] = [from: 0]
            var frontier = [from]
            while !frontier.isEmpty {
                var next: [String] = []
                for v in frontier {
                    for (_, w) in steps(v, direction) where dist[w] == nil {
                        dist[w] = dist[v]! + 1
                        next.append(w)
                    }
                }
                frontier = next
            }
            return dist[to]
        }
    }

    static func randomGraph(seed: UInt64) -> Graph {
        var state = seed
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % n
        }
        let vertices = (0..<9).map { "n\($0)" }
        var edges: [(String, String, String)] = []
        var weights: [String: Double] = [:]
        for i in 0..<22 {
            let a = vertices[next(vertices.count)]
            let b = i % 7 == 0 ? a : vertices[next(vertices.count)]  // self-loops; parallel edges arise by chance
            edges.append(("e\(i)", a, b))
            if i % 5 != 3 { weights["e\(i)"] = Double(next(6)) }
        }
        return Graph(vertices: vertices, edges: edges, weights: weights)
    }

    func load(_ g: Graph) throws -> Database {
        let db = try Database.inMemory()
        try db.createGraph("g", edgeDefinitions: [["collection": "edges", "from": ["vs"], "to": ["vs"]]])
        for v in g.vertices { try db.query("INSERT {_key: @k} INTO vs", bindVars: ["k": .string(v)]) }
        for e in g.edges {
            try db.query(
                "INSERT MERGE({_key: @k, _from: CONCAT('vs/', @a), _to: CONCAT('vs/', @b)}, @w) INTO edges",
                bindVars: [
                    "k": .string(e.key), "a": .string(e.from), "b": .string(e.to),
                    "w": g.weights[e.key].map { ["w": .number($0)] } ?? [:],
                ])
        }
        return db
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func traversalsMatchTheReference(seed: UInt64) throws {
        let g = GraphDifferentialTests.randomGraph(seed: seed)
        let db = try load(g)
        var compared = 0
        defer { #expect(compared > 500, "the reference comparisons must not be vacuous") }
        for start in g.vertices.prefix(4) {
            for direction in ["outbound", "inbound", "any"] {
                for (lo, hi) in [(1, 1), (1, 3), (0, 2), (2, 3)] {
                    for uv in ["none", "path", "global"] {
                        for ue in ["none", "path"] where !(uv == "global" && ue == "none") {
                            for order in uv == "global" ? ["bfs"] : ["dfs", "bfs"] {
                                let q =
                                    "FOR v IN \(lo)..\(hi) \(direction.uppercased()) 'vs/\(start)' GRAPH 'g' "
                                    + "OPTIONS {order: '\(order)', uniqueVertices: '\(uv)', uniqueEdges: '\(ue)'} RETURN v._key"
                                let got = try db.query(q).rows.compactMap(\.stringValue).sorted()
                                let want = g.reference(
                                    start: start, min: lo, max: hi, direction: direction, uniqueVertices: uv,
                                    uniqueEdges: ue)
                                #expect(got == want, "seed \(seed): \(q)")
                                compared += want.count
                            }
                        }
                    }
                }
            }
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func shortestPathsMatchTheReference(seed: UInt64) throws {
        let g = GraphDifferentialTests.randomGraph(seed: seed)
        let db = try load(g)
        for from in g.vertices {
            for to in g.vertices {
                for direction in ["outbound", "any"] {
                    let rows = try db.query(
                        "FOR v, e IN \(direction.uppercased()) SHORTEST_PATH 'vs/\(from)' TO 'vs/\(to)' GRAPH 'g' RETURN [v._key, e._from, e._to]"
                    ).rows
                    let want = g.distance(from, to, direction)
                    #expect(rows.isEmpty == (want == nil), "\(from)→\(to) \(direction)")
                    guard let want, !rows.isEmpty else { continue }
                    #expect(rows.count == want + 1, "\(from)→\(to) \(direction): \(rows)")
                    // Consecutive vertices are joined by the edge reported with the later one.
                    for i in 1..<rows.count {
                        let prev = "vs/" + (rows[i - 1][index: 0].stringValue ?? "")
                        let cur = "vs/" + (rows[i][index: 0].stringValue ?? "")
                        let ends = Set([rows[i][index: 1].stringValue ?? "", rows[i][index: 2].stringValue ?? ""])
                        #expect(ends == Set([prev, cur]), "\(from)→\(to): \(rows)")
                    }
                }
            }
        }
    }

    static let weighted = "weightAttribute: 'w', defaultWeight: \(Int(Graph.defaultWeight))"

    @Test(arguments: [1, 2, 3] as [UInt64])
    func weightedTraversalsMatchTheReference(seed: UInt64) throws {
        let g = GraphDifferentialTests.randomGraph(seed: seed)
        let db = try load(g)
        var compared = 0
        defer { #expect(compared > 300, "the reference comparisons must not be vacuous") }
        for start in g.vertices.prefix(4) {
            for direction in ["outbound", "inbound", "any"] {
                for (lo, hi) in [(1, 1), (0, 3), (2, 3)] {
                    for uv in ["none", "path"] {
                        for ue in ["none", "path"] {
                            let q =
                                "FOR v, e, p IN \(lo)..\(hi) \(direction.uppercased()) 'vs/\(start)' edges "
                                + "OPTIONS {order: 'weighted', \(GraphDifferentialTests.weighted), uniqueVertices: '\(uv)', uniqueEdges: '\(ue)'} "
                                + "RETURN [v._key, p.weights[-1]]"
                            let rows = try db.query(q).rows.map {
                                ($0[index: 0].stringValue ?? "", $0[index: 1].numberValue ?? -1)
                            }
                            let weightsInOrder = rows.map(\.1)
                            #expect(
                                weightsInOrder == weightsInOrder.sorted(), "seed \(seed): paths not by weight: \(q)")
                            let want = g.paths(
                                start: start, min: lo, max: hi, direction: direction, uniqueVertices: uv,
                                uniqueEdges: ue)
                            #expect(
                                rows.map { "\($0.0) \($0.1)" }.sorted() == want.map { "\($0.0) \($0.1)" }.sorted(),
                                "seed \(seed): \(q)")
                            compared += want.count
                        }
                    }
                }
            }
            // Globally unique vertices in weighted order, deep enough to reach everything:
            // each reachable vertex once, at its least weight.
            for direction in ["outbound", "any"] {
                let q =
                    "FOR v, e, p IN 0..\(g.vertices.count) \(direction.uppercased()) 'vs/\(start)' edges "
                    + "OPTIONS {order: 'weighted', \(GraphDifferentialTests.weighted), uniqueVertices: 'global'} RETURN [v._key, p.weights[-1]]"
                let got = try db.query(q).rows.map {
                    "\($0[index: 0].stringValue ?? "") \($0[index: 1].numberValue ?? -1)"
                }.sorted()
                let want = g.lightest(start, direction).map { "\($0.key) \($0.value)" }.sorted()
                #expect(got == want, "seed \(seed): \(q)")
            }
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func pathSearchesMatchTheReference(seed: UInt64) throws {
        let g = GraphDifferentialTests.randomGraph(seed: seed)
        let db = try load(g)
        var paths = 0
        defer { #expect(paths > 100, "the reference comparisons must not be vacuous") }
        func keys(_ q: String) throws -> [[String]] {
            try db.query(q).rows.map { $0.arrayValue?.compactMap(\.stringValue) ?? [] }
        }
        for from in g.vertices.prefix(5) {
            for to in g.vertices.suffix(5) {
                for direction in ["outbound", "inbound", "any"] {
                    let d = direction.uppercased()
                    let simple = g.simplePaths(from, to, direction)
                    paths += simple.count

                    // K_PATHS: exactly the simple paths of 1 to 3 edges, shortest first.
                    let kPaths = try keys(
                        "FOR p IN 1..3 \(d) K_PATHS 'vs/\(from)' TO 'vs/\(to)' edges RETURN p.edges[*]._key")
                    let wantKPaths = from == to ? [] : simple.filter { (1...3).contains($0.count) }
                    #expect(
                        kPaths.map { $0.joined(separator: ",") }.sorted()
                            == wantKPaths.map { $0.joined(separator: ",") }.sorted(),
                        "seed \(seed): K_PATHS \(from)→\(to) \(d)")
                    #expect(
                        kPaths.map(\.count) == kPaths.map(\.count).sorted(), "seed \(seed): K_PATHS not shortest first")

                    // ALL_SHORTEST_PATHS: exactly the simple paths of the least length.
                    let all = try keys(
                        "FOR p IN \(d) ALL_SHORTEST_PATHS 'vs/\(from)' TO 'vs/\(to)' edges RETURN p.edges[*]._key")
                    let fewest = simple.map(\.count).min()
                    let wantAll = from == to ? [[]] : simple.filter { $0.count == fewest }
                    #expect(
                        all.map { $0.joined(separator: ",") }.sorted()
                            == wantAll.map { $0.joined(separator: ",") }.sorted(),
                        "seed \(seed): ALL_SHORTEST_PATHS \(from)→\(to) \(d)")

                    // K_SHORTEST_PATHS: distinct simple paths, the lightest first.
                    let k = try db.query(
                        "FOR p IN \(d) K_SHORTEST_PATHS 'vs/\(from)' TO 'vs/\(to)' edges OPTIONS {\(GraphDifferentialTests.weighted)} "
                            + "LIMIT 6 RETURN [p.edges[*]._key, p.weight]"
                    ).rows
                    let got = k.map {
                        ($0[index: 0].arrayValue?.compactMap(\.stringValue) ?? [], $0[index: 1].numberValue ?? -1)
                    }
                    let reference = (from == to ? [[]] : simple).map { ($0, $0.reduce(0) { $0 + g.weight($1) }) }
                    let wantWeights = reference.map(\.1).sorted().prefix(6)
                    #expect(
                        got.map(\.1) == Array(wantWeights), "seed \(seed): K_SHORTEST_PATHS \(from)→\(to) \(d) weights")
                    let known = Set(reference.map { $0.0.joined(separator: ",") })
                    #expect(
                        got.allSatisfy { known.contains($0.0.joined(separator: ",")) },
                        "seed \(seed): K_SHORTEST_PATHS invalid path")
                    #expect(
                        Set(got.map { $0.0.joined(separator: ",") }).count == got.count,
                        "seed \(seed): K_SHORTEST_PATHS repeats a path")
                    for (edges, w) in got { #expect(edges.reduce(0) { $0 + g.weight($1) } == w) }

                    // Weighted SHORTEST_PATH: the least weight.
                    let sp = try db.query(
                        "FOR v, e IN \(d) SHORTEST_PATH 'vs/\(from)' TO 'vs/\(to)' edges OPTIONS {\(GraphDifferentialTests.weighted)} "
                            + "RETURN e._key"
                    ).rows
                    let least = g.lightest(from, direction)[to]
                    #expect(sp.isEmpty == (least == nil), "seed \(seed): SHORTEST_PATH \(from)→\(to) \(d)")
                    if let least, !sp.isEmpty {
                        #expect(sp.dropFirst().compactMap(\.stringValue).reduce(0) { $0 + g.weight($1) } == least)
                    }
                }
            }
        }
    }
}
