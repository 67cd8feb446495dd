// The one table of error numbers Locus can report. Numbers, names and message templates are
// ArangoDB 3.12's (errors.yaml), each with the HTTP status ArangoDB answers it with; every
// layer names its errors through this table, and the LocusError type carries them to the
// user. Each code is declared once below, in number order; `table` lists the declarations
// (a test holds the two together, and the numbers unique and sorted).

/// An ArangoDB-compatible error number with its message template.
///
/// Match on it: `catch let e as LocusError where e.code == .documentNotFound`.
public struct ErrorCode: Hashable, Sendable, CustomStringConvertible {
    /// The ArangoDB error number (`errorNum`).
    public let number: Int
    /// ArangoDB's symbolic name, for example `ERROR_QUERY_PARSE`.
    public let name: String
    /// The message template; `%s` and `%d` are filled in order.
    public let template: String
    /// The HTTP status ArangoDB answers this error with.
    public let httpStatus: Int

    init(_ number: Int, _ name: String, _ template: String, http: Int) {
        self.number = number
        self.name = name
        self.template = template
        self.httpStatus = http
    }

    public var description: String { "\(number) \(name)" }

    public static func == (a: ErrorCode, b: ErrorCode) -> Bool { a.number == b.number }
    public func hash(into h: inout Hasher) { h.combine(number) }

    /// Looks a number up in the table.
    public static func byNumber(_ n: Int) -> ErrorCode? { byNumberTable[n] }

    static let byNumberTable: [Int: ErrorCode] = Dictionary(uniqueKeysWithValues: table.map { ($0.number, $0) })

    /// Every error code Locus knows, in number order.
    public static let table: [ErrorCode] = [
        failed, systemError, outOfMemory, internalError, notImplemented, badParameter, forbidden, typeError,
        lockTimeout, resourceLimit, httpUnauthorized, httpNotFound, httpMethodNotAllowed,
        httpPreconditionFailed, httpRequestTooLarge, httpServiceUnavailable, corruptedJSON, readOnly,
        corruptedDatafile, filesystemFull, conflict, documentNotFound, dataSourceNotFound,
        illegalDocumentHandle, duplicateName, illegalName, noIndex, uniqueConstraintViolated, indexNotFound,
        documentTooLarge, collectionTypeInvalid, documentKeyBad, documentKeyUnexpected, outOfKeys,
        documentKeyMissing, documentTypeInvalid, databaseNotFound, databaseNameInvalid, useSystemDatabase,
        invalidEdgeAttribute, collectionTypeMismatch, documentRevisionBad, replicationNoResponse,
        replicationInvalidResponse, replicationLoop, queryKilled, queryParse, queryEmpty, numberOutOfRange,
        variableNameInvalid, variableRedeclared, variableNameUnknown, tooManyCollections, tooMuchNesting,
        invalidOptionsAttribute, functionNameUnknown, functionArgumentNumberMismatch,
        functionArgumentTypeMismatch, invalidRegex, bindParametersInvalid, bindParameterMissing,
        bindParameterUndeclared, bindParameterType, invalidArithmeticValue, divisionByZero, arrayExpected,
        collectionUsedInExpression, failCalled, geoIndexMissing, fulltextIndexMissing, invalidDateValue,
        multiModify, invalidAggregateExpression, compileTimeOptions, forcedIndexHintUnusable,
        disallowedDynamicCall, accessAfterModification, functionNotFound, queryNotFound, userAssert, userWarn,
        windowAfterModification, cursorNotFound, cursorBusy, transactionAborted, transactionNotFound,
        userInvalidName, userDuplicate, userNotFound, graphInvalid, graphInvalidEdge, graphNotFound,
        graphDuplicate, graphVertexCollectionNotInGraph, graphEdgeCollectionNotUsed,
        graphReferencedVertexCollectionNotInGraph, negativeEdgeWeight, placementDenied, policyInvalid,
        policyVersionConflict,
    ]

    /// The errors a modification with `ignoreErrors: true` skips (the row counts in
    /// `writesIgnored`) instead of failing the query.
    public static let ignorableByIgnoreErrors: Set<ErrorCode> = [
        conflict, documentNotFound, uniqueConstraintViolated, documentKeyBad, documentKeyUnexpected,
        documentKeyMissing, documentTypeInvalid, invalidEdgeAttribute,
    ]

    public static let failed = ErrorCode(1, "ERROR_FAILED", "failed", http: 400)
    public static let systemError = ErrorCode(2, "ERROR_SYS_ERROR", "system error: %s", http: 500)
    public static let outOfMemory = ErrorCode(3, "ERROR_OUT_OF_MEMORY", "out of memory", http: 500)
    public static let internalError = ErrorCode(4, "ERROR_INTERNAL", "internal error: %s", http: 500)
    public static let notImplemented = ErrorCode(9, "ERROR_NOT_IMPLEMENTED", "not implemented: %s", http: 500)
    public static let badParameter = ErrorCode(10, "ERROR_BAD_PARAMETER", "bad parameter: %s", http: 400)
    public static let forbidden = ErrorCode(11, "ERROR_FORBIDDEN", "forbidden: %s", http: 403)
    public static let typeError = ErrorCode(17, "ERROR_TYPE_ERROR", "type error", http: 400)
    public static let lockTimeout = ErrorCode(18, "ERROR_LOCK_TIMEOUT", "lock timeout", http: 409)
    public static let resourceLimit = ErrorCode(32, "ERROR_RESOURCE_LIMIT", "resource limit exceeded", http: 500)
    public static let httpUnauthorized = ErrorCode(
        401, "ERROR_HTTP_UNAUTHORIZED", "not authorized to execute this request", http: 401)
    public static let httpNotFound = ErrorCode(404, "ERROR_HTTP_NOT_FOUND", "unknown path '%s'", http: 404)
    public static let httpMethodNotAllowed = ErrorCode(
        405, "ERROR_HTTP_METHOD_NOT_ALLOWED", "method not supported", http: 405)
    public static let httpPreconditionFailed = ErrorCode(
        412, "ERROR_HTTP_PRECONDITION_FAILED", "precondition failed", http: 412)
    public static let httpRequestTooLarge = ErrorCode(
        413, "ERROR_HTTP_REQUEST_TOO_LARGE", "request body too large: %s", http: 413)
    public static let httpServiceUnavailable = ErrorCode(
        503, "ERROR_HTTP_SERVICE_UNAVAILABLE", "service unavailable: %s", http: 503)
    public static let corruptedJSON = ErrorCode(600, "ERROR_HTTP_CORRUPTED_JSON", "invalid JSON: %s", http: 400)
    public static let readOnly = ErrorCode(1004, "ERROR_ARANGO_READ_ONLY", "read only", http: 403)
    public static let corruptedDatafile = ErrorCode(
        1100, "ERROR_ARANGO_CORRUPTED_DATAFILE", "corrupted datafile: %s", http: 500)
    public static let filesystemFull = ErrorCode(1104, "ERROR_ARANGO_FILESYSTEM_FULL", "filesystem full: %s", http: 500)
    public static let conflict = ErrorCode(
        1200, "ERROR_ARANGO_CONFLICT", "conflict, _rev values do not match", http: 409)
    public static let documentNotFound = ErrorCode(
        1202, "ERROR_ARANGO_DOCUMENT_NOT_FOUND", "document not found", http: 404)
    public static let dataSourceNotFound = ErrorCode(
        1203, "ERROR_ARANGO_DATA_SOURCE_NOT_FOUND", "collection or view not found: %s", http: 404)
    public static let illegalDocumentHandle = ErrorCode(
        1205, "ERROR_ARANGO_DOCUMENT_HANDLE_BAD", "illegal document identifier", http: 400)
    public static let duplicateName = ErrorCode(1207, "ERROR_ARANGO_DUPLICATE_NAME", "duplicate name: %s", http: 409)
    public static let illegalName = ErrorCode(1208, "ERROR_ARANGO_ILLEGAL_NAME", "illegal name: %s", http: 400)
    public static let noIndex = ErrorCode(1209, "ERROR_ARANGO_NO_INDEX", "no suitable index known", http: 400)
    public static let uniqueConstraintViolated = ErrorCode(
        1210, "ERROR_ARANGO_UNIQUE_CONSTRAINT_VIOLATED",
        "unique constraint violated - in index %s of type %s over '%s'; conflicting key: %s", http: 409)
    public static let indexNotFound = ErrorCode(1212, "ERROR_ARANGO_INDEX_NOT_FOUND", "index not found", http: 404)
    public static let documentTooLarge = ErrorCode(
        1216, "ERROR_ARANGO_DOCUMENT_TOO_LARGE", "document too large", http: 400)
    public static let collectionTypeInvalid = ErrorCode(
        1218, "ERROR_ARANGO_COLLECTION_TYPE_INVALID", "collection type invalid: %s", http: 400)
    public static let documentKeyBad = ErrorCode(
        1221, "ERROR_ARANGO_DOCUMENT_KEY_BAD", "illegal document key", http: 400)
    public static let documentKeyUnexpected = ErrorCode(
        1222, "ERROR_ARANGO_DOCUMENT_KEY_UNEXPECTED", "unexpected document key", http: 400)
    public static let outOfKeys = ErrorCode(1225, "ERROR_ARANGO_OUT_OF_KEYS", "out of keys", http: 400)
    public static let documentKeyMissing = ErrorCode(
        1226, "ERROR_ARANGO_DOCUMENT_KEY_MISSING", "missing document key", http: 400)
    public static let documentTypeInvalid = ErrorCode(
        1227, "ERROR_ARANGO_DOCUMENT_TYPE_INVALID", "invalid document type", http: 400)
    public static let databaseNotFound = ErrorCode(
        1228, "ERROR_ARANGO_DATABASE_NOT_FOUND", "database not found: %s", http: 404)
    public static let databaseNameInvalid = ErrorCode(
        1229, "ERROR_ARANGO_DATABASE_NAME_INVALID", "database name invalid: %s", http: 400)
    public static let useSystemDatabase = ErrorCode(
        1230, "ERROR_ARANGO_USE_SYSTEM_DATABASE", "operation only allowed in system database", http: 403)
    public static let invalidEdgeAttribute = ErrorCode(
        1233, "ERROR_ARANGO_INVALID_EDGE_ATTRIBUTE", "invalid edge attribute", http: 400)
    public static let collectionTypeMismatch = ErrorCode(
        1237, "ERROR_ARANGO_COLLECTION_TYPE_MISMATCH", "collection type mismatch: %s", http: 400)
    public static let documentRevisionBad = ErrorCode(
        1239, "ERROR_ARANGO_DOCUMENT_REV_BAD", "illegal document revision", http: 400)
    public static let replicationNoResponse = ErrorCode(
        1400, "ERROR_REPLICATION_NO_RESPONSE", "no response: %s", http: 400)
    public static let replicationInvalidResponse = ErrorCode(
        1401, "ERROR_REPLICATION_INVALID_RESPONSE", "invalid response: %s", http: 400)
    public static let replicationLoop = ErrorCode(1405, "ERROR_REPLICATION_LOOP", "loop detected: %s", http: 400)
    public static let queryKilled = ErrorCode(1500, "ERROR_QUERY_KILLED", "query killed", http: 410)
    public static let queryParse = ErrorCode(1501, "ERROR_QUERY_PARSE", "%s", http: 400)
    public static let queryEmpty = ErrorCode(1502, "ERROR_QUERY_EMPTY", "query is empty", http: 400)
    public static let numberOutOfRange = ErrorCode(
        1504, "ERROR_QUERY_NUMBER_OUT_OF_RANGE", "number out of range", http: 400)
    public static let variableNameInvalid = ErrorCode(
        1510, "ERROR_QUERY_VARIABLE_NAME_INVALID", "variable name '%s' has an invalid format", http: 400)
    public static let variableRedeclared = ErrorCode(
        1511, "ERROR_QUERY_VARIABLE_REDECLARED", "variable '%s' is assigned multiple times", http: 400)
    public static let variableNameUnknown = ErrorCode(
        1512, "ERROR_QUERY_VARIABLE_NAME_UNKNOWN", "unknown variable '%s'", http: 400)
    public static let tooManyCollections = ErrorCode(
        1522, "ERROR_QUERY_TOO_MANY_COLLECTIONS", "too many collections/shards", http: 400)
    public static let tooMuchNesting = ErrorCode(
        1524, "ERROR_QUERY_TOO_MUCH_NESTING", "too much nesting or too many objects", http: 400)
    public static let invalidOptionsAttribute = ErrorCode(
        1539, "ERROR_QUERY_INVALID_OPTIONS_ATTRIBUTE", "unknown/invalid OPTIONS attribute used: %s", http: 400)
    public static let functionNameUnknown = ErrorCode(
        1540, "ERROR_QUERY_FUNCTION_NAME_UNKNOWN", "usage of unknown function '%s()'", http: 400)
    public static let functionArgumentNumberMismatch = ErrorCode(
        1541, "ERROR_QUERY_FUNCTION_ARGUMENT_NUMBER_MISMATCH",
        "invalid number of arguments for function '%s()', expected number of arguments: minimum: %d, maximum: %d",
        http: 400)
    public static let functionArgumentTypeMismatch = ErrorCode(
        1542, "ERROR_QUERY_FUNCTION_ARGUMENT_TYPE_MISMATCH", "invalid argument type in call to function '%s()'",
        http: 400)
    public static let invalidRegex = ErrorCode(1543, "ERROR_QUERY_INVALID_REGEX", "invalid regex value", http: 400)
    public static let bindParametersInvalid = ErrorCode(
        1550, "ERROR_QUERY_BIND_PARAMETERS_INVALID", "invalid structure of bind parameters", http: 400)
    public static let bindParameterMissing = ErrorCode(
        1551, "ERROR_QUERY_BIND_PARAMETER_MISSING", "no value specified for declared bind parameter '%s'", http: 400)
    public static let bindParameterUndeclared = ErrorCode(
        1552, "ERROR_QUERY_BIND_PARAMETER_UNDECLARED", "bind parameter '%s' was not declared in the query", http: 400)
    public static let bindParameterType = ErrorCode(
        1553, "ERROR_QUERY_BIND_PARAMETER_TYPE", "bind parameter '%s' has an invalid value or type", http: 400)
    public static let invalidArithmeticValue = ErrorCode(
        1561, "ERROR_QUERY_INVALID_ARITHMETIC_VALUE", "invalid arithmetic value", http: 400)
    public static let divisionByZero = ErrorCode(1562, "ERROR_QUERY_DIVISION_BY_ZERO", "division by zero", http: 400)
    public static let arrayExpected = ErrorCode(1563, "ERROR_QUERY_ARRAY_EXPECTED", "%s", http: 400)
    public static let collectionUsedInExpression = ErrorCode(
        1568, "ERROR_QUERY_COLLECTION_USED_IN_EXPRESSION", "collection '%s' used as expression operand", http: 400)
    public static let failCalled = ErrorCode(1569, "ERROR_QUERY_FAIL_CALLED", "FAIL(%s) called", http: 400)
    public static let geoIndexMissing = ErrorCode(
        1570, "ERROR_QUERY_GEO_INDEX_MISSING", "no suitable geo index found for geo restriction on '%s'", http: 400)
    public static let fulltextIndexMissing = ErrorCode(
        1571, "ERROR_QUERY_FULLTEXT_INDEX_MISSING", "no suitable fulltext index found for fulltext query on '%s'",
        http: 400)
    public static let invalidDateValue = ErrorCode(
        1572, "ERROR_QUERY_INVALID_DATE_VALUE", "invalid date value", http: 400)
    public static let multiModify = ErrorCode(1573, "ERROR_QUERY_MULTI_MODIFY", "multi-modify query", http: 400)
    public static let invalidAggregateExpression = ErrorCode(
        1574, "ERROR_QUERY_INVALID_AGGREGATE_EXPRESSION", "%s", http: 400)
    public static let compileTimeOptions = ErrorCode(
        1575, "ERROR_QUERY_COMPILE_TIME_OPTIONS", "query options must be readable at query compile time", http: 400)
    public static let forcedIndexHintUnusable = ErrorCode(
        1577, "ERROR_QUERY_FORCED_INDEX_HINT_UNUSABLE", "could not use forced index hint", http: 400)
    public static let disallowedDynamicCall = ErrorCode(
        1578, "ERROR_QUERY_DISALLOWED_DYNAMIC_CALL", "disallowed dynamic call to '%s'", http: 400)
    public static let accessAfterModification = ErrorCode(
        1579, "ERROR_QUERY_ACCESS_AFTER_MODIFICATION", "access after data-modification by %s", http: 400)
    public static let functionNotFound = ErrorCode(
        1582, "ERROR_QUERY_FUNCTION_NOT_FOUND", "user function '%s()' not found", http: 400)
    public static let queryNotFound = ErrorCode(1591, "ERROR_QUERY_NOT_FOUND", "query ID not found", http: 404)
    public static let userAssert = ErrorCode(1593, "ERROR_QUERY_USER_ASSERT", "%s", http: 400)
    public static let userWarn = ErrorCode(1594, "ERROR_QUERY_USER_WARN", "%s", http: 400)
    public static let windowAfterModification = ErrorCode(
        1595, "ERROR_QUERY_WINDOW_AFTER_MODIFICATION", "window operation after data-modification", http: 400)
    public static let cursorNotFound = ErrorCode(1600, "ERROR_CURSOR_NOT_FOUND", "cursor not found", http: 404)
    public static let cursorBusy = ErrorCode(1601, "ERROR_CURSOR_BUSY", "cursor is busy", http: 400)
    public static let transactionAborted = ErrorCode(
        1654, "ERROR_TRANSACTION_ABORTED", "transaction aborted: %s", http: 410)
    public static let transactionNotFound = ErrorCode(
        1655, "ERROR_TRANSACTION_NOT_FOUND", "transaction '%s' not found", http: 404)
    public static let userInvalidName = ErrorCode(1700, "ERROR_USER_INVALID_NAME", "invalid user name", http: 400)
    public static let userDuplicate = ErrorCode(1702, "ERROR_USER_DUPLICATE", "duplicate user", http: 409)
    public static let userNotFound = ErrorCode(1703, "ERROR_USER_NOT_FOUND", "user not found", http: 404)
    public static let graphInvalid = ErrorCode(1901, "ERROR_GRAPH_INVALID_GRAPH", "invalid graph: %s", http: 400)
    public static let graphInvalidEdge = ErrorCode(1906, "ERROR_GRAPH_INVALID_EDGE", "invalid edge: %s", http: 400)
    public static let graphNotFound = ErrorCode(1924, "ERROR_GRAPH_NOT_FOUND", "graph '%s' not found", http: 404)
    public static let graphDuplicate = ErrorCode(1925, "ERROR_GRAPH_DUPLICATE", "graph already exists", http: 409)
    public static let graphVertexCollectionNotInGraph = ErrorCode(
        1926, "ERROR_GRAPH_VERTEX_COL_DOES_NOT_EXIST", "vertex collection does not exist or is not part of the graph",
        http: 404)
    public static let graphEdgeCollectionNotUsed = ErrorCode(
        1930, "ERROR_GRAPH_EDGE_COLLECTION_NOT_USED", "edge collection not used in graph", http: 404)
    public static let graphReferencedVertexCollectionNotInGraph = ErrorCode(
        1947, "ERROR_GRAPH_REFERENCED_VERTEX_COLLECTION_NOT_PART_OF_THE_GRAPH",
        "referenced vertex collection is not part of the graph", http: 400)
    public static let negativeEdgeWeight = ErrorCode(
        1948, "ERROR_GRAPH_NEGATIVE_EDGE_WEIGHT", "negative edge weight found", http: 400)
    public static let placementDenied = ErrorCode(
        7801, "ERROR_LOCUS_PLACEMENT_DENIED", "placement denied: %s", http: 403)
    public static let policyInvalid = ErrorCode(
        7802, "ERROR_LOCUS_POLICY_INVALID", "invalid placement policy: %s", http: 400)
    public static let policyVersionConflict = ErrorCode(
        7803, "ERROR_LOCUS_POLICY_VERSION_CONFLICT", "placement policy version conflict: %s", http: 400)

    /// Fills the template's `%s`/`%d` placeholders in order.
    public func format(_ arguments: [String]) -> String {
        var out = ""
        var rest = Substring(template)
        var args = arguments[...]
        while let r = rest.firstRange(of: "%") {
            out += rest[..<r.lowerBound]
            let after = rest[r.upperBound...]
            if let c = after.first, c == "s" || c == "d", let a = args.popFirst() {
                out += a
                rest = after.dropFirst()
            } else {
                out += "%"
                rest = after
            }
        }
        out += rest
        return out
    }
}
