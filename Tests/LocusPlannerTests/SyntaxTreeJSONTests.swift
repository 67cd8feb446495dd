// The parse tree as `POST /_api/query` shows it: ArangoDB's AST JSON for its documented example
// query, the collections (sorted) and bind parameters a query names, and the forms that read
// differently in the tree than in the text (LIKE as a call, NOT LIKE negated, a name that is
// not a variable as a collection).

import Testing
import LocusPlanner
import LocusSyntax
import LocusValues

@Suite struct SyntaxTreeJSONTests {
    func tree(_ text: String) throws -> SyntaxTreeJSON { SyntaxTreeJSON(try Parser.parse(text)) }

    func json(_ text: String) throws -> String { JSONWriter.string(try tree(text).ast) }

    @Test func documentedExample() throws {
        let ast = try json("FOR i IN 1..100 FILTER i > 10 LIMIT 2 RETURN i * 3")
        let i = #"{"type":"reference","name":"i","id":0,"subqueryReference":false}"#
        let expected =
            #"[{"type":"root","subNodes":["#
            + #"{"type":"for","subNodes":[{"type":"variable","name":"i","id":0},"#
            + #"{"type":"range","subNodes":[{"type":"value","value":1},{"type":"value","value":100}]},"#
            + #"{"type":"no-op"}]},"#
            + #"{"type":"filter","subNodes":[{"type":"compare >","subNodes":["# + i
            + #",{"type":"value","value":10}]}]},"#
            + #"{"type":"limit","subNodes":[{"type":"value","value":0},{"type":"value","value":2}]},"#
            + #"{"type":"return","subNodes":[{"type":"times","subNodes":["# + i
            + #",{"type":"value","value":3}]}]}]}]"#
        #expect(ast == expected)
    }

    @Test func collectionsAreSortedAndParametersKeepTheirOrder() throws {
        let t = try tree(
            "WITH extra FOR u IN users FOR x IN @@other FILTER u.a == @a INSERT {} INTO log RETURN u")
        #expect(t.collections == ["extra", "log", "users"])
        #expect(t.bindParameters == ["@other", "a"])
    }

    @Test func variablesAreNotCollections() throws {
        let t = try tree("LET xs = [1] FOR x IN xs FOR y IN ys RETURN LENGTH(zs)")
        #expect(t.collections == ["ys", "zs"])
        let ast = try json("LET xs = [1] FOR x IN xs RETURN x")
        #expect(ast.contains(#"{"type":"reference","name":"xs","id":0,"subqueryReference":false}"#))
        #expect(ast.contains(#"{"type":"variable","name":"x","id":1}"#))
    }

    @Test func operatorsTakeArangoDBsForms() throws {
        let like = try json(#"RETURN "a" NOT LIKE "b""#)
        #expect(
            like.contains(
                #"{"type":"unary not","subNodes":[{"type":"function call","name":"LIKE","subNodes":[{"type":"array","#))
        let eq = try json("RETURN 1 == 2")
        #expect(eq.contains(#"{"type":"compare ==","excludesNull":false,"#))
        let inList = try json("RETURN 1 IN [1]")
        #expect(inList.contains(#"{"type":"compare in","sorted":false,"#))
        let call = try json("RETURN length([])")
        #expect(call.contains(#"{"type":"function call","name":"LENGTH","#))
        let any = try json("RETURN [1] ANY == 1")
        #expect(any.contains(#"{"type":"quantifier","quantifier":"any"}"#))
    }

    @Test func modificationsDeclareTheirPseudoVariables() throws {
        let ast = try json("FOR u IN users REMOVE u IN users")
        #expect(ast.contains(#"{"type":"remove","subNodes":[{"type":"no-op"},{"type":"collection","name":"users"}"#))
        #expect(ast.contains(#"{"type":"variable","name":"$OLD","id":1}"#))
    }
}
