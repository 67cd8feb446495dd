// The route table of the API: every path the server answers, the access it needs and its
// handler, in one place. Patterns are below `/_api/` (`_open/...` and `_admin/...` keep their
// first word); `:name` captures a segment. Macrometa's `graph` is an alias of `gharial`, and
// its `query/explain` of `explain`; its key-value, query worker and API key routes are C8's own.

enum Routes {
    static let table: [Route] =
        server + collections + documents + queries + indexes + graphs("gharial") + graphs("graph")
        + transactions + keyValue + workers + analyzers + views + apiKeys + sync

    static let server: [Route] = [
        Route(.POST, "_open/auth", .open) { try $0.login($1) },
        Route(.GET, "version", .read, quick: true) { try $0.version($1) },
        Route(.GET, "_admin/version", .read, quick: true) { try $0.version($1) },
        Route(.GET, "database/current", .read, quick: true) { try $0.currentDatabase($1) },
        Route(.GET, "database/user", .read) { try $0.userDatabases($1) },
        Route(.GET, "database", .admin) { try $0.listDatabases($1) },
        Route(.POST, "database", .admin) { try $0.createDatabase($1) },
        Route(.DELETE, "database/:name", .admin) { try $0.dropDatabase($1) },
        Route(.GET, "user", .read) { try $0.listUsers($1) },
        Route(.POST, "user", .admin) { try $0.createUser($1) },
        Route(.GET, "user/:user", .read) { try $0.getUser($1) },
        Route(.PATCH, "user/:user", .read) { try $0.changeUser($1) },
        Route(.PUT, "user/:user", .read) { try $0.changeUser($1) },
        Route(.DELETE, "user/:user", .admin) { try $0.deleteUser($1) },
        Route(.GET, "user/:user/database", .read) { try $0.userPermissions($1) },
        Route(.GET, "user/:user/database/:db", .read) { try $0.userPermission($1) },
        Route(.PUT, "user/:user/database/:db", .admin) { try $0.grant($1) },
        Route(.DELETE, "user/:user/database/:db", .admin) { try $0.grant($1) },
    ]

    static let collections: [Route] = [
        Route(.GET, "collection", .read) { try $0.listCollections($1) },
        Route(.POST, "collection", .write) { try $0.createCollection($1) },
        Route(.GET, "collection/:c", .read) { try $0.collectionInfo($1) },
        Route(.DELETE, "collection/:c", .write) { try $0.dropCollection($1) },
        Route(.GET, "collection/:c/properties", .read) { try $0.collectionProperties($1) },
        Route(.PUT, "collection/:c/properties", .write) { try $0.collectionProperties($1) },
        Route(.GET, "collection/:c/count", .read) { try $0.collectionCount($1) },
        Route(.GET, "collection/:c/figures", .read) { try $0.collectionFigures($1) },
        Route(.PUT, "collection/:c/truncate", .write) { try $0.truncateCollection($1) },
    ]

    static let documents: [Route] = [
        Route(.POST, "document/:c", .write) { try $0.insertDocuments($1) },
        Route(.PUT, "document/:c", .read) { s, r in
            if try !r.flag("onlyget") { try s.requireWrite(r) }
            return try s.modifyDocuments(r)
        },
        Route(.PATCH, "document/:c", .write) { try $0.modifyDocuments($1) },
        Route(.DELETE, "document/:c", .write) { try $0.modifyDocuments($1) },
        Route(.GET, "document/:c/:key", .read, quick: true) { try $0.getDocument($1) },
        Route(.PATCH, "document/:c/:key", .write) { try $0.modifyDocument($1) },
        Route(.PUT, "document/:c/:key", .write) { try $0.modifyDocument($1) },
        Route(.DELETE, "document/:c/:key", .write) { try $0.modifyDocument($1) },
        Route(.POST, "import", .write) { try $0.importDocuments($1) },
    ]

    static let queries: [Route] = [
        Route(.POST, "cursor", .read) { try $0.createCursor($1) },
        Route(.POST, "cursor/:id", .read) { try $0.nextBatch($1) },
        Route(.PUT, "cursor/:id", .read) { try $0.nextBatch($1) },
        Route(.POST, "cursor/:id/:batch", .read) { try $0.nextBatch($1) },
        Route(.PUT, "cursor/:id/:batch", .read) { try $0.nextBatch($1) },
        Route(.DELETE, "cursor/:id", .read) { try $0.deleteCursor($1) },
        Route(.POST, "explain", .read) { try $0.explain($1) },
        Route(.POST, "query/explain", .read) { try $0.explain($1) },
        Route(.POST, "query", .read) { try $0.parseQuery($1) },
        Route(.GET, "query/current", .read) { try $0.currentQueries($1) },
        Route(.GET, "query/rules", .read, quick: true) { try $0.optimizerRules($1) },
        Route(.DELETE, "query/:id", .write) { try $0.killQuery($1) },
    ]

    static let indexes: [Route] = [
        Route(.GET, "index", .read) { try $0.listIndexes($1) },
        Route(.POST, "index", .write) { try $0.createIndex($1) },
        Route(.GET, "index/:c/:id", .read) { try $0.getIndex($1) },
        Route(.DELETE, "index/:c/:id", .write) { try $0.dropIndex($1) },
    ]

    static func graphs(_ root: String) -> [Route] {
        var routes = [
            Route(.GET, root, .read) { try $0.listGraphs($1) },
            Route(.POST, root, .write) { try $0.createGraph($1) },
            Route(.GET, "\(root)/:g", .read) { try $0.getGraph($1) },
            Route(.DELETE, "\(root)/:g", .write) { try $0.dropGraph($1) },
            Route(.GET, "\(root)/:g/vertex", .read) { try $0.listVertexCollections($1) },
            Route(.POST, "\(root)/:g/vertex", .write) { try $0.addVertexCollection($1) },
            Route(.DELETE, "\(root)/:g/vertex/:c", .write) { try $0.removeVertexCollection($1) },
            Route(.GET, "\(root)/:g/edge", .read) { try $0.listEdgeDefinitions($1) },
            Route(.POST, "\(root)/:g/edge", .write) { try $0.addEdgeDefinition($1) },
            Route(.PUT, "\(root)/:g/edge/:c", .write) { try $0.replaceEdgeDefinition($1) },
            Route(.DELETE, "\(root)/:g/edge/:c", .write) { try $0.removeEdgeDefinition($1) },
        ]
        for kind in ["vertex", "edge"] {
            routes += [
                Route(.POST, "\(root)/:g/\(kind)/:c", .write) { try $0.graphElement($1, kind: kind, op: .insert) },
                Route(.GET, "\(root)/:g/\(kind)/:c/:key", .read) { try $0.getGraphElement($1, kind: kind) },
                Route(.PATCH, "\(root)/:g/\(kind)/:c/:key", .write) {
                    try $0.graphElement($1, kind: kind, op: .update)
                },
                Route(.PUT, "\(root)/:g/\(kind)/:c/:key", .write) { try $0.graphElement($1, kind: kind, op: .replace) },
                Route(.DELETE, "\(root)/:g/\(kind)/:c/:key", .write) {
                    try $0.graphElement($1, kind: kind, op: .remove)
                },
            ]
        }
        return routes
    }

    static let transactions: [Route] = [
        Route(.POST, "transaction/begin", .write) { try $0.beginTransaction($1) },
        Route(.GET, "transaction", .read) { try $0.listTransactions($1) },
        Route(.GET, "transaction/:id", .read) { try $0.transactionStatus($1) },
        Route(.PUT, "transaction/:id", .write) { try $0.endTransaction($1) },
        Route(.DELETE, "transaction/:id", .write) { try $0.endTransaction($1) },
        Route(.GET, "edges/:c", .read) { try $0.edgesOf($1) },
        Route(.GET, "changes/:c", .read, polls: true) { try $0.changes($1) },
        // Reached only when the WebSocket upgrade was not asked for or was refused.
        Route(.GET, "_ws/changes/:c", .read) { try $0.changeSocketRefused($1) },
    ]

    static let keyValue: [Route] = [
        Route(.GET, "kv", .read) { try $0.listKVCollections($1) },
        Route(.POST, "kv/:c", .write) { try $0.createKVCollection($1) },
        Route(.DELETE, "kv/:c", .write) { try $0.dropKVCollection($1) },
        Route(.PUT, "kv/:c/value", .write) { try $0.putKVEntries($1) },
        Route(.GET, "kv/:c/value/:key", .read) { try $0.getKVEntry($1) },
        Route(.DELETE, "kv/:c/value/:key", .write) { try $0.deleteKVEntry($1) },
        Route(.POST, "kv/:c/values", .read) { try $0.getKVEntries($1) },
        Route(.DELETE, "kv/:c/values", .write) { try $0.deleteKVEntries($1) },
        Route(.GET, "kv/:c/keys", .read) { try $0.listKVKeys($1) },
        Route(.GET, "kv/:c/count", .read) { try $0.countKVEntries($1) },
        Route(.PUT, "kv/:c/truncate", .write) { try $0.truncateKV($1) },
    ]

    static let analyzers: [Route] = [
        Route(.GET, "analyzer", .read) { try $0.listAnalyzers($1) },
        Route(.POST, "analyzer", .write) { try $0.createAnalyzer($1) },
        Route(.GET, "analyzer/:name", .read) { try $0.getAnalyzer($1) },
        Route(.DELETE, "analyzer/:name", .write) { try $0.dropAnalyzer($1) },
    ]

    static let views: [Route] = [
        Route(.GET, "view", .read) { try $0.listViews($1) },
        Route(.POST, "view", .write) { try $0.createView($1) },
        Route(.GET, "view/:name", .read) { try $0.getView($1) },
        Route(.GET, "view/:name/properties", .read) { try $0.getViewProperties($1) },
        Route(.PUT, "view/:name/properties", .write) { try $0.changeView($1, partial: false) },
        Route(.PATCH, "view/:name/properties", .write) { try $0.changeView($1, partial: true) },
        Route(.PUT, "view/:name/rename", .write) { try $0.renameView($1) },
        Route(.DELETE, "view/:name", .write) { try $0.dropView($1) },
        // Macrometa's names of the same routes, and its search capability of a collection.
        Route(.GET, "search/view", .read) { try $0.listViews($1) },
        Route(.POST, "search/view", .write) { try $0.createView($1) },
        Route(.GET, "search/view/:name", .read) { try $0.getView($1) },
        Route(.GET, "search/view/:name/properties", .read) { try $0.getViewProperties($1) },
        Route(.PUT, "search/view/:name/properties", .write) { try $0.changeView($1, partial: true) },
        Route(.PUT, "search/view/:name/rename", .write) { try $0.renameView($1) },
        Route(.DELETE, "search/view/:name", .write) { try $0.dropView($1) },
        Route(.GET, "search/analyzer", .read) { try $0.listAnalyzers($1) },
        Route(.GET, "search/analyzer/:name", .read) { try $0.getAnalyzer($1) },
        Route(.POST, "search/collection/:name", .write) { try $0.setCollectionSearch($1) },
        Route(.POST, "search", .read) { try $0.searchCollection($1) },
    ]

    static let workers: [Route] = [
        Route(.POST, "restql", .write) { try $0.saveWorker($1) },
        Route(.GET, "restql/user", .read) { try $0.listWorkers($1) },
        Route(.POST, "restql/import", .write) { try $0.importWorkers($1) },
        Route(.POST, "restql/execute/:name", .read) { try $0.executeWorker($1) },
        Route(.PUT, "restql/fetch/:id", .read) { try $0.nextBatch($1) },
        Route(.PUT, "restql/:name", .write) { try $0.updateWorker($1) },
        Route(.DELETE, "restql/:name", .write) { try $0.dropWorker($1) },
    ]

    static let apiKeys: [Route] = [
        Route(.GET, "key", .user) { try $0.listAPIKeys($1) },
        Route(.POST, "key", .user) { try $0.createAPIKey($1) },
        Route(.GET, "key/:id", .user) { try $0.getAPIKey($1) },
        Route(.DELETE, "key/:id", .user) { try $0.deleteAPIKey($1) },
    ]

    static let sync: [Route] = [
        Route(.GET, "sync/identity", .sync) { try $0.syncIdentity($1) },
        Route(.POST, "sync/pull", .sync) { try $0.syncPull($1) },
    ]
}
