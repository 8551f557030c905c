// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=MODE]`: the PostgreSQL store's address,
// parsed with errors that say which part is wrong. Percent-escapes in the user, password and database are decoded.
import Foundation

/// Where a PostgreSQL job store lives and how to log in.
public struct PostgresStoreURL: Sendable, Equatable, CustomStringConvertible {
    /// How TLS is used, with libpq's meanings: `disable` never; `prefer` when the server offers it, without
    /// checking its certificate; `require` always, without checking; `verify-full` always, checking the
    /// certificate against the system's roots and the host name.
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode

    /// Parses `text`; throws `PostgresStoreError` naming the part that is wrong.
    public init(_ text: String) throws {
        let form = "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require|verify-full]"
        func bad(_ why: String) -> PostgresStoreError { PostgresStoreError("bad PostgreSQL URL '\(PostgresStoreURL.redacted(text))': \(why); expected \(form)") }
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") else { throw bad("it must start with postgres://") }
        guard let c = URLComponents(string: text) else { throw bad("it is not a valid URL") }
        guard let host = c.host, !host.isEmpty else { throw bad("the host is missing") }
        guard let user = c.user, !user.isEmpty else { throw bad("the user is missing") }
        if let p = c.port, !(1...65535).contains(p) { throw bad("port \(p) is outside 1…65535") }
        let path = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
        guard !path.isEmpty else { throw bad("the database name is missing") }
        guard !path.contains("/") else { throw bad("the database name '\(path)' contains '/'") }
        var tls = TLSMode.prefer
        for item in c.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let v = item.value, let mode = TLSMode(rawValue: v) else {
                    throw bad("sslmode '\(item.value ?? "")' is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tls = mode
            default:
                throw bad("unknown parameter '\(item.name)' (only sslmode is understood)")
            }
        }
        self.user = user  // URLComponents has decoded percent-escapes already
        self.password = c.password
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = c.port ?? 5432
        self.database = path
        self.tls = tls
    }

    /// The URL with the password replaced by `***` (for logs and errors).
    public var description: String {
        "postgres://\(user)\(password == nil ? "" : ":***")@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)?sslmode=\(tls.rawValue)"
    }

    /// `text` with any password hidden.
    static func redacted(_ text: String) -> String {
        guard let at = text.range(of: "@"), let scheme = text.range(of: "://"), scheme.upperBound < at.lowerBound else { return text }
        let userInfo = text[scheme.upperBound..<at.lowerBound]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at.lowerBound...])
    }
}

/// A PostgreSQL store problem, with the server's message when there is one (never the password).
public struct PostgresStoreError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
