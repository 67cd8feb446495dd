// ArangoDB's rules for document keys and collection names, shared by storage and functions.

/// Validation of `_key` values and collection names.
public enum DocumentKey {
    /// The bytes allowed in a key, as a lookup table.
    static let keyByte: [Bool] = {
        var t = [Bool](repeating: false, count: 256)
        for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.@()+,=;$!*'%:".utf8 {
            t[Int(c)] = true
        }
        return t
    }()

    /// A key is 1–254 bytes of letters, digits and `_ - . @ ( ) + , = ; $ ! * ' % :`.
    public static func isValid(_ key: String) -> Bool {
        let u = key.utf8
        guard !u.isEmpty, u.count <= 254 else { return false }
        for c in u where !keyByte[Int(c)] { return false }
        return true
    }

    /// A collection name starts with a letter, then letters, digits, `_` and `-`; at most 256 bytes.
    public static func isValidCollectionName(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard let f = u.first, u.count <= 256 else { return false }
        guard (f >= 0x41 && f <= 0x5A) || (f >= 0x61 && f <= 0x7A) else { return false }
        return u.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F
                || $0 == 0x2D
        }
    }

    /// The collection and key of a document `_id`, split at its first `/`; nil without one.
    public static func splitId(_ id: String) -> (collection: String, key: String)? {
        // On the contiguous UTF-8 of a native string this avoids index translation; "/" is
        // ASCII, so both halves are valid UTF-8 on their own.
        if let split = id.utf8.withContiguousStorageIfAvailable({ bytes -> (String, String)? in
            guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")) else { return nil }
            return (
                String(decoding: UnsafeBufferPointer(rebasing: bytes[..<slash]), as: UTF8.self),
                String(decoding: UnsafeBufferPointer(rebasing: bytes[(slash + 1)...]), as: UTF8.self)
            )
        }) {
            return split.map { (collection: $0.0, key: $0.1) }
        }
        guard let slash = id.utf8.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        return (String(id[..<slash]), String(id[id.utf8.index(after: slash)...]))
    }

    /// The key of a document `_id`: what follows its first `/`; nil without one. Cheaper
    /// than `splitId` when the collection is not needed.
    public static func key(ofId id: String) -> String? {
        if let key = id.utf8.withContiguousStorageIfAvailable({ bytes -> String? in
            guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")) else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[(slash + 1)...]), as: UTF8.self)
        }) {
            return key
        }
        return splitId(id)?.key
    }
}
