// Bytes where a SQLite file keeps nothing that matters: the unallocated gap between a b-tree
// page's cell pointers and its cells, where SQLite leaves old copies of cells when it rebuilds
// a page. Tests plant a record's bytes there, as a rebalance might have, to check that they
// are erased; SQLite's file format, section 1.6.

import Foundation

public enum StrayBytes {
    /// Writes each of `needles` into the gap of its own b-tree page of the closed database
    /// file at `path`, for as many as there are pages with room; returns how many it planted.
    public static func plant(_ needles: [[UInt8]], in path: String) throws -> Int {
        let url = URL(fileURLWithPath: path)
        var file = try Data(contentsOf: url)
        let pageSize = Int(file[16]) << 8 | Int(file[17])
        var planted = 0
        for start in stride(from: pageSize, to: file.count, by: pageSize) where planted < needles.count {
            let kind = file[start]
            guard kind == 2 || kind == 5 || kind == 10 || kind == 13 else { continue }
            let cells = Int(file[start + 3]) << 8 | Int(file[start + 4])
            let gap = start + (kind < 10 ? 12 : 8) + 2 * cells
            let content = start + (Int(file[start + 5]) << 8 | Int(file[start + 6]))
            let needle = needles[planted]
            guard content - gap >= needle.count else { continue }
            file.replaceSubrange(gap..<gap + needle.count, with: needle)
            planted += 1
        }
        try file.write(to: url)
        return planted
    }
}
