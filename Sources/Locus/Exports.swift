// Re-exports the types an embedding app needs, so `import Locus` is enough.

@_exported import LocusErrors
@_exported import enum LocusValues.Value
@_exported import struct LocusValues.Object
@_exported import enum LocusStorage.CollectionType
@_exported import struct LocusExecution.ExecutionStats
