// A growable byte buffer for writers that append many small pieces (the JSON writer). An
// array checks that its storage is unique and large enough, and goes through a generic copy,
// on every append: for a document's worth of short strings that is most of the work. Here an
// append is a bounds check and a store; the bytes reach an array in one copy at the end.

/// Bytes appended to memory this buffer owns alone (or, until it outgrows it, to scratch
/// memory its creator lends it).
struct ByteSink: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int
    /// Whether `base` was allocated here (rather than lent).
    private var owned: Bool

    init(capacity: Int) {
        self.capacity = Swift.max(16, capacity)
        base = .allocate(capacity: self.capacity)
        owned = true
    }

    /// A sink that starts in `scratch` (which must outlive it) and moves to memory of its own
    /// only when that is full.
    init(scratch: UnsafeMutableBufferPointer<UInt8>) {
        base = scratch.baseAddress!
        capacity = scratch.count
        owned = false
    }

    deinit { if owned { base.deallocate() } }

    /// The bytes appended so far, valid until the next append.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Makes room for `n` more bytes.
    @inline(__always)
    mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(toHold: count + n) }
    }

    @inline(never)
    private mutating func grow(toHold needed: Int) {
        let larger = Swift.max(needed, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.initialize(from: base, count: count)
        if owned { base.deallocate() }
        base = moved
        capacity = larger
        owned = true
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    /// Appends bytes for which room was already reserved.
    @inline(__always)
    mutating func appendReserved(_ byte: UInt8) {
        base[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).initialize(from: from, count: bytes.count)
        count += bytes.count
    }
}
