// The error table holds its own facts: numbers unique and in order, every code with an HTTP
// error status and a template, every declared code listed in `table` (read from the source,
// since Swift cannot enumerate static properties), and the formatting of templates.

import Foundation
import Testing
import LocusErrors
import LocusTestSupport

@Suite struct ErrorTableTests {
    @Test func numbersAreUniqueAndSorted() {
        let numbers = ErrorCode.table.map(\.number)
        #expect(numbers == numbers.sorted())
        #expect(Set(numbers).count == numbers.count)
        #expect(Set(ErrorCode.table.map(\.name)).count == numbers.count, "symbolic names repeat")
    }

    @Test func everyCodeHasAnErrorStatusAndATemplate() {
        for code in ErrorCode.table {
            #expect((400..<600).contains(code.httpStatus), "\(code): status \(code.httpStatus)")
            #expect(!code.template.isEmpty, "\(code) has no template")
            #expect(code.name.hasPrefix("ERROR_"), "\(code)")
            #expect(ErrorCode.byNumber(code.number) == code)
        }
        #expect(ErrorCode.byNumber(999_999) == nil)
        // A few of ArangoDB's pairings, as drivers see them.
        #expect(ErrorCode.dataSourceNotFound.httpStatus == 404)
        #expect(ErrorCode.uniqueConstraintViolated.httpStatus == 409)
        #expect(ErrorCode.queryParse.httpStatus == 400)
        #expect(ErrorCode.internalError.httpStatus == 500)
    }

    @Test func everyDeclaredCodeIsInTheTable() throws {
        let source = try String(contentsOfFile: Repository.path("Sources/LocusErrors/ErrorCode.swift"), encoding: .utf8)
        let declaration = /public static let \w+ = ErrorCode\(\s*(\d+),/
        let declared = source.matches(of: declaration).compactMap { Int($0.output.1) }
        #expect(declared.count > 90)
        #expect(declared == ErrorCode.table.map(\.number), "declarations and table differ")
    }

    @Test func errorsKeepWhatFilledTheirTemplate() {
        let at = SourcePosition(line: 2, column: 5, offset: 7)
        let e = LocusError(.dataSourceNotFound, "users", at: at)
        #expect(e.arguments == ["users"] && e.position == at)
        #expect(e.message == "collection or view not found: users")
        #expect(e.description == "[1203] collection or view not found: users")
        let whole = LocusError(code: .forbidden, message: "not authorized to execute this request")
        #expect(whole.arguments.isEmpty && whole.message == "not authorized to execute this request")
    }

    @Test func templatesFillInOrder() {
        #expect(ErrorCode.dataSourceNotFound.format(["users"]) == "collection or view not found: users")
        #expect(ErrorCode.failed.format(["ignored"]) == "failed")
        #expect(ErrorCode.ignorableByIgnoreErrors.allSatisfy { ErrorCode.table.contains($0) })
    }
}
