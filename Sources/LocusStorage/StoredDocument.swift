// A document as a read hands it out when its caller may write it out again: decoded, and as
// the JSON it is stored as, so that the text need not be encoded from the value.

import LocusValues

/// A document decoded, with the JSON it is stored as.
public struct StoredDocument: Sendable {
    public var value: Value
    /// The stored text; empty when the reader did not keep it.
    public var json: [UInt8]

    public init(value: Value, json: [UInt8]) {
        self.value = value
        self.json = json
    }
}
