// The index types users name: ArangoDB's names and older aliases map to the types storage
// keeps, and implicit or unknown types are refused with error 10.

import LocusErrors
import LocusValues
import Testing

@Suite struct CatalogTypeTests {
    @Test(arguments: [
        ("persistent", IndexType.persistent), ("hash", .persistent), ("skiplist", .persistent), ("ttl", .ttl),
        ("fulltext", .fulltext), ("geo", .geo), ("geo1", .geo), ("geo2", .geo),
    ])
    func namedTypes(_ name: String, _ type: IndexType) throws {
        #expect(try IndexType(named: name) == type)
    }

    @Test(arguments: ["primary", "edge", "Persistent", "inverted", ""])
    func otherNamesAreRefused(_ name: String) {
        #expect(throws: LocusError.self) { try IndexType(named: name) }
        do { _ = try IndexType(named: name) } catch let e as LocusError { #expect(e.code.number == 10) } catch {}
    }
}
