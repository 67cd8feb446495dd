// The one table of error numbers Locus can report. Numbers and message templates are
// ArangoDB 3.12's (errors.yaml); every layer names its errors through this table, and the
// LocusError type below carries them to the user.

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

    public var description: String { "\(number) \(name)" }

    public static func == (a: ErrorCode, b: ErrorCode) -> Bool { a.number == b.number }
    public func hash(into h: inout Hasher) { h.combine(number) }

    /// The HTTP status ArangoDB answers this error with.
    public var httpStatus: Int {
        switch number {
        case 404, 1202, 1203, 1212, 1228, 1591, 1600, 1655, 1703, 1924, 1926, 1930, 1939: return 404
        case 18, 409, 1200, 1207, 1210, 1702, 1925: return 409
        case 11, 1004, 1230, 7801: return 403
        case 401: return 401
        case 405: return 405
        case 412: return 412
        case 413: return 413
        case 503: return 503
        case 1500, 1654: return 410
        case 2, 3, 4, 9, 32, 1100, 1104: return 500
        default: return 400
        }
    }

    /// Looks a number up in the table.
    public static func byNumber(_ n: Int) -> ErrorCode? { table.first { $0.number == n } }

    /// Every error code Locus knows, in number order.
    public static let table: [ErrorCode] = [
        failed, systemError, outOfMemory, internalError, badParameter, forbidden, typeError, resourceLimit, corruptedJSON,
        readOnly, conflict, documentNotFound, dataSourceNotFound, illegalDocumentHandle,
        duplicateName, illegalName, noIndex, uniqueConstraintViolated, indexNotFound,
        documentTooLarge, collectionTypeInvalid, documentKeyBad, documentKeyUnexpected,
        outOfKeys, documentKeyMissing, documentTypeInvalid, invalidEdgeAttribute,
        collectionTypeMismatch, documentRevisionBad,
        replicationNoResponse, replicationInvalidResponse, replicationLoop,
        queryKilled, queryParse, queryEmpty, numberOutOfRange, variableNameInvalid,
        variableRedeclared, variableNameUnknown, tooManyCollections, tooMuchNesting,
        invalidOptionsAttribute, functionNameUnknown, functionArgumentNumberMismatch,
        functionArgumentTypeMismatch, invalidRegex, bindParametersInvalid,
        bindParameterMissing, bindParameterUndeclared, bindParameterType,
        invalidArithmeticValue, divisionByZero, arrayExpected, collectionUsedInExpression,
        failCalled, geoIndexMissing, fulltextIndexMissing, invalidDateValue, multiModify, invalidAggregateExpression,
        compileTimeOptions, forcedIndexHintUnusable, disallowedDynamicCall,
        accessAfterModification, functionNotFound, userAssert, userWarn, windowAfterModification,
        notImplemented, graphNotFound, graphDuplicate, graphInvalid, negativeEdgeWeight, graphInvalidEdge,
        graphVertexCollectionNotInGraph, graphEdgeCollectionNotUsed, graphReferencedVertexCollectionNotInGraph,
        corruptedDatafile, filesystemFull, placementDenied, policyInvalid, policyVersionConflict,
        lockTimeout, httpUnauthorized, httpNotFound, httpMethodNotAllowed, httpPreconditionFailed,
        httpRequestTooLarge, httpServiceUnavailable, databaseNotFound, databaseNameInvalid,
        useSystemDatabase, cursorNotFound, transactionAborted, transactionNotFound,
        userInvalidName, userDuplicate, userNotFound, queryNotFound, cursorBusy,
    ]

    public static let failed = ErrorCode(number: 1, name: "ERROR_FAILED", template: "failed")
    public static let systemError = ErrorCode(number: 2, name: "ERROR_SYS_ERROR", template: "system error: %s")
    public static let outOfMemory = ErrorCode(number: 3, name: "ERROR_OUT_OF_MEMORY", template: "out of memory")
    public static let corruptedDatafile = ErrorCode(number: 1100, name: "ERROR_ARANGO_CORRUPTED_DATAFILE", template: "corrupted datafile: %s")
    public static let filesystemFull = ErrorCode(number: 1104, name: "ERROR_ARANGO_FILESYSTEM_FULL", template: "filesystem full: %s")
    public static let internalError = ErrorCode(number: 4, name: "ERROR_INTERNAL", template: "internal error: %s")
    public static let badParameter = ErrorCode(number: 10, name: "ERROR_BAD_PARAMETER", template: "bad parameter: %s")
    public static let forbidden = ErrorCode(number: 11, name: "ERROR_FORBIDDEN", template: "forbidden: %s")
    public static let typeError = ErrorCode(number: 17, name: "ERROR_TYPE_ERROR", template: "type error")
    public static let resourceLimit = ErrorCode(number: 32, name: "ERROR_RESOURCE_LIMIT", template: "resource limit exceeded")
    public static let corruptedJSON = ErrorCode(number: 600, name: "ERROR_HTTP_CORRUPTED_JSON", template: "invalid JSON: %s")
    public static let readOnly = ErrorCode(number: 1004, name: "ERROR_ARANGO_READ_ONLY", template: "read only")
    public static let conflict = ErrorCode(number: 1200, name: "ERROR_ARANGO_CONFLICT", template: "conflict, _rev values do not match")
    public static let documentNotFound = ErrorCode(number: 1202, name: "ERROR_ARANGO_DOCUMENT_NOT_FOUND", template: "document not found")
    public static let dataSourceNotFound = ErrorCode(number: 1203, name: "ERROR_ARANGO_DATA_SOURCE_NOT_FOUND", template: "collection or view not found: %s")
    public static let illegalDocumentHandle = ErrorCode(number: 1205, name: "ERROR_ARANGO_DOCUMENT_HANDLE_BAD", template: "illegal document identifier")
    public static let duplicateName = ErrorCode(number: 1207, name: "ERROR_ARANGO_DUPLICATE_NAME", template: "duplicate name: %s")
    public static let illegalName = ErrorCode(number: 1208, name: "ERROR_ARANGO_ILLEGAL_NAME", template: "illegal name: %s")
    public static let noIndex = ErrorCode(number: 1209, name: "ERROR_ARANGO_NO_INDEX", template: "no suitable index known")
    public static let uniqueConstraintViolated = ErrorCode(number: 1210, name: "ERROR_ARANGO_UNIQUE_CONSTRAINT_VIOLATED", template: "unique constraint violated - in index %s of type %s over '%s'; conflicting key: %s")
    public static let indexNotFound = ErrorCode(number: 1212, name: "ERROR_ARANGO_INDEX_NOT_FOUND", template: "index not found")
    public static let replicationNoResponse = ErrorCode(number: 1400, name: "ERROR_REPLICATION_NO_RESPONSE", template: "no response: %s")
    public static let replicationInvalidResponse = ErrorCode(number: 1401, name: "ERROR_REPLICATION_INVALID_RESPONSE", template: "invalid response: %s")
    public static let replicationLoop = ErrorCode(number: 1405, name: "ERROR_REPLICATION_LOOP", template: "loop detected: %s")
    public static let documentTooLarge = ErrorCode(number: 1216, name: "ERROR_ARANGO_DOCUMENT_TOO_LARGE", template: "document too large")
    public static let collectionTypeInvalid = ErrorCode(number: 1218, name: "ERROR_ARANGO_COLLECTION_TYPE_INVALID", template: "collection type invalid: %s")
    public static let documentKeyBad = ErrorCode(number: 1221, name: "ERROR_ARANGO_DOCUMENT_KEY_BAD", template: "illegal document key")
    public static let documentKeyUnexpected = ErrorCode(number: 1222, name: "ERROR_ARANGO_DOCUMENT_KEY_UNEXPECTED", template: "unexpected document key")
    public static let outOfKeys = ErrorCode(number: 1225, name: "ERROR_ARANGO_OUT_OF_KEYS", template: "out of keys")
    public static let documentKeyMissing = ErrorCode(number: 1226, name: "ERROR_ARANGO_DOCUMENT_KEY_MISSING", template: "missing document key")
    public static let documentTypeInvalid = ErrorCode(number: 1227, name: "ERROR_ARANGO_DOCUMENT_TYPE_INVALID", template: "invalid document type")
    public static let invalidEdgeAttribute = ErrorCode(number: 1233, name: "ERROR_ARANGO_INVALID_EDGE_ATTRIBUTE", template: "invalid edge attribute")
    public static let collectionTypeMismatch = ErrorCode(number: 1237, name: "ERROR_ARANGO_COLLECTION_TYPE_MISMATCH", template: "collection type mismatch: %s")
    public static let documentRevisionBad = ErrorCode(number: 1239, name: "ERROR_ARANGO_DOCUMENT_REV_BAD", template: "illegal document revision")
    public static let queryKilled = ErrorCode(number: 1500, name: "ERROR_QUERY_KILLED", template: "query killed")
    public static let queryParse = ErrorCode(number: 1501, name: "ERROR_QUERY_PARSE", template: "%s")
    public static let queryEmpty = ErrorCode(number: 1502, name: "ERROR_QUERY_EMPTY", template: "query is empty")
    public static let numberOutOfRange = ErrorCode(number: 1504, name: "ERROR_QUERY_NUMBER_OUT_OF_RANGE", template: "number out of range")
    public static let variableNameInvalid = ErrorCode(number: 1510, name: "ERROR_QUERY_VARIABLE_NAME_INVALID", template: "variable name '%s' has an invalid format")
    public static let variableRedeclared = ErrorCode(number: 1511, name: "ERROR_QUERY_VARIABLE_REDECLARED", template: "variable '%s' is assigned multiple times")
    public static let variableNameUnknown = ErrorCode(number: 1512, name: "ERROR_QUERY_VARIABLE_NAME_UNKNOWN", template: "unknown variable '%s'")
    public static let tooManyCollections = ErrorCode(number: 1522, name: "ERROR_QUERY_TOO_MANY_COLLECTIONS", template: "too many collections/shards")
    public static let tooMuchNesting = ErrorCode(number: 1524, name: "ERROR_QUERY_TOO_MUCH_NESTING", template: "too much nesting or too many objects")
    public static let invalidOptionsAttribute = ErrorCode(number: 1539, name: "ERROR_QUERY_INVALID_OPTIONS_ATTRIBUTE", template: "unknown/invalid OPTIONS attribute used: %s")
    public static let functionNameUnknown = ErrorCode(number: 1540, name: "ERROR_QUERY_FUNCTION_NAME_UNKNOWN", template: "usage of unknown function '%s()'")
    public static let functionArgumentNumberMismatch = ErrorCode(number: 1541, name: "ERROR_QUERY_FUNCTION_ARGUMENT_NUMBER_MISMATCH", template: "invalid number of arguments for function '%s()', expected number of arguments: minimum: %d, maximum: %d")
    public static let functionArgumentTypeMismatch = ErrorCode(number: 1542, name: "ERROR_QUERY_FUNCTION_ARGUMENT_TYPE_MISMATCH", template: "invalid argument type in call to function '%s()'")
    public static let invalidRegex = ErrorCode(number: 1543, name: "ERROR_QUERY_INVALID_REGEX", template: "invalid regex value")
    public static let bindParametersInvalid = ErrorCode(number: 1550, name: "ERROR_QUERY_BIND_PARAMETERS_INVALID", template: "invalid structure of bind parameters")
    public static let bindParameterMissing = ErrorCode(number: 1551, name: "ERROR_QUERY_BIND_PARAMETER_MISSING", template: "no value specified for declared bind parameter '%s'")
    public static let bindParameterUndeclared = ErrorCode(number: 1552, name: "ERROR_QUERY_BIND_PARAMETER_UNDECLARED", template: "bind parameter '%s' was not declared in the query")
    public static let bindParameterType = ErrorCode(number: 1553, name: "ERROR_QUERY_BIND_PARAMETER_TYPE", template: "bind parameter '%s' has an invalid value or type")
    public static let invalidArithmeticValue = ErrorCode(number: 1561, name: "ERROR_QUERY_INVALID_ARITHMETIC_VALUE", template: "invalid arithmetic value")
    public static let divisionByZero = ErrorCode(number: 1562, name: "ERROR_QUERY_DIVISION_BY_ZERO", template: "division by zero")
    public static let arrayExpected = ErrorCode(number: 1563, name: "ERROR_QUERY_ARRAY_EXPECTED", template: "%s")
    public static let collectionUsedInExpression = ErrorCode(number: 1568, name: "ERROR_QUERY_COLLECTION_USED_IN_EXPRESSION", template: "collection '%s' used as expression operand")
    public static let failCalled = ErrorCode(number: 1569, name: "ERROR_QUERY_FAIL_CALLED", template: "FAIL(%s) called")
    public static let invalidDateValue = ErrorCode(number: 1572, name: "ERROR_QUERY_INVALID_DATE_VALUE", template: "invalid date value")
    public static let multiModify = ErrorCode(number: 1573, name: "ERROR_QUERY_MULTI_MODIFY", template: "multi-modify query")
    public static let invalidAggregateExpression = ErrorCode(number: 1574, name: "ERROR_QUERY_INVALID_AGGREGATE_EXPRESSION", template: "%s")
    public static let compileTimeOptions = ErrorCode(number: 1575, name: "ERROR_QUERY_COMPILE_TIME_OPTIONS", template: "query options must be readable at query compile time")
    public static let geoIndexMissing = ErrorCode(number: 1570, name: "ERROR_QUERY_GEO_INDEX_MISSING", template: "no suitable geo index found for geo restriction on '%s'")
    public static let fulltextIndexMissing = ErrorCode(number: 1571, name: "ERROR_QUERY_FULLTEXT_INDEX_MISSING", template: "no suitable fulltext index found for fulltext query on '%s'")
    public static let forcedIndexHintUnusable = ErrorCode(number: 1577, name: "ERROR_QUERY_FORCED_INDEX_HINT_UNUSABLE", template: "could not use forced index hint")
    public static let disallowedDynamicCall = ErrorCode(number: 1578, name: "ERROR_QUERY_DISALLOWED_DYNAMIC_CALL", template: "disallowed dynamic call to '%s'")
    public static let accessAfterModification = ErrorCode(number: 1579, name: "ERROR_QUERY_ACCESS_AFTER_MODIFICATION", template: "access after data-modification by %s")
    public static let functionNotFound = ErrorCode(number: 1582, name: "ERROR_QUERY_FUNCTION_NOT_FOUND", template: "user function '%s()' not found")
    public static let userAssert = ErrorCode(number: 1593, name: "ERROR_QUERY_USER_ASSERT", template: "%s")
    public static let userWarn = ErrorCode(number: 1594, name: "ERROR_QUERY_USER_WARN", template: "%s")
    public static let windowAfterModification = ErrorCode(number: 1595, name: "ERROR_QUERY_WINDOW_AFTER_MODIFICATION", template: "window operation after data-modification")
    public static let graphNotFound = ErrorCode(number: 1924, name: "ERROR_GRAPH_NOT_FOUND", template: "graph '%s' not found")
    public static let graphDuplicate = ErrorCode(number: 1925, name: "ERROR_GRAPH_DUPLICATE", template: "graph already exists")
    public static let graphInvalid = ErrorCode(number: 1901, name: "ERROR_GRAPH_INVALID_GRAPH", template: "invalid graph: %s")
    public static let negativeEdgeWeight = ErrorCode(number: 1948, name: "ERROR_GRAPH_NEGATIVE_EDGE_WEIGHT", template: "negative edge weight found")
    public static let graphInvalidEdge = ErrorCode(number: 1906, name: "ERROR_GRAPH_INVALID_EDGE", template: "invalid edge: %s")
    public static let graphVertexCollectionNotInGraph = ErrorCode(number: 1926, name: "ERROR_GRAPH_VERTEX_COL_DOES_NOT_EXIST", template: "vertex collection does not exist or is not part of the graph")
    public static let graphEdgeCollectionNotUsed = ErrorCode(number: 1930, name: "ERROR_GRAPH_EDGE_COLLECTION_NOT_USED", template: "edge collection not used in graph")
    public static let graphReferencedVertexCollectionNotInGraph = ErrorCode(number: 1947, name: "ERROR_GRAPH_REFERENCED_VERTEX_COLLECTION_NOT_PART_OF_THE_GRAPH", template: "referenced vertex collection is not part of the graph")
    // Locus's own numbers, in a range ArangoDB does not use: data sovereignty.
    public static let placementDenied = ErrorCode(number: 7801, name: "ERROR_LOCUS_PLACEMENT_DENIED", template: "placement denied: %s")
    public static let policyInvalid = ErrorCode(number: 7802, name: "ERROR_LOCUS_POLICY_INVALID", template: "invalid placement policy: %s")
    public static let policyVersionConflict = ErrorCode(number: 7803, name: "ERROR_LOCUS_POLICY_VERSION_CONFLICT", template: "placement policy version conflict: %s")
    public static let notImplemented = ErrorCode(number: 9, name: "ERROR_NOT_IMPLEMENTED", template: "not implemented: %s")
    public static let lockTimeout = ErrorCode(number: 18, name: "ERROR_LOCK_TIMEOUT", template: "lock timeout")
    public static let httpUnauthorized = ErrorCode(number: 401, name: "ERROR_HTTP_UNAUTHORIZED", template: "not authorized to execute this request")
    public static let httpNotFound = ErrorCode(number: 404, name: "ERROR_HTTP_NOT_FOUND", template: "unknown path '%s'")
    public static let httpMethodNotAllowed = ErrorCode(number: 405, name: "ERROR_HTTP_METHOD_NOT_ALLOWED", template: "method not supported")
    public static let httpPreconditionFailed = ErrorCode(number: 412, name: "ERROR_HTTP_PRECONDITION_FAILED", template: "precondition failed")
    public static let httpRequestTooLarge = ErrorCode(number: 413, name: "ERROR_HTTP_REQUEST_TOO_LARGE", template: "request body too large: %s")
    public static let httpServiceUnavailable = ErrorCode(number: 503, name: "ERROR_HTTP_SERVICE_UNAVAILABLE", template: "service unavailable: %s")
    public static let databaseNotFound = ErrorCode(number: 1228, name: "ERROR_ARANGO_DATABASE_NOT_FOUND", template: "database not found: %s")
    public static let databaseNameInvalid = ErrorCode(number: 1229, name: "ERROR_ARANGO_DATABASE_NAME_INVALID", template: "database name invalid: %s")
    public static let useSystemDatabase = ErrorCode(number: 1230, name: "ERROR_ARANGO_USE_SYSTEM_DATABASE", template: "operation only allowed in system database")
    public static let queryNotFound = ErrorCode(number: 1591, name: "ERROR_QUERY_NOT_FOUND", template: "query ID not found")
    public static let cursorBusy = ErrorCode(number: 1601, name: "ERROR_CURSOR_BUSY", template: "cursor is busy")
    public static let cursorNotFound = ErrorCode(number: 1600, name: "ERROR_CURSOR_NOT_FOUND", template: "cursor not found")
    public static let transactionAborted = ErrorCode(number: 1654, name: "ERROR_TRANSACTION_ABORTED", template: "transaction aborted: %s")
    public static let transactionNotFound = ErrorCode(number: 1655, name: "ERROR_TRANSACTION_NOT_FOUND", template: "transaction '%s' not found")
    public static let userInvalidName = ErrorCode(number: 1700, name: "ERROR_USER_INVALID_NAME", template: "invalid user name")
    public static let userDuplicate = ErrorCode(number: 1702, name: "ERROR_USER_DUPLICATE", template: "duplicate user")
    public static let userNotFound = ErrorCode(number: 1703, name: "ERROR_USER_NOT_FOUND", template: "user not found")

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
