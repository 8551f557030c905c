// A throw-away PostgreSQL cluster for tests: initdb into a temporary directory (as the non-root
// `postgres` user when the tests run as root), trust authentication, a free loopback port and a private
// socket directory, so it neither needs nor disturbs a system cluster on 5432. One cluster serves the
// whole test process (each test takes a database of its own) and is stopped and deleted at exit.
// Without PostgreSQL binaries the tests skip outside CI and fail in CI (CI=true).
import Foundation
import Testing

final class PostgresCluster: Sendable {
    let binDir: String
    let baseDir: String
    let port: Int

    var dataDir: String { baseDir + "/data" }
    var socketDir: String { baseDir + "/socket" }

    /// The directory holding initdb and pg_ctl (the newest /usr/lib/postgresql/*/bin), or $WUKONG_PG_BIN.
    static let binDirectory: String? = {
        let fm = FileManager.default
        if let dir = ProcessInfo.processInfo.environment["WUKONG_PG_BIN"], fm.isExecutableFile(atPath: dir + "/initdb") { return dir }
        let versions = (try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        return versions.compactMap { v -> (Int, String)? in
            let dir = "/usr/lib/postgresql/\(v)/bin"
            guard let n = Int(v), fm.isExecutableFile(atPath: dir + "/initdb"), fm.isExecutableFile(atPath: dir + "/pg_ctl") else { return nil }
            return (n, dir)
        }.max { $0.0 < $1.0 }?.1
    }()

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Whether PostgreSQL tests run: binaries present, or CI (where their absence must fail the tests).
    static var enabled: Bool { binDirectory != nil || isCI }
    static let skipReason: Comment = "PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin; install the Debian package postgresql (scripts/install-deps does) to run these tests"

    /// The cluster of this test process, started on first use.
    static func shared() throws -> PostgresCluster {
        try sharedCluster.withLock { box in
            if let c = box.cluster { return c }
            if let e = box.failure { throw e }
            do {
                let c = try PostgresCluster()
                box.cluster = c
                atexit { PostgresCluster.stopShared() }
                return c
            } catch {
                box.failure = error
                throw error
            }
        }
    }

    private struct SharedBox { var cluster: PostgresCluster?; var failure: (any Error)? }
    private static let sharedCluster = LockedBox(SharedBox())

    static func stopShared() {
        sharedCluster.withLock { box in
            box.cluster?.stop()
            box.cluster = nil
        }
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    private init() throws {
        guard let bin = Self.binDirectory else {
            throw Failure(description: "CI=true but \(Self.skipReason)")
        }
        binDir = bin
        // As root the server user must reach the directory: /tmp, not a private $TMPDIR.
        let tmp = geteuid() == 0 ? URL(fileURLWithPath: "/tmp") : FileManager.default.temporaryDirectory
        baseDir = tmp.appendingPathComponent("wukong-pg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: baseDir, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: baseDir + "/socket", withIntermediateDirectories: true)
        if geteuid() == 0 { try Self.run("/bin/chown", ["-R", "postgres:postgres", baseDir]) }
        try Self.asServerUser(bin + "/initdb", ["-D", baseDir + "/data", "--auth=trust", "--username=postgres", "--encoding=UTF8",
                                           "--no-sync", "--no-instructions"])
        var lastError: (any Error)?
        var started: Int?
        for _ in 0..<5 where started == nil {
            let candidate = try Self.freeLoopbackPort()
            do {
                try Self.asServerUser(bin + "/pg_ctl", ["-D", baseDir + "/data", "-l", baseDir + "/server.log", "-w", "-t", "60", "start", "-o",
                                                   "-p \(candidate) -k \(baseDir)/socket -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"])
                started = candidate
            } catch {
                lastError = error  // the port was taken meanwhile: try another
            }
        }
        guard let started else {
            let log = (try? String(contentsOfFile: baseDir + "/server.log", encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: baseDir)
            throw Failure(description: "PostgreSQL did not start: \(lastError.map { "\($0)" } ?? "")\n\(log)")
        }
        port = started
    }

    /// `postgres://postgres@127.0.0.1:PORT/DATABASE`.
    func url(database: String) -> String { "postgres://postgres@127.0.0.1:\(port)/\(database)?sslmode=disable" }

    /// Creates an empty database and returns its URL.
    func makeDatabase() throws -> String {
        let name = "wukong_test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try Self.run(binDir + "/createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", name])
        return url(database: name)
    }

    /// Stops the server (immediate) and deletes its directory.
    func stop() {
        try? Self.asServerUser(binDir + "/pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: baseDir)
    }

    /// Runs a PostgreSQL program as `postgres` when root (the server refuses to run as root), else as is.
    private static func asServerUser(_ program: String, _ args: [String]) throws {
        if geteuid() == 0 {
            try Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", program] + args)
        } else {
            try Self.run(program, args)
        }
    }

    @discardableResult
    static func run(_ program: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: "/")
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard p.terminationStatus == 0 else {
            throw Failure(description: "\(program) \(args.joined(separator: " ")) exited with \(p.terminationStatus): \(text)")
        }
        return text
    }

    /// A loopback port nothing listens on right now.
    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw Failure(description: "bind() failed") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
