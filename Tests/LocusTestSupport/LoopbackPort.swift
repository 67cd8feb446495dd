// TCP ports on 127.0.0.1 for tests that run servers: one nothing listens on now, and whether
// something accepts connections on one (a server that has started).

import Foundation

public enum LoopbackPort {
    /// A port on 127.0.0.1 that nothing listens on now (the kernel's choice).
    public static func free() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
                _ = bind(fd, p, length)
                return getsockname(fd, p, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A socket connected to 127.0.0.1:`port`, or nil when nothing accepts there.
    public static func connect(_ port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        if connected { return fd }
        close(fd)
        return nil
    }

    /// Waits until something accepts connections on `port`, up to `seconds`; false if nothing did.
    public static func awaitListener(_ port: Int, seconds: Double = 6) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if let fd = connect(port) {
                close(fd)
                return true
            }
            usleep(20_000)
        }
        return false
    }
}
