// Backend and calibration-list routes: descriptions and the snapshot list (properties, snapshots by id
// and the calibration operations are in Routes+Calibration.swift).
import Foundation
import Hummingbird

extension Gateway {
    func addBackendRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/v1/backends") { request, _ -> Response in
            _ = try await self.authenticate(request)
            let depth = try await self.queueDepth()
            return jsonResponse(["backends": .array(BackendCatalog.names.map {
                BackendCatalog.summary($0, queued: depth[$0] ?? 0, calibration: self.catalog.current(for: $0))
            })])
        }
        router.get("/v1/backends/:name") { request, context -> Response in
            _ = try await self.authenticate(request)
            let name = try self.backendName(context)
            let depth = try await self.queueDepth()
            return jsonResponse(BackendCatalog.detail(name, queued: depth[name] ?? 0, calibration: self.catalog.current(for: name), limits: self.limits))
        }
        router.get("/v1/calibrations") { request, _ -> Response in
            _ = try await self.authenticate(request)
            return jsonResponse(["current_id": .string(self.catalog.currentID),
                                 "current_by_backend": .object(BackendCatalog.names.map { ($0, .string(self.catalog.currentID(for: $0))) }),
                                 "calibrations": .array(self.catalog.sorted.map(\.summaryJSON))])
        }
    }

    func backendName(_ context: BasicRequestContext) throws -> String {
        let name = context.parameters.get("name") ?? ""
        guard BackendCatalog.names.contains(name) else { throw APIError.notFound("backend \(name)") }
        return name
    }

    /// Queued jobs per backend, every backend listed.
    func queueDepth() async throws -> [String: Int] {
        let queued = try await store.queuedByBackend()
        var out: [String: Int] = [:]
        for name in BackendCatalog.names { out[name] = queued[name] ?? 0 }
        return out
    }
}
