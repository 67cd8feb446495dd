// The fabrics the facade's tests replicate over, each written once, in Fixtures/fabrics: `pair`
// (fra in the EU, iad in the US) and `five` (fra, par and ams in the EU, iad in the US, bom in
// India).

import Foundation
import Locus
import LocusTestSupport

enum TestFabrics {
    /// The fabric of Fixtures/fabrics/NAME.json.
    static func named(_ name: String) throws -> Fabric {
        try Fabric(json: String(contentsOfFile: Repository.path("Fixtures/fabrics/\(name).json"), encoding: .utf8))
    }
}
