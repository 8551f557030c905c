// A minimal HTTP client for the gateway, on the toolchain's URLSession (FoundationNetworking on
// Linux): used by the `wukong submit/jobs/result/properties` commands and by the live-socket tests.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange's outcome.
public struct ClientResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data
    /// The body as text.
    public var text: String { String(decoding: body, as: UTF8.self) }
    /// The body as JSON (null when it is not JSON).
    public var json: JSONValue { (try? JSONValue.parse(body)) ?? .null }
    /// A header, by case-insensitive name.
    public func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name.lowercased() }?.value }
}

/// Talks to a gateway at `baseURL` with an optional API key.
public struct GatewayClient: Sendable {
    public var baseURL: String
    public var apiKey: String?

    public init(baseURL: String, apiKey: String?) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
    }

    /// Sends a request; `body` is sent as JSON text.
    public func send(_ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:]) async throws -> ClientResponse {
        guard let url = URL(string: baseURL + path) else { throw URLError(.badURL) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 60
        if let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        return try await withCheckedThrowingContinuation { continuation in
            let task = session.dataTask(with: request) { data, response, error in
                if let error { continuation.resume(throwing: error); return }
                guard let http = response as? HTTPURLResponse else { continuation.resume(throwing: URLError(.badServerResponse)); return }
                var headers: [String: String] = [:]
                for (k, v) in http.allHeaderFields { headers["\(k)"] = "\(v)" }
                continuation.resume(returning: ClientResponse(status: http.statusCode, headers: headers, body: data ?? Data()))
            }
            task.resume()
        }
    }

    public func get(_ path: String) async throws -> ClientResponse { try await send("GET", path) }
    public func post(_ path: String, _ body: JSONValue, headers: [String: String] = [:]) async throws -> ClientResponse {
        try await send("POST", path, body: body.serialized(), headers: headers)
    }

    /// Polls `GET /v1/jobs/{id}` until the job is terminal or `timeoutSeconds` pass; returns the last view.
    public func wait(for id: String, timeoutSeconds: Double = 120, pollSeconds: Double = 0.1) async throws -> JSONValue {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while true {
            let r = try await get("/v1/jobs/\(id)")
            let state = r.json["state"]?.stringValue.flatMap(JobState.init)
            if r.status != 200 || state?.isTerminal == true || Date() > deadline { return r.json }
            try await Task.sleep(nanoseconds: UInt64(pollSeconds * 1e9))
        }
    }
}
