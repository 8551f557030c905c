// A throw-away PostgreSQL cluster for tests: initdb into a temporary directory and the server in the
// foreground (both as the non-root `postgres` user when the tests run as root), trust authentication, a free loopback port and a private
// socket directory, so it neither needs nor disturbs a system cluster on 5432. One cluster serves the
// whole test process (each test takes a database of its own) and is stopped and deleted at exit.
// Without PostgreSQL binaries the tests skip outside CI and fail in CI (CI=true).
import Foundation
import Testing
@testable import WukongGateway

final class PostgresCluster: @unchecked Sendable {
    let binDir: String
    let baseDir: String
    let port: Int
    /// The `postgres` (or `runuser`) child process.
    let server: Process

    var dataDir: String { baseDir + "/data" }
    var socketDir: String { baseDir + "/socket" }

    /// The directory holding initdb and postgres (the newest /usr/lib/postgresql/*/bin), or $WUKONG_PG_BIN.
    static let binDirectory: String? = {
        let fm = FileManager.default
        if let dir = ProcessInfo.processInfo.environment["WUKONG_PG_BIN"], fm.isExecutableFile(atPath: dir + "/initdb") { return dir }
        let versions = (try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        return versions.compactMap { v -> (Int, String)? in
            let dir = "/usr/lib/postgresql/\(v)/bin"
            guard let n = Int(v), fm.isExecutableFile(atPath: dir + "/initdb"), fm.isExecutableFile(atPath: dir + "/postgres") else { return nil }
            return (n, dir)
        }.max { $0.0 < $1.0 }?.1
    }()

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Whether PostgreSQL tests run: binaries present, or CI (where their absence must fail the tests).
    static var enabled: Bool { binDirectory != nil || isCI }
    static let skipReason: Comment = "PostgreSQL binaries (initdb, postgres) not found under /usr/lib/postgresql/*/bin; install the Debian package postgresql (scripts/install-deps does) to run these tests"

    /// The cluster of this test process, started on first use. Blocking work (locks, child processes)
    /// runs on a thread of its own: blocking the few cooperative threads of Swift concurrency deadlocks.
    static func shared() async throws -> PostgresCluster {
        try await onThread { try sharedSync() }
    }

    /// Runs `body` on a new thread and returns its result.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    private static func sharedSync() throws -> PostgresCluster {
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
        var started: (Int, Process)?
        for _ in 0..<5 where started == nil {
            let candidate = try Self.freeLoopbackPort()
            do {
                started = (candidate, try Self.startServer(bin: bin, baseDir: baseDir, port: candidate))
            } catch {
                lastError = error  // the port was taken meanwhile: try another
            }
        }
        guard let started else {
            let log = (try? String(contentsOfFile: baseDir + "/server.log", encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: baseDir)
            throw Failure(description: "PostgreSQL did not start: \(lastError.map { "\($0)" } ?? "")\n\(log)")
        }
        (port, server) = started
    }

    /// Starts `postgres` in the foreground as a child and waits until postmaster.pid says "ready". (Not
    /// pg_ctl: its daemon would inherit the descriptor Foundation's Process watches, so pg_ctl would never
    /// be seen to exit.)
    private static func startServer(bin: String, baseDir: String, port: Int) throws -> Process {
        let logPath = baseDir + "/server.log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        guard let log = FileHandle(forWritingAtPath: logPath) else { throw Failure(description: "cannot write \(logPath)") }
        log.seekToEndOfFile()
        let server = [bin + "/postgres", "-D", baseDir + "/data", "-p", String(port), "-k", baseDir + "/socket",
                      "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"]
        let p = Process()
        if geteuid() == 0 {
            p.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            p.arguments = ["-u", "postgres", "--"] + server
        } else {
            p.executableURL = URL(fileURLWithPath: server[0])
            p.arguments = Array(server.dropFirst())
        }
        p.currentDirectoryURL = URL(fileURLWithPath: "/")
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = log
        p.standardError = log
        try p.run()
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            let pidFile = (try? String(contentsOfFile: baseDir + "/data/postmaster.pid", encoding: .utf8)) ?? ""
            let lines = pidFile.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.count >= 8, lines[7].trimmingCharacters(in: .whitespaces) == "ready", Int(lines[3]) == port { return p }
            if !p.isRunning { throw Failure(description: "postgres exited with \(p.terminationStatus) on port \(port)") }
            usleep(50_000)
        }
        p.terminate()
        throw Failure(description: "postgres was not ready within 90 s on port \(port)")
    }

    /// `postgres://postgres@127.0.0.1:PORT/DATABASE`.
    func url(database: String) -> String { "postgres://postgres@127.0.0.1:\(port)/\(database)?sslmode=disable" }

    /// Creates an empty database and returns its URL.
    func makeDatabase() async throws -> String {
        let name = "wukong_test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        let program = binDir + "/createdb", port = port
        try await Self.onThread { try Self.run(program, ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", name]) }
        return url(database: name)
    }

    /// Stops the server (immediate shutdown: SIGQUIT to the postmaster named in postmaster.pid) and deletes
    /// its directory. No child process: this runs from atexit.
    func stop() {
        if let text = try? String(contentsOfFile: dataDir + "/postmaster.pid", encoding: .utf8),
           let pid = text.split(separator: "\n").first.flatMap({ pid_t($0.trimmingCharacters(in: .whitespaces)) }), pid > 1 {
            kill(pid, SIGQUIT)
            for _ in 0..<250 where kill(pid, 0) == 0 { usleep(20_000) }
        }
        try? FileManager.default.removeItem(atPath: baseDir)
    }

    /// Runs a short-lived PostgreSQL program as `postgres` when root (initdb refuses to run as root), else as is.
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
