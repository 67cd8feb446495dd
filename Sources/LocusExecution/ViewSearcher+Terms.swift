// The view search's leaves: terms, term ranges and prefixes, phrases, typed values and field
// existence read from a view's entries, and ArangoSearch's functions that combine them. Each
// matched term is scored as ArangoSearch scores it: BM25 with idf = ln(1 + (N − n + 0.5) /
// (n + 0.5)) and tf·(k + 1) / (tf + k·(1 − b + b·dl/avgdl)), TF-IDF with
// √tf · (ln((N + 1)/(n + 1)) + 1), divided by √dl when normalized; N counts the documents with
// the field, n those with the term. An analyzer without the `frequency` feature scores 0, one
// without `norm` ignores lengths (b = 0), as in ArangoSearch.

import Foundation
import LocusAnalysis
import LocusErrors
import LocusFunctions
import LocusPlanner
import LocusStorage
import LocusValues

extension ViewSearcher {
    /// The analyzer a name refers to; error 10 when there is none.
    func resolvedAnalyzer(_ name: String) throws -> Analyzer {
        guard let a = try storage.searchAnalyzer(name) else { throw AnalyzerDefinition.notFound(name) }
        return a
    }

    func call(_ name: String, _ args: [BoundExpr], analyzer: String, boost: Double) throws -> Matches {
        func path(_ i: Int) throws -> String {
            guard i < args.count, let p = fieldPath(args[i]) else { throw unsupported("\(name) without a field") }
            return p
        }
        switch name {
        case "ANALYZER":
            let chosen = AnalyzerDefinition.shortName(try value(args[1]).toStringValue)
            _ = try resolvedAnalyzer(chosen)
            return try search(args[0], analyzer: chosen, boost: boost)
        case "BOOST":
            return try search(args[0], analyzer: analyzer, boost: boost * (try value(args[1]).toNumber))
        case "EXISTS":
            return try exists(try path(0), args.dropFirst().map { try value($0) }, analyzer: analyzer)
        case "PHRASE":
            return try phrase(try path(0), Array(args.dropFirst()), analyzer: analyzer, boost: boost)
        case "STARTS_WITH":
            let field = try path(0)
            let prefixes = try arrayValues(args[1]).map(\.toStringValue)
            let minimum = args.count > 2 ? try value(args[2]).toNumber.clampedInt : 1
            let each = try prefixes.map { p in
                union(
                    try terms(field, analyzer: analyzer, prefix: p).map {
                        try self.term(field, analyzer: analyzer, term: $0, boost: boost)
                    })
            }
            return atLeast(max(1, minimum), of: each)
        case "IN_RANGE":
            let (low, high) = (try value(args[1]), try value(args[2]))
            let includeLow = args.count > 3 ? try value(args[3]).isTruthy : true
            let includeHigh = args.count > 4 ? try value(args[4]).isTruthy : true
            return try range(
                try path(0), from: (low, includeLow), to: (high, includeHigh), analyzer: analyzer, boost: boost)
        case "LIKE":
            return try like(try path(0), pattern: try value(args[1]).toStringValue, analyzer: analyzer, boost: boost)
        case "LEVENSHTEIN_MATCH":
            let field = try path(0)
            let target = try value(args[1]).toStringValue
            let distance = try value(args[2]).toNumber.clampedInt
            // ArangoSearch's limit: 4 edits, 3 with transpositions.
            let transpositions = args.count > 3 ? try value(args[3]).isTruthy : true
            guard distance >= 0, distance <= (transpositions ? 3 : 4) else {
                throw LocusError(
                    .badParameter, "LEVENSHTEIN_MATCH: the distance must be between 0 and 4 (3 with transpositions)")
            }
            let prefix = args.count > 5 ? try value(args[5]).toStringValue : ""
            let near = try terms(field, analyzer: analyzer, prefix: prefix).filter {
                TextDistance.edit(
                    Array($0.unicodeScalars.dropFirst(prefix.unicodeScalars.count)), Array(target.unicodeScalars),
                    transpositions: transpositions, limit: distance) <= distance
            }
            return union(try near.map { try term(field, analyzer: analyzer, term: $0, boost: boost) })
        case "NGRAM_MATCH":
            return try ngramMatch(try path(0), Array(args.dropFirst()), analyzer: analyzer, boost: boost)
        case "MINHASH_MATCH":
            let field = try path(0)
            let (target, threshold, chosen) = try matchArguments(
                "MINHASH_MATCH", Array(args.dropFirst()), defaultThreshold: 0, analyzer: analyzer)
            let wanted = Array(Set(try resolvedAnalyzer(chosen).tokens(target)))
            guard !wanted.isEmpty else { return [:] }
            let each = try wanted.map { try term(field, analyzer: chosen, term: $0, boost: boost) }
            let minimum = Int((threshold * Double(wanted.count)).rounded(.up))
            return atLeast(max(1, minimum), of: each)
        case "MIN_MATCH":
            guard args.count >= 2 else { throw unsupported("MIN_MATCH needs conditions and a count") }
            let minimum = try value(args[args.count - 1]).toNumber.clampedInt
            return atLeast(
                max(1, minimum), of: try args.dropLast().map { try search($0, analyzer: analyzer, boost: boost) })
        default:
            throw unsupported("\(name)()")
        }
    }

    /// The documents found in at least `minimum` of `parts`, their scores summed.
    func atLeast(_ minimum: Int, of parts: [Matches]) -> Matches {
        var counts: [DocRef: Int] = [:]
        for part in parts { for doc in part.keys { counts[doc, default: 0] += 1 } }
        return union(parts).filter { counts[$0.key, default: 0] >= minimum }
    }

    // MARK: Reading entries

    /// Each document with the positions of one term.
    func postings(_ path: String, analyzer: String, term: String) throws -> [DocRef: [Int]] {
        var out: [DocRef: [Int]] = [:]
        try storage.viewEntries(view, SearchKey.tokens(path: path, analyzer: analyzer, term: term)) {
            entry, coll, key in
            if case .token(_, _, _, let position, _, _) = entry {
                let doc = DocRef(coll: coll, key: key)
                out[doc, default: []].append(position)
                if !scan.offsetInfos.isEmpty {
                    hits[doc, default: []].insert(Hit(path: path, analyzer: analyzer, term: term))
                }
            }
            return true
        }
        return out
    }

    /// The distinct terms of a field that start with `prefix`, in byte order.
    func terms(_ path: String, analyzer: String, prefix: String) throws -> [String] {
        var out: [String] = []
        try storage.viewEntries(view, SearchKey.tokens(path: path, analyzer: analyzer, prefix: prefix)) { entry, _, _ in
            if case .token(_, _, let t, _, _, _) = entry, out.last != t { out.append(t) }
            return true
        }
        return out
    }

    func term(_ path: String, analyzer: String, term: String, boost: Double) throws -> Matches {
        try scored(try postings(path, analyzer: analyzer, term: term).mapValues(\.count), path, analyzer, boost: boost)
    }

    /// Documents with typed values in a key range (unscored: ArangoSearch keeps no
    /// frequencies for them).
    func values(_ range: IndexRange, path: String, boost: Double) throws -> Matches {
        var out: Matches = [:]
        try storage.viewEntries(view, range) { _, coll, key in
            out[DocRef(coll: coll, key: key)] = noScores
            return true
        }
        return out
    }

    /// A range: byte-ordered terms of the analyzer for strings, typed values otherwise.
    func range(
        _ path: String, from low: (Value, inclusive: Bool)?, to high: (Value, inclusive: Bool)?, analyzer: String,
        boost: Double
    ) throws -> Matches {
        let sample = low?.0 ?? high?.0 ?? .null
        if case .string = sample {
            let lo = low.map { (Array($0.0.toStringValue.utf8), $0.inclusive) }
            let hi = high.map { (Array($0.0.toStringValue.utf8), $0.inclusive) }
            let inside = try terms(path, analyzer: analyzer, prefix: "").filter { t in
                let b = Array(t.utf8)
                if let (l, inc) = lo, inc ? b.lexicographicallyPrecedes(l) : !l.lexicographicallyPrecedes(b) {
                    return false
                }
                if let (h, inc) = hi, inc ? h.lexicographicallyPrecedes(b) : !b.lexicographicallyPrecedes(h) {
                    return false
                }
                return true
            }
            return union(try inside.map { try term(path, analyzer: analyzer, term: $0, boost: boost) })
        }
        // Typed values: a bound of another type than the other bound's matches nothing of it.
        func sameType(_ v: Value?) -> Bool { v.map { $0.typeRank == sample.typeRank } ?? true }
        guard sameType(low?.0), sameType(high?.0) else { return [:] }
        let floor: Value? =
            switch sample {
            case .number: .number(-.infinity)
            case .bool: .bool(false)
            default: nil
            }
        let ceiling: Value? =
            switch sample {
            case .number: .number(.infinity)
            case .bool: .bool(true)
            default: nil
            }
        let from = low ?? floor.map { ($0, true) }
        let to = high ?? ceiling.map { ($0, true) }
        return try values(SearchKey.values(path: path, from: from, to: to), path: path, boost: boost)
    }

    func like(_ path: String, pattern: String, analyzer: String, boost: Double) throws -> Matches {
        let literal = String(pattern.prefix { $0 != "%" && $0 != "_" && $0 != "\\" })
        let likeFunction = FunctionRegistry.lookup("LIKE")!
        let matching = try terms(path, analyzer: analyzer, prefix: literal).filter {
            try likeFunction.call([.string($0), .string(pattern)], executor).isTruthy
        }
        return union(try matching.map { try term(path, analyzer: analyzer, term: $0, boost: boost) })
    }

    /// EXISTS(d.f), EXISTS(d.f, "string" | "bool" | "boolean" | "numeric" | "null" | "type"),
    /// EXISTS(d.f, "analyzer"[, name]).
    func exists(_ path: String, _ args: [Value], analyzer: String) throws -> Matches {
        var ranges: [IndexRange] = SearchKey.field(path)
        switch args.first?.stringValue {
        case nil, "type"?: break
        case "string"?: ranges = [SearchKey.field(path)[1]]
        case "bool"?, "boolean"?: ranges = [SearchKey.values(path: path, from: (false, true), to: (true, true))]
        case "numeric"?:
            ranges = [SearchKey.values(path: path, from: (.number(-.infinity), true), to: (.number(.infinity), true))]
        case "null"?: ranges = [SearchKey.values(path: path, from: (.null, true), to: (.null, true))]
        case "analyzer"?:
            let name = args.count > 1 ? AnalyzerDefinition.shortName(args[1].toStringValue) : analyzer
            ranges = [SearchKey.lengths(path: path, analyzer: name)]
        case let other?: throw unsupported("EXISTS type '\(other)'")
        }
        return union(try ranges.map { try values($0, path: path, boost: 1) })
    }

    /// PHRASE(d.f, part, [skip, part, …], [analyzer]); a part may also be an array of them. A
    /// text part is analyzed into consecutive tokens; an object part is one position matched by
    /// `{TERM: t}`, `{TERMS: [t, …]}`, `{STARTS_WITH: p}`, `{WILDCARD: pattern}` or
    /// `{LEVENSHTEIN_MATCH: [t, distance, transpositions]}`, read against the field's terms.
    func phrase(_ path: String, _ args: [BoundExpr], analyzer: String, boost: Double) throws -> Matches {
        var parts = try args.map { try value($0) }
        var chosen = analyzer
        if parts.count % 2 == 0, case .string(let name)? = parts.last {
            chosen = AnalyzerDefinition.shortName(name)
            parts.removeLast()
        }
        let a = try resolvedAnalyzer(chosen)
        parts = parts.flatMap { if case .array(let xs) = $0 { xs } else { [$0] } }
        // Each position of the phrase: its offset from the first, and the terms it accepts.
        var slots: [(offset: Int, terms: [String])] = []
        var next = 0
        for part in parts {
            switch part {
            case .string(let text):
                for t in a.tokens(text) {
                    slots.append((next, [t]))
                    next += 1
                }
            case .number(let skip): next += min(max(0, skip.clampedInt), 1 << 20)
            case .object(let o) where o.count == 1:
                slots.append((next, try phraseTerms(path, chosen, o.keys[0], o.values[0])))
                next += 1
            default: throw unsupported("PHRASE part \(JSONWriter.string(part))")
            }
        }
        guard !slots.isEmpty else { return [:] }
        var positions: [String: [DocRef: Set<Int>]] = [:]
        for t in Set(slots.flatMap(\.terms)) {
            positions[t] = try postings(path, analyzer: chosen, term: t).mapValues(Set.init)
        }
        func at(_ slot: (offset: Int, terms: [String]), _ doc: DocRef, _ position: Int) -> Bool {
            slot.terms.contains { positions[$0]?[doc]?.contains(position) ?? false }
        }
        let first = slots[0]
        var starts: [DocRef: Set<Int>] = first.terms.count == 1 ? positions[first.terms[0]] ?? [:] : [:]
        if first.terms.count > 1 {
            for t in first.terms { for (doc, ps) in positions[t] ?? [:] { starts[doc, default: []].formUnion(ps) } }
        }
        var frequencies: [DocRef: Int] = [:]
        for (doc, ps) in starts {
            let count = ps.filter { p in slots.allSatisfy { at($0, doc, p - first.offset + $0.offset) } }.count
            if count > 0 { frequencies[doc] = count }
        }
        let documentCounts = slots.map { slot in
            slot.terms.count == 1
                ? positions[slot.terms[0]]?.count ?? 0
                : Set(slot.terms.flatMap { positions[$0]?.keys.map { $0 } ?? [] }).count
        }
        return try scored(frequencies, path, chosen, boost: boost, termDocuments: documentCounts)
    }

    /// The field's terms one object part of a phrase accepts.
    private func phraseTerms(_ path: String, _ analyzer: String, _ kind: String, _ argument: Value) throws -> [String] {
        switch (kind, argument) {
        case ("TERM", .string(let t)): return [t]
        case ("TERMS", .array(let ts)): return ts.compactMap(\.stringValue)
        case ("STARTS_WITH", .string(let p)): return try terms(path, analyzer: analyzer, prefix: p)
        case ("WILDCARD", .string(let pattern)):
            let like = FunctionRegistry.lookup("LIKE")!
            let literal = String(pattern.prefix { $0 != "%" && $0 != "_" && $0 != "\\" })
            return try terms(path, analyzer: analyzer, prefix: literal).filter {
                try like.call([.string($0), .string(pattern)], executor).isTruthy
            }
        case ("LEVENSHTEIN_MATCH", .array(let spec)) where spec.first?.stringValue != nil:
            let target = Array((spec[0].stringValue ?? "").unicodeScalars)
            let distance = spec.count > 1 ? spec[1].toNumber.clampedInt : 1
            let transpositions = spec.count > 2 ? spec[2].isTruthy : true
            guard distance >= 0, distance <= (transpositions ? 3 : 4) else {
                throw LocusError(.badParameter, "PHRASE: the Levenshtein distance must be between 0 and 4")
            }
            return try terms(path, analyzer: analyzer, prefix: "").filter {
                TextDistance.edit(Array($0.unicodeScalars), target, transpositions: transpositions, limit: distance)
                    <= distance
            }
        default:
            throw unsupported("PHRASE part {\(kind): \(JSONWriter.string(argument))}")
        }
    }

    /// The arguments after the field of NGRAM_MATCH and MINHASH_MATCH: `(target, [threshold],
    /// [analyzer])`, an analyzer being a string after the target; the threshold in (0, 1].
    func matchArguments(_ function: String, _ args: [BoundExpr], defaultThreshold: Double, analyzer: String)
        throws -> (target: String, threshold: Double, analyzer: String)
    {
        var values = try args.map { try value($0) }
        var chosen = analyzer
        if case .string(let name)? = values.last, values.count > 1 {
            chosen = AnalyzerDefinition.shortName(name)
            values.removeLast()
        }
        let threshold = values.count > 1 ? values[1].toNumber : defaultThreshold
        guard threshold > 0, threshold <= 1 else {
            throw LocusError(.badParameter, "\(function): the threshold must be in (0, 1]")
        }
        return (values.first?.toStringValue ?? "", threshold, chosen)
    }

    /// NGRAM_MATCH(d.f, target, [threshold = 0.7], [analyzer]): the field's n-grams (by an
    /// ngram analyzer) whose longest common subsequence with the target's covers at least
    /// `threshold` of the target's n-grams.
    func ngramMatch(_ path: String, _ args: [BoundExpr], analyzer: String, boost: Double) throws -> Matches {
        let (text, threshold, chosen) = try matchArguments(
            "NGRAM_MATCH", args, defaultThreshold: 0.7, analyzer: analyzer)
        let target = try resolvedAnalyzer(chosen).tokens(text)
        guard !target.isEmpty else { return [:] }
        var candidates = Set<DocRef>()
        for gram in Set(target) { candidates.formUnion(try postings(path, analyzer: chosen, term: gram).keys) }
        var frequencies: [DocRef: Int] = [:]
        for doc in candidates {
            let grams = try storage.viewEntries(view, collection: doc.coll, key: doc.key).compactMap {
                entry -> (Int, String)? in
                guard case .token(let p, let an, let term, let position, _, _) = entry, p == path, an == chosen else {
                    return nil
                }
                return (position, term)
            }.sorted { $0.0 < $1.0 }.map(\.1)
            let common = TextDistance.longestCommonSubsequence(grams, target)
            if Double(common) / Double(target.count) >= threshold { frequencies[doc] = common }
        }
        return try scored(frequencies, path, chosen, boost: boost)
    }

    // MARK: Scoring

    /// A field's documents and tokens, for one search.
    private func stats(_ path: String, _ analyzer: String) throws -> (docs: Int, tokens: Int) {
        let id = path + "\u{0}" + analyzer
        if let known = fieldTotals[id] { return known }
        let totals = try storage.viewFieldTotals(view, path: path, analyzer: analyzer)
        fieldTotals[id] = totals
        return totals
    }

    /// Scores documents matching a term (or a phrase: `termDocuments` holds how many
    /// documents hold each of its terms, whose idfs add up) occurring `frequency` times.
    func scored(
        _ frequencies: [DocRef: Int], _ path: String, _ analyzer: String, boost: Double, termDocuments: [Int]? = nil
    ) throws -> Matches {
        guard !scan.scorers.isEmpty else { return frequencies.mapValues { _ in [] } }
        let features: Set<String> = Set(try storage.searchAnalyzer(analyzer)?.definition.features ?? [])
        let field = try stats(path, analyzer)
        let n = Double(field.docs)
        // Lengths of few documents are looked up one by one; of many, read in one pass.
        var lengths: [DocRef: Int]? = nil
        if features.contains("norm"), frequencies.count * 8 > field.docs {
            var all: [DocRef: Int] = [:]
            all.reserveCapacity(field.docs)
            try storage.viewFieldLengths(view, path: path, analyzer: analyzer) { all[DocRef(coll: $0, key: $1)] = $2 }
            lengths = all
        }
        let counts = (termDocuments ?? [frequencies.count]).map(Double.init)
        let average = field.docs > 0 ? Double(field.tokens) / Double(field.docs) : 1
        var out: Matches = [:]
        for (doc, frequency) in frequencies {
            let tf = Double(frequency)
            let length: Double
            if let lengths {
                length = Double(lengths[doc] ?? 0)
            } else if features.contains("norm") {
                length = Double(
                    try storage.viewFieldLength(
                        view, path: path, analyzer: analyzer, collection: doc.coll, key: doc.key))
            } else {
                length = 0
            }
            out[doc] = scan.scorers.map { scorer in
                guard features.contains("frequency") else { return 0 }
                switch scorer.kind {
                case .bm25(let k, let b):
                    let idf = counts.reduce(0) { $0 + log1p((n - $1 + 0.5) / ($1 + 0.5)) }
                    let lengthNorm = features.contains("norm") && average > 0 ? 1 - b + b * length / average : 1
                    return boost * idf * (k + 1) * tf / (k * lengthNorm + tf)
                case .tfidf(let normalize):
                    let idf = counts.reduce(0) { $0 + log((n + 1) / ($1 + 1)) + 1 }
                    let score = boost * tf.squareRoot() * idf
                    return normalize && features.contains("norm") && length > 0 ? score / length.squareRoot() : score
                }
            }
        }
        return out
    }
}
