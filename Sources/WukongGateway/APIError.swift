// The one error type the API answers with: an HTTP status, a stable machine code, a sentence for
// people, and the request field at fault. Rendered as {"error": {"code", "message", "field"}}.
import Foundation

/// An error the gateway reports to a client. Never carries a stack trace or an internal type name.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// HTTP status code (4xx for client errors, 503/500 for ours).
    public var status: Int
    /// Stable machine-readable code, e.g. `limit_shots`, `unauthorized`, `invalid_program`.
    public var code: String
    /// A sentence for people.
    public var message: String
    /// The request field at fault (`items[3].shots`), when there is one.
    public var field: String?
    /// Seconds a client should wait before retrying (sent as `Retry-After` on 429/503).
    public var retryAfterSeconds: Int?

    public init(status: Int, code: String, message: String, field: String? = nil, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(status) \(code): \(message)" + (field.map { " (field \($0))" } ?? "") }

    /// The JSON body.
    public var body: JSONValue {
        var inner: [(String, JSONValue)] = [("code", .string(code)), ("message", .string(message))]
        if let field { inner.append(("field", .string(field))) }
        if let retryAfterSeconds { inner.append(("retry_after_seconds", .int(retryAfterSeconds))) }
        return ["error": .object(inner)]
    }

    static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(status: 422, code: "invalid_field", message: message, field: field)
    }
    static func notFound(_ what: String) -> APIError { APIError(status: 404, code: "not_found", message: "\(what) not found") }
    static let unauthorized = APIError(status: 401, code: "unauthorized",
                                       message: "missing or unknown API key: send 'Authorization: Bearer KEY'")
    static let forbidden = APIError(status: 403, code: "forbidden", message: "this API key lacks the operator scope")
}
