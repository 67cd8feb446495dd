// Execution plans: a pipeline of named nodes as ArangoDB names them, each reading and
// writing register slots. Subqueries hold plans of their own over the same registers.

import LocusFunctions
import LocusValues

/// A destructuring target bound to registers.
public indirect enum BoundPattern: Sendable {
    case slot(Int)
    case array([BoundPattern?])
    case object([(String, BoundPattern)])
}

/// Reading a collection: which attributes to fetch and which filter to apply while scanning.
public struct CollectionAccess: Sendable {
    public var collection: String
    public var outSlot: Int
    /// Only these top-level attributes are materialised; nil means the whole document.
    public var projections: [String]? {
        get { projection?.names }
        set { projection = newValue.map(JSONProjection.init) }
    }
    /// The reader of `projections`, made once with the plan rather than for every scan.
    public private(set) var projection: JSONProjection?
    /// Evaluated during the scan, before the row flows on.
    public var filter: BoundExpr?
    /// The index holds every projected attribute: documents are never read (covering index).
    public var indexOnly = false
    /// FOR … OPTIONS: preferred index names, whether one of them must be used, and whether
    /// indexes are off for this loop.
    public var indexHint: [String] = []
    public var forceIndexHint = false
    public var disableIndex = false
}

/// How an IndexNode finds its documents.
public enum IndexLookup: Sendable {
    /// Each value of `values` (a key or an array of keys when `isList`).
    case primary(BoundExpr, isList: Bool)
    /// Edges by `_from` (outbound) or `_to`.
    case edge(outbound: Bool, BoundExpr, isList: Bool)
    /// Persistent index: equality values for a prefix of the fields (an entry may be an IN
    /// list), then an optional range on the next field.
    case persistent(
        prefix: [(BoundExpr, isList: Bool)], lower: (BoundExpr, inclusive: Bool)?, upper: (BoundExpr, inclusive: Bool)?)
    /// Geo index: the documents within `radius` metres of a point (any distance when nil),
    /// nearest first, at most `limit`.
    case geo(latitude: BoundExpr, longitude: BoundExpr, radius: BoundExpr?, limit: Int?)
}

public struct IndexScan: Sendable {
    public var access: CollectionAccess
    public var index: PlannerIndex
    public var lookup: IndexLookup
    public var descending: Bool
    /// The conditions the index answers, for EXPLAIN.
    public var conditionText: String
}

public struct SortElement: Sendable {
    public var expr: BoundExpr
    public var ascending: Bool
}

/// An aggregate of COLLECT or WINDOW: the function and its per-row argument.
public struct Aggregate: Sendable {
    public var slot: Int
    public var function: String
    public var argument: BoundExpr?
}

public struct CollectSpec: Sendable {
    public var groups: [(slot: Int, expr: BoundExpr)]
    public var aggregates: [Aggregate]
    public var intoSlot: Int?
    public var intoExpr: BoundExpr?
    /// For INTO without a projection: the variables copied into each member, by name.
    public var keep: [(name: String, slot: Int)]
    public var countSlot: Int?
    public var method: String
}

public struct WindowSpec: Sendable {
    public var rangeExpr: BoundExpr?
    public var preceding: Value
    public var following: Value
    public var aggregates: [Aggregate]
}

/// Options of a data-modification operation.
public struct ModificationOptions: Sendable {
    public var ignoreErrors = false
    public var keepNull = true
    public var mergeObjects = true
    public var overwriteMode: String? = nil
    public var ignoreRevs = true
    public var waitForSync = false
    public init() {}
}

public enum ModificationKind: String, Sendable {
    case insert = "InsertNode", update = "UpdateNode", replace = "ReplaceNode", remove = "RemoveNode", upsert =
        "UpsertNode"
}

public struct ModificationSpec: Sendable {
    public var kind: ModificationKind
    public var collection: String
    public var document: BoundExpr?
    public var key: BoundExpr?
    public var upsertSearch: BoundExpr?
    public var upsertIsFilter = false
    public var upsertCurrentSlot: Int?
    public var upsertReplace = false
    public var options: ModificationOptions
    public var oldSlot: Int?
    public var newSlot: Int?
}

/// The order in which a traversal enumerates paths.
public enum TraversalOrder: String, Sendable {
    case dfs, bfs
    /// Increasing total edge weight (`weightAttribute`, `defaultWeight`).
    case weighted
}

/// How far a traversal keeps vertices or edges from repeating (`uniqueVertices`,
/// `uniqueEdges`): not at all, within one path, or across the whole traversal.
public enum TraversalUniqueness: String, Sendable {
    case none, path, global
}

/// A FILTER condition moved into a traversal (optimize-traversals): tested as each path grows,
/// so that a path failing it is neither emitted nor extended.
public struct PathCondition: Sendable {
    public enum Element: String, Sendable { case vertex, edge }
    public var element: Element
    /// The position tested (`p.vertices[n]`, `p.edges[n]`); nil tests every element (the
    /// ALL and NONE quantifiers over `p.vertices[*]` and `p.edges[*]`).
    public var position: Int?
    /// The condition over the register `slot`, which holds the element tested.
    public var condition: BoundExpr
    public var slot: Int
    /// The conjunct as written in the FILTER, for EXPLAIN.
    public var original: BoundExpr
}

/// A graph traversal over edge collections (`FOR v, e, p IN min..max DIRECTION start edges`).
public struct TraversalSpec: Sendable {
    public var start: BoundExpr
    public var minDepth: Int
    public var maxDepth: Int
    /// Edge collections with their directions ("outbound", "inbound", "any").
    public var edges: [(collection: String, direction: String)]
    public var vertexSlot: Int
    public var edgeSlot: Int?
    public var pathSlot: Int?
    public var prune: BoundExpr?
    public var pruneSlot: Int?
    public var order: TraversalOrder
    public var uniqueVertices: TraversalUniqueness
    /// Never `.global`: ArangoDB refuses it.
    public var uniqueEdges: TraversalUniqueness
    /// The edge attribute holding a weight (`order: "weighted"`), and the weight of edges
    /// without a numeric one.
    public var weightAttribute: String? = nil
    public var defaultWeight: Double = 1
    /// Only these vertex attributes are read (nil: whole documents).
    public var vertexProjection: [String]? = nil
    /// The `vertexCollections` option: vertices of other collections are neither visited nor
    /// passed through (the start vertex excepted); nil for no restriction.
    public var vertexCollections: Set<String>? = nil
    /// Conditions moved in from FILTERs, and the register they test elements in.
    public var conditions: [PathCondition] = []
    public var scratchSlot: Int
    /// The vertex collections of a named graph, for EXPLAIN.
    public var graphVertexCollections: [String] = []
}

/// SHORTEST_PATH between two vertices over edge collections, optionally weighted.
public struct ShortestPathSpec: Sendable {
    public var start: BoundExpr
    public var target: BoundExpr
    public var edges: [(collection: String, direction: String)]
    public var vertexSlot: Int
    public var edgeSlot: Int?
    public var weightAttribute: String?
    public var defaultWeight: Double
}

/// K_SHORTEST_PATHS, K_PATHS and ALL_SHORTEST_PATHS: whole paths between two vertices.
public struct PathEnumerationSpec: Sendable {
    public enum Kind: String, Sendable {
        case kShortestPaths = "K_SHORTEST_PATHS", kPaths = "K_PATHS", allShortestPaths = "ALL_SHORTEST_PATHS"
    }
    public var kind: Kind
    public var start: BoundExpr
    public var target: BoundExpr
    public var edges: [(collection: String, direction: String)]
    /// Path lengths in edges (K_PATHS only).
    public var minDepth: Int
    public var maxDepth: Int
    public var pathSlot: Int
    public var weightAttribute: String?
    public var defaultWeight: Double
}

/// COLLECT on one indexed attribute answered from the index's distinct keys and their counts.
public struct IndexCollectSpec: Sendable {
    public var collection: String
    public var index: PlannerIndex
    public var groupSlot: Int
    /// Registers that receive the group's row count (WITH COUNT INTO, COUNT(), LENGTH()).
    public var countSlots: [Int]
}

/// What a node does.
/// Indirect, so that copying a node (as the executor does per row) is one reference count.
/// A relevance score a view loop computes for each document it emits (`BM25(d)`, `TFIDF(d)`),
/// into its own register.
public struct Scorer: Sendable {
    public enum Kind: Sendable, Equatable {
        case bm25(k: Double, b: Double)
        case tfidf(normalize: Bool)
    }
    public var slot: Int
    public var kind: Kind
}

/// `FOR d IN view SEARCH condition`: the documents of the view's linked collections that
/// match, each with its scores.
public struct ViewScan: Sendable {
    public var view: String
    /// The linked collections searched (all of them, or those OPTIONS {collections} names).
    public var collections: [String]
    public var outSlot: Int
    /// The SEARCH condition; nil matches every document.
    public var search: BoundExpr?
    public var scorers: [Scorer] = []
    /// `OFFSET_INFO(d, paths)` of each document, into its register.
    public var offsetInfos: [OffsetRequest] = []
}

/// `OFFSET_INFO(d, paths)`: where in the named attributes a view loop's document matched.
public struct OffsetRequest: Sendable {
    public var slot: Int
    /// Attribute paths, dotted (`a.b`).
    public var paths: [String]
}

public indirect enum NodeKind: Sendable {
    case singleton
    case enumerateCollection(CollectionAccess)
    case enumerateView(ViewScan)
    case index(IndexScan)
    case enumerateList(source: BoundExpr, target: BoundPattern)
    case traversal(TraversalSpec)
    case shortestPath(ShortestPathSpec)
    case enumeratePaths(PathEnumerationSpec)
    case calculation(target: BoundPattern, expr: BoundExpr)
    case subquery(outSlot: Int, plan: Plan)
    case filter(BoundExpr)
    case sort([SortElement], limit: Int?)
    case limit(offset: Int, count: Int?, fullCount: Bool)
    case collect(CollectSpec)
    case indexCollect(IndexCollectSpec)
    case window(WindowSpec)
    case returnValue(BoundExpr, distinct: Bool)
    case modification(ModificationSpec)
    case noResults

    /// ArangoDB's node type name.
    public var typeName: String {
        switch self {
        case .singleton: "SingletonNode"
        case .enumerateCollection: "EnumerateCollectionNode"
        case .enumerateView: "EnumerateViewNode"
        case .index: "IndexNode"
        case .enumerateList: "EnumerateListNode"
        case .traversal: "TraversalNode"
        case .shortestPath: "ShortestPathNode"
        case .enumeratePaths: "EnumeratePathsNode"
        case .calculation: "CalculationNode"
        case .subquery: "SubqueryNode"
        case .filter: "FilterNode"
        case .sort: "SortNode"
        case .limit: "LimitNode"
        case .collect: "CollectNode"
        case .indexCollect: "IndexCollectNode"
        case .window: "WindowNode"
        case .returnValue: "ReturnNode"
        case .modification(let m): m.kind.rawValue
        case .noResults: "NoResultsNode"
        }
    }
}

/// One node of a plan.
public struct PlanNode: Sendable {
    public var id: Int
    public var kind: NodeKind
    /// Estimated number of rows leaving the node.
    public var estimate: Double = 1
}

/// A pipeline of nodes; rows flow from the first to the last.
public struct Plan: Sendable {
    public var nodes: [PlanNode]
    /// Registers of enclosing queries this plan reads (for subqueries).
    public var outerVariablesUsed: Set<Int>
    public init(nodes: [PlanNode], outerVariablesUsed: Set<Int> = []) {
        self.nodes = nodes
        self.outerVariablesUsed = outerVariablesUsed
    }
}

/// The plan of a whole query with what the executor needs to run it.
public struct QueryPlan: Sendable {
    public var root: Plan
    public var registerCount: Int
    /// Names of registers, for EXPLAIN.
    public var registerNames: [Int: String]
    public var rulesApplied: [String]
    public var collectionsRead: Set<String>
    public var collectionsWritten: Set<String>
    public var warnings: [(Int, String)]
    /// The registers that hold prepared bind parameters (`Binder.preparedParameters`), by
    /// name: the executor loads them from the bind values before the first node runs.
    public var parameterSlots: [String: Int] = [:]
    /// The top-level loop whose documents are returned exactly as stored, set once the plan
    /// is optimized.
    public var passThrough: DocumentPassThrough? = nil
    public var isModification: Bool { !collectionsWritten.isEmpty }
}

/// What the planner needs to know of an index.
public struct PlannerIndex: Sendable {
    public var name: String
    public var type: IndexType
    public var fields: [String]
    public var unique: Bool
    public var sparse: Bool
    /// A one-field geo index reading [longitude, latitude] pairs and GeoJSON.
    public var geoJson = false
    /// Whether a field expands an array (see `IndexFields`).
    public var expandsArrays: Bool { IndexFields.expandArrays(fields) }
    public init(name: String, type: IndexType, fields: [String], unique: Bool, sparse: Bool) {
        self.name = name
        self.type = type
        self.fields = fields
        self.unique = unique
        self.sparse = sparse
    }
}

/// What the planner needs to know of a collection.
public struct PlannerCollection: Sendable {
    public var name: String
    public var type: CollectionType
    public var count: Int
    public var indexes: [PlannerIndex]
    public init(name: String, type: CollectionType, count: Int, indexes: [PlannerIndex]) {
        self.name = name
        self.type = type
        self.count = count
        self.indexes = indexes
    }
}

/// What the planner needs to know of a named graph: its edge and vertex collections.
public struct PlannerGraph: Sendable {
    public var name: String
    public var edgeCollections: [String]
    public var vertexCollections: [String]
    public init(name: String, edgeCollections: [String], vertexCollections: [String] = []) {
        self.name = name
        self.edgeCollections = edgeCollections
        self.vertexCollections = vertexCollections
    }
}

/// The catalog as the planner sees it; the engine supplies it from storage.
/// What the planner knows of a view: the collections it links.
public struct PlannerView: Sendable {
    public var name: String
    public var collections: [String]
    public init(name: String, collections: [String]) {
        self.name = name
        self.collections = collections
    }
}

public protocol PlannerCatalog {
    func collection(_ name: String) -> PlannerCollection?
    func graph(_ name: String) -> PlannerGraph?
    /// An ArangoSearch view, or nil.
    func view(_ name: String) -> PlannerView?
    /// The lines EXPLAIN shows on where the rows of `collections` may be held (a PoP under a
    /// placement policy), or nil when placement does not narrow them.
    func placementSummary(of collections: Set<String>) -> [String]?
}

extension PlannerCatalog {
    public func placementSummary(of collections: Set<String>) -> [String]? { nil }
    public func view(_ name: String) -> PlannerView? { nil }
}
