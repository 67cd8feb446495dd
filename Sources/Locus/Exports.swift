// Re-exports the types an embedding app needs, so `import Locus` is enough.

@_exported import LocusErrors
@_exported import enum LocusValues.Value
@_exported import struct LocusValues.Object
@_exported import enum LocusValues.CollectionType
@_exported import enum LocusValues.IndexType
@_exported import struct LocusExecution.ExecutionStats
@_exported import struct LocusPlanner.OptimizerRule
@_exported import struct LocusAnalysis.AnalyzerDefinition
@_exported import struct LocusAnalysis.SearchViewDefinition
@_exported import struct LocusAnalysis.SearchLink
@_exported import struct LocusStorage.ReplicaIdentity
@_exported import struct LocusStorage.StreamEntry
@_exported import struct LocusPolicy.Fabric
@_exported import struct LocusPolicy.PointOfPresence
@_exported import struct LocusPolicy.PlacementPolicy
@_exported import enum LocusPolicy.Attestation
@_exported import enum LocusStorage.SiteSet
@_exported import class LocusReplication.Replicator
@_exported import protocol LocusReplication.SyncTransport
@_exported import struct LocusReplication.PeerIdentity
@_exported import struct LocusReplication.PullRequest
@_exported import struct LocusReplication.PullResponse
@_exported import class LocusReplication.RateLimiter
@_exported import struct LocusReplication.SyncAuthenticator
@_exported import struct LocusReplication.InProcessTransport
@_exported import struct LocusReplication.SyncStats
@_exported import struct LocusPolicy.ComplianceReport
@_exported import struct LocusPolicy.ComplianceFinding
@_exported import enum LocusPolicy.ComplianceLocation
@_exported import struct LocusPolicy.PendingEviction
@_exported import struct LocusPolicy.MissingRecord
