// PoP attestation (sovereignty scenario 16): a fabric may name an authority, an Ed25519 public
// key, and carry for each PoP the authority's signature over what placement relies on (the
// fabric's name and the PoP's name, country, region and jurisdictions). Under an authority, a
// PoP whose signature is missing or does not verify matches no placement selector, so pinned
// data is never admitted at, sent to or accepted by it; unpinned data still reaches it.

import Crypto
import LocusErrors
import LocusValues

public enum Attestation {
    /// The bytes an attestation signs.
    static func claim(fabric: String, _ p: PointOfPresence) -> [UInt8] {
        let fields = [
            "locus-pop-attestation-v1", fabric, p.name, p.country, p.region,
            p.jurisdictions.sorted().joined(separator: ","),
        ]
        return Array(fields.joined(separator: "\u{0}").utf8)
    }

    /// A new authority: the private key (keep it secret) and the public key, both as hex.
    public static func newAuthority() -> (privateKey: String, publicKey: String) {
        let key = Curve25519.Signing.PrivateKey()
        return (JSONWriter.hexString(key.rawRepresentation), JSONWriter.hexString(key.publicKey.rawRepresentation))
    }

    /// The fabric with `authority` set to the key's public half and every PoP attested by it.
    public static func attest(_ fabric: Fabric, privateKey hex: String) throws -> Fabric {
        guard let raw = bytes(hex), let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw LocusError(.badParameter, "the authority key must be 64 hexadecimal digits (an Ed25519 private key)")
        }
        var f = fabric
        f.authority = JSONWriter.hexString(key.publicKey.rawRepresentation)
        for i in f.pops.indices {
            f.pops[i].attestation = JSONWriter.hexString(try key.signature(for: claim(fabric: f.name, f.pops[i])))
        }
        return f
    }

    /// Whether a PoP's attestation verifies under the fabric's authority (true without one).
    static func verifies(_ fabric: Fabric, _ p: PointOfPresence) -> Bool {
        guard let authority = fabric.authority else { return true }
        guard let keyBytes = bytes(authority), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes),
            let signature = p.attestation.flatMap(bytes)
        else { return false }
        return key.isValidSignature(signature, for: claim(fabric: fabric.name, p))
    }

    static func bytes(_ hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let hi = nibble(digits[i]), let lo = nibble(digits[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
        }
        return out
    }
}
