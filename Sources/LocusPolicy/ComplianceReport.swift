// What the compliance audit reports: records found where they may not be (and in which part of
// a PoP's file), evictions not yet physically complete, and records missing where they should
// live.

import LocusStorage

/// Where a compliance finding was made.
public enum ComplianceLocation: String, Sendable, CaseIterable {
    case row, changeLog = "change-log", tombstone, placement, indexEntry = "index-entry", databaseFile =
        "database-file", wal
}

/// A record found at a PoP outside its placement.
public struct ComplianceFinding: Sendable, Equatable {
    public var pop: String
    public var collection: String
    public var key: String
    public var location: ComplianceLocation
    /// Where the record may live.
    public var allowed: SiteSet
}

/// An eviction journaled at a PoP whose physical erasure has not completed.
public struct PendingEviction: Sendable, Equatable {
    public var pop: String
    public var digest: String
    /// Seconds since the eviction started.
    public var age: Double
}

/// A live record a PoP does not hold although its placement includes that PoP (and the PoP
/// has not removed it either): replication has not brought it there yet.
public struct MissingRecord: Sendable, Equatable {
    public var pop: String
    public var collection: String
    public var key: String
    /// Where the record should live.
    public var allowed: SiteSet
}

/// The result of `Compliance.check`.
public struct ComplianceReport: Sendable {
    public var findings: [ComplianceFinding] = []
    public var pending: [PendingEviction] = []
    /// Records missing where they should live (not violations).
    public var missing: [MissingRecord] = []
    public var pops: [String] = []
    public var records = 0
    public var policyVersion: Int?
    /// True when nothing is where it may not be.
    public var isClean: Bool { findings.isEmpty }
}
