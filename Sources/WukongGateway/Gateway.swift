// The gateway: store, calibration catalog, limits and metrics assembled into a Hummingbird router and
// application. Route handlers live in Routes+*.swift; this file holds the shared plumbing.
import Foundation
import Hummingbird

/// Everything the HTTP API needs. Create one, then `buildRouter()` or `buildApplication(...)`.
public final class Gateway: Sendable {
    public let store: any JobStore
    public let catalog: CalibrationCatalog
    public let limits: GatewayLimits
    public let metrics: GatewayMetrics
    let rateLimiter: RateLimiter
    let decoder: SubmissionDecoder
    /// Path of the OpenAPI document served at `/openapi.json`.
    let openAPIPath: String
    /// Backends this deployment runs (others are answered 503 `backend_offline` at submission).
    let onlineBackends: Set<String>
    /// How long a verified API key is trusted without asking the store again (seconds).
    let keyCacheSeconds: Double
    let keyCache = LockedBox<[String: (record: APIKeyRecord, until: Date)]>([:])

    public init(store: any JobStore, catalog: CalibrationCatalog, limits: GatewayLimits = GatewayLimits(),
                metrics: GatewayMetrics = GatewayMetrics(), openAPIPath: String? = nil,
                onlineBackends: Set<String> = Set(JobSpec.backends), keyCacheSeconds: Double = 5) {
        self.keyCacheSeconds = keyCacheSeconds
        self.onlineBackends = onlineBackends
        self.store = store
        self.catalog = catalog
        self.limits = limits
        self.metrics = metrics
        self.rateLimiter = RateLimiter(rate: limits.submitRatePerSecond, burst: limits.submitBurst)
        self.decoder = SubmissionDecoder(limits: limits)
        self.openAPIPath = openAPIPath ?? Gateway.defaultOpenAPIPath
    }

    /// `docs/openapi.json` of the source tree this binary was built from, else of the working directory.
    public static var defaultOpenAPIPath: String {
        let fromSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/openapi.json").path
        return FileManager.default.fileExists(atPath: fromSource) ? fromSource : "docs/openapi.json"
    }

    /// The router with every route and the error middleware.
    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ErrorMiddleware(metrics: metrics))
        addJobRoutes(router)
        addBackendRoutes(router)
        addCalibrationRoutes(router)
        addOperationsRoutes(router)
        return router
    }

    /// An application listening on `host:port` (port 0 = ephemeral; `onRunning` receives the bound port).
    public func buildApplication(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        Application(router: buildRouter(), configuration: .init(address: .hostname(host, port: port), serverName: "wukong-gateway"),
                    onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) })
    }

    // MARK: Shared helpers

    /// The key presenting the request, or 401. A verified key is remembered for `keyCacheSeconds`, so a
    /// busy client costs one hash and one store read per interval rather than per request; a key revoked
    /// in the store stops working within that interval. Unknown keys are never cached.
    func authenticate(_ request: Request) async throws -> APIKeyRecord {
        guard let secret = APIKeySecret.fromAuthorization(request.headers[.authorization]) else { throw APIError.unauthorized }
        let now = Date()
        if let hit = keyCache.withLock({ $0[secret] }), hit.until > now { return hit.record }
        guard let key = try await store.key(secretHash: APIKeySecret.hash(secret)) else { throw APIError.unauthorized }
        keyCache.withLock { cache in
            if cache.count >= 10_000 { cache.removeAll() }
            cache[secret] = (key, now.addingTimeInterval(keyCacheSeconds))
        }
        return key
    }

    /// The job if `key` may see it; 404 otherwise (never 403: other users' job ids are not confirmed).
    func visibleJob(_ id: String, to key: APIKeyRecord) async throws -> JobRecord {
        guard let job = try await store.job(id: id), key.scope == .operator || job.ownerKeyID == key.id else {
            throw APIError.notFound("job \(id)")
        }
        return job
    }
}

/// A JSON response.
func jsonResponse(_ value: JSONValue, status: Int = 200, headers extra: [(String, String)] = []) -> Response {
    textResponse(value.serialized(), status: status, contentType: "application/json")
}

/// A text response of any content type.
func textResponse(_ text: String, status: Int = 200, contentType: String) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = contentType
    return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
}

/// Turns every error into the JSON error shape; never a stack trace.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: GatewayMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            metrics.recordRejection(error.code)
            var response = jsonResponse(error.body, status: error.status)
            if let retry = error.retryAfterSeconds { response.headers[.retryAfter] = String(retry) }
            return response
        } catch let error as HTTPError {
            let code = error.status.code == 404 ? "not_found" : "http_\(error.status.code)"
            let message = error.status.code == 404 ? "no such route: \(request.method) \(request.uri.path)" : (error.body ?? error.status.reasonPhrase)
            metrics.recordRejection(code)
            return jsonResponse(APIError(status: error.status.code, code: code, message: message).body, status: error.status.code)
        } catch {
            context.logger.error("internal error: \(error)")
            metrics.recordRejection("internal")
            return jsonResponse(APIError(status: 500, code: "internal", message: "internal error; the operator's log has the details").body,
                                status: 500)
        }
    }
}
