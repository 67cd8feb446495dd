// The placement policy a PoP enforces: the compiler the policy module provides (storage knows
// no query language), the gate compiled from the stored policy, or why the stored policy
// cannot be compiled (every data path then fails closed with that reason), and the fabric's
// salt for the digests that name records outside their placement.

import LocusErrors

/// The compiled placement policy of a PoP, or why there is none to enforce.
struct PolicyInForce {
    /// Turns a policy's JSON text (with the fabric description) into a gate.
    var compiler: Storage.PolicyCompiler?
    /// The gate every data path consults; nil when no policy applies.
    private(set) var gate: (any PlacementGate)?
    /// Why the stored policy cannot be enforced.
    private(set) var failure: LocusError?
    /// The key of the digests of record names (HMAC-SHA256).
    private(set) var salt: [UInt8] = []
    /// Whether a policy was installed inside the open transaction, which a rollback must
    /// then undo by installing the stored one again.
    var changedInTransaction = false

    /// Compiles `text`, the stored policy (nil for none), with the fabric description.
    mutating func install(policy text: String?, salt: [UInt8], fabric: String?) {
        gate = nil
        failure = nil
        self.salt = []
        guard let text else { return }
        self.salt = salt
        do {
            gate = try compile(text, fabric: fabric)
        } catch let e as LocusError {
            failure = e
        } catch {
            failure = LocusError(.policyInvalid, "\(error)")
        }
    }

    /// Compiles a policy with the installed compiler.
    func compile(_ text: String, fabric: String?) throws -> any PlacementGate {
        guard let compiler else {
            throw LocusError(
                .policyInvalid, "this PoP has a placement policy but no policy compiler: open it through the Locus API")
        }
        return try compiler(text, fabric)
    }

    /// The gate to enforce, nil when no policy applies; throws while the policy is unusable.
    func require() throws -> (any PlacementGate)? {
        if let failure { throw failure }
        return gate
    }
}
