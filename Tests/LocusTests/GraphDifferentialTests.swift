// Traversals and shortest paths checked against a reference written only for this test, on
// seeded random graphs with cycles, self-loops and parallel edges: every direction ×
// uniqueness × order × depth range must visit exactly the reference's multiset of vertices,
// and every shortest path must have the reference's length and follow real edges.

import Testing
@testable import Locus

@Suite struct GraphDifferentialTests {
    struct Graph {
        var vertices: [String]
        var edges: [(key: String, from: String, to: String)]

        func steps(_ v: String, _ direction: String) -> [(edge: String, to: String)] {
            var out: [(String, String)] = []
            for e in edges {
                if direction != "inbound" && e.from == v { out.append((e.key, e.to)) }
                if direction != "outbound" && e.to == v { out.append((e.key, e.from)) }
            }
            return out
        }

        /// All vertices a traversal emits (as a sorted multiset), by plain path enumeration.
        func reference(start: String, min: Int, max: Int, direction: String, uniqueVertices: String, uniqueEdges: String) -> [String] {
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
        for i in 0..<22 {
            let a = vertices[next(vertices.count)]
            let b = i % 7 == 0 ? a : vertices[next(vertices.count)]  // self-loops; parallel edges arise by chance
            edges.append(("e\(i)", a, b))
        }
        return Graph(vertices: vertices, edges: edges)
    }

    func load(_ g: Graph) throws -> Database {
        let db = try Database.inMemory()
        try db.createGraph("g", edgeDefinitions: [["collection": "edges", "from": ["vs"], "to": ["vs"]]])
        for v in g.vertices { try db.query("INSERT {_key: @k} INTO vs", bindVars: ["k": .string(v)]) }
        for e in g.edges {
            try db.query("INSERT {_key: @k, _from: CONCAT('vs/', @a), _to: CONCAT('vs/', @b)} INTO edges",
                         bindVars: ["k": .string(e.key), "a": .string(e.from), "b": .string(e.to)])
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
                                let q = "FOR v IN \(lo)..\(hi) \(direction.uppercased()) 'vs/\(start)' GRAPH 'g' "
                                    + "OPTIONS {order: '\(order)', uniqueVertices: '\(uv)', uniqueEdges: '\(ue)'} RETURN v._key"
                                let got = try db.query(q).rows.compactMap(\.stringValue).sorted()
                                let want = g.reference(start: start, min: lo, max: hi, direction: direction, uniqueVertices: uv, uniqueEdges: ue)
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
                    let rows = try db.query("FOR v, e IN \(direction.uppercased()) SHORTEST_PATH 'vs/\(from)' TO 'vs/\(to)' GRAPH 'g' RETURN [v._key, e._from, e._to]").rows
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
}
