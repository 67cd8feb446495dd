// Type checks (IS_*, TYPENAME) and casts (TO_*).

import LocusValues

enum TypeFunctions {
    static func check(_ name: String, _ test: @escaping @Sendable (Value) -> Bool) -> FunctionDefinition {
        FunctionDefinition(name, 1, 1, signature: "\(name)(value)") { a, _ in .bool(test(a[0])) }
    }

    static let rows: [FunctionDefinition] = [
        check("IS_NULL") { $0.isNull },
        check("IS_BOOL") { $0.boolValue != nil },
        check("IS_NUMBER") { $0.numberValue != nil },
        check("IS_STRING") { $0.stringValue != nil },
        check("IS_ARRAY") { $0.arrayValue != nil },
        check("IS_LIST") { $0.arrayValue != nil },
        check("IS_OBJECT") { $0.objectValue != nil },
        check("IS_DOCUMENT") { $0.objectValue != nil },
        check("IS_KEY") { v in
            guard case .string(let s) = v else { return false }
            return DocumentKey.isValid(s)
        },
        FunctionDefinition("TYPENAME", 1, 1, signature: "TYPENAME(value)") { a, _ in .string(a[0].typeName) },
        FunctionDefinition("TO_BOOL", 1, 1, signature: "TO_BOOL(value)") { a, _ in .bool(a[0].isTruthy) },
        FunctionDefinition("TO_NUMBER", 1, 1, signature: "TO_NUMBER(value)") { a, _ in .num(a[0].toNumber) },
        FunctionDefinition("TO_STRING", 1, 1, signature: "TO_STRING(value)") { a, _ in .string(a[0].toStringValue) },
        FunctionDefinition("TO_ARRAY", 1, 1, signature: "TO_ARRAY(value)") { a, _ in .array(a[0].toArray) },
        FunctionDefinition("TO_LIST", 1, 1, signature: "TO_LIST(value)") { a, _ in .array(a[0].toArray) },
    ]
}
