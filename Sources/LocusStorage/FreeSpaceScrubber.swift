// Erases what SQLite leaves behind in unallocated space, in place: the gap between a b-tree
// page's cell pointers and its cells, the bodies of its freeblocks, and free pages. With
// `secure_delete` SQLite zeroes a cell it deletes, but a rebalance that rebuilds a page packs
// the cells it keeps and leaves the old bytes of cells that moved to other pages in the gap; a
// copy of a record can outlive the record there. Hand-written because SQLite offers no way to
// erase that space short of VACUUM, which rewrites the whole file (12 s for 287 MB); this
// reads each b-tree page once and rewrites only the pages that hold stray bytes.
//
// It reads and writes through SQLite's own file handle (`SQLITE_FCNTL_FILE_POINTER`): a second
// descriptor of the file, once closed, would drop the process's POSIX locks on it. The caller
// holds the write lock with the write-ahead log empty, so the file is the whole database and
// nothing else writes it; the bytes it changes mean nothing to SQLite, so a reader that sees
// a page before or after is equally right. Page layout per SQLite's file format, section 1.6.

import CSQLite
import LocusErrors

/// What one scrub read and rewrote.
struct ScrubReport: Equatable {
    var pagesRead = 0
    var pagesWritten = 0
}

/// Zeroes the unallocated bytes of every b-tree page and every free page of a database file.
struct FreeSpaceScrubber {
    private let file: UnsafeMutablePointer<sqlite3_file>
    private let io: sqlite3_io_methods
    private let path: String
    let pageSize: Int
    /// The bytes of a page SQLite uses: the page less its reserved tail.
    let usableSize: Int
    let pageCount: Int
    private var page: [UInt8]
    private var report = ScrubReport()

    /// Opens the scrub of `connection`'s main database file. Call it inside a write
    /// transaction whose write-ahead log is empty.
    init(connection: SQLiteConnection) throws {
        path = connection.path
        var handle: UnsafeMutableRawPointer?
        let rc = sqlite3_file_control(connection.db, "main", SQLITE_FCNTL_FILE_POINTER, &handle)
        guard rc == SQLITE_OK, let handle else {
            throw SQLiteErrors.error(rc == SQLITE_OK ? SQLITE_NOTFOUND : rc, message: "no file handle", path: path)
        }
        file = handle.assumingMemoryBound(to: sqlite3_file.self)
        guard let methods = file.pointee.pMethods else {
            throw SQLiteErrors.error(SQLITE_CANTOPEN, message: "the file is not open", path: path)
        }
        io = methods.pointee
        var header = [UInt8](repeating: 0, count: 100)
        var fileSize: sqlite3_int64 = 0
        guard io.xFileSize(file, &fileSize) == SQLITE_OK else {
            throw SQLiteErrors.error(SQLITE_IOERR, message: "cannot read the file's size", path: path)
        }
        page = []
        guard fileSize >= 100 else {
            pageSize = 0
            usableSize = 0
            pageCount = 0
            return
        }
        try Self.read(io, file, into: &header, at: 0, path: path)
        let size = Int(header[16]) << 8 | Int(header[17])
        pageSize = size == 1 ? 65536 : size
        guard pageSize >= 512, pageSize & (pageSize - 1) == 0, Int(header[20]) < pageSize - 480 else {
            throw SQLiteErrors.error(SQLITE_CORRUPT, message: "bad page size in the header", path: path)
        }
        usableSize = pageSize - Int(header[20])
        // The header's page count is valid when written by the same change as its counter.
        let counted = Self.uint32(header, 28)
        let inFile = Int(fileSize) / pageSize
        pageCount = counted > 0 && Self.uint32(header, 24) == Self.uint32(header, 92) ? min(counted, inFile) : inFile
        page = [UInt8](repeating: 0, count: pageSize)
    }

    /// Scrubs every b-tree reached from `roots` (the schema's root pages; page 1 is always
    /// included) and every page on the free list, then syncs the file when it wrote any.
    mutating func scrub(roots: [Int]) throws -> ScrubReport {
        guard pageCount > 0 else { return report }
        var visited = [Bool](repeating: false, count: pageCount + 1)
        var pending = [1] + roots
        while let number = pending.popLast() {
            guard number >= 1, number <= pageCount else { throw corrupt(number, "page number out of range") }
            if visited[number] { continue }
            visited[number] = true
            try scrubTreePage(number, children: &pending)
        }
        try scrubFreeList(visited: &visited)
        if report.pagesWritten > 0, io.xSync(file, SQLITE_SYNC_NORMAL) != SQLITE_OK {
            throw SQLiteErrors.error(SQLITE_IOERR, message: "cannot sync after erasing free space", path: path)
        }
        return report
    }

    // MARK: - B-tree pages

    /// Zeroes one b-tree page's gap and freeblock bodies; pushes an interior page's children.
    private mutating func scrubTreePage(_ number: Int, children: inout [Int]) throws {
        try load(number)
        let h = number == 1 ? 100 : 0
        let kind = page[h]
        guard kind == 2 || kind == 5 || kind == 10 || kind == 13 else { throw corrupt(number, "not a b-tree page") }
        let interior = kind == 2 || kind == 5
        let cellPointers = h + (interior ? 12 : 8)
        let cells = Self.uint16(page, h + 3)
        let content = Self.uint16(page, h + 5) == 0 ? 65536 : Self.uint16(page, h + 5)
        let gap = cellPointers + 2 * cells
        guard gap <= content, content <= usableSize else { throw corrupt(number, "cell area out of bounds") }
        if interior {
            for i in 0..<cells {
                let cell = Self.uint16(page, cellPointers + 2 * i)
                guard cell >= content, cell + 4 <= usableSize else { throw corrupt(number, "cell out of bounds") }
                children.append(Self.uint32(page, cell))
            }
            children.append(Self.uint32(page, h + 8))
        }
        var changed = zero(gap..<content)
        var block = Self.uint16(page, h + 1)
        var floor = content
        while block != 0 {
            // Freeblocks are chained in increasing order inside the cell area.
            guard block >= floor, block + 4 <= usableSize else { throw corrupt(number, "bad freeblock chain") }
            let size = Self.uint16(page, block + 2)
            guard size >= 4, block + size <= usableSize else { throw corrupt(number, "bad freeblock size") }
            changed = zero(block + 4..<block + size) || changed
            floor = block + size
            block = Self.uint16(page, block)
        }
        if changed { try store(number) }
    }

    // MARK: - Free pages

    /// Zeroes every free page, and each trunk page of the free list past its entries.
    private mutating func scrubFreeList(visited: inout [Bool]) throws {
        try load(1)
        var trunk = Self.uint32(page, 32)
        while trunk != 0 {
            guard trunk <= pageCount, !visited[trunk] else { throw corrupt(trunk, "bad free-list trunk") }
            visited[trunk] = true
            try load(trunk)
            let next = Self.uint32(page, 0)
            let leaves = Self.uint32(page, 4)
            guard leaves <= usableSize / 4 - 2 else { throw corrupt(trunk, "bad free-list trunk") }
            let numbers = (0..<leaves).map { Self.uint32(page, 8 + 4 * $0) }
            if zero(8 + 4 * leaves..<usableSize) { try store(trunk) }
            for leaf in numbers {
                guard leaf >= 2, leaf <= pageCount, !visited[leaf] else { throw corrupt(trunk, "bad free-list leaf") }
                visited[leaf] = true
                try load(leaf)
                if zero(0..<pageSize) { try store(leaf) }
            }
            trunk = next
        }
    }

    // MARK: - Bytes

    /// Zeroes `range` of the loaded page; true when any byte was not zero already.
    private mutating func zero(_ range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return false }
        return page.withUnsafeMutableBufferPointer { bytes in
            let slice = UnsafeMutableBufferPointer(rebasing: bytes[range])
            guard slice.contains(where: { $0 != 0 }) else { return false }
            slice.update(repeating: 0)
            return true
        }
    }

    private mutating func load(_ number: Int) throws {
        try Self.read(io, file, into: &page, at: (number - 1) * pageSize, path: path)
        report.pagesRead += 1
    }

    private mutating func store(_ number: Int) throws {
        let rc = page.withUnsafeBytes {
            io.xWrite(file, $0.baseAddress, Int32(pageSize), sqlite3_int64((number - 1) * pageSize))
        }
        guard rc == SQLITE_OK else {
            throw SQLiteErrors.error(rc, message: "cannot write page \(number) while erasing free space", path: path)
        }
        report.pagesWritten += 1
    }

    private static func read(
        _ io: sqlite3_io_methods, _ file: UnsafeMutablePointer<sqlite3_file>, into buffer: inout [UInt8],
        at offset: Int,
        path: String
    ) throws {
        let count = Int32(buffer.count)
        let rc = buffer.withUnsafeMutableBytes { io.xRead(file, $0.baseAddress, count, sqlite3_int64(offset)) }
        guard rc == SQLITE_OK else {
            throw SQLiteErrors.error(
                rc, message: "cannot read at offset \(offset) while erasing free space", path: path)
        }
    }

    private func corrupt(_ number: Int, _ what: String) -> LocusError {
        SQLiteErrors.error(SQLITE_CORRUPT, message: "page \(number): \(what)", path: path)
    }

    private static func uint16(_ b: [UInt8], _ at: Int) -> Int { Int(b[at]) << 8 | Int(b[at + 1]) }

    private static func uint32(_ b: [UInt8], _ at: Int) -> Int {
        Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3])
    }
}
