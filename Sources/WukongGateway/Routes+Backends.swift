// Backend and calibration routes: descriptions, properties (Braket-like), calibration snapshots.
import Foundation
import Hummingbird

extension Gateway {
    func addBackendRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/v1/backends") { request, _ -> Response in
            _ = try await self.authenticate(request)
            let depth = try await self.queueDepth()
            return jsonResponse(["backends": .array(BackendCatalog.names.map {
                BackendCatalog.summary($0, queued: depth[$0] ?? 0, calibration: self.catalog.current)
            })])
        }
        router.get("/v1/backends/:name") { request, context -> Response in
            _ = try await self.authenticate(request)
            let name = try self.backendName(context)
            let depth = try await self.queueDepth()
            return jsonResponse(BackendCatalog.detail(name, queued: depth[name] ?? 0, calibration: self.catalog.current, limits: self.limits))
        }
        router.get("/v1/backends/:name/properties") { request, context -> Response in
            _ = try await self.authenticate(request)
            let name = try self.backendName(context)
            var properties = self.catalog.current.propertiesJSON
            if case .object(var members) = properties {
                members.insert(("backend", .string(name)), at: 0)
                properties = .object(members)
            }
            return jsonResponse(properties)
        }
        router.get("/v1/calibrations") { request, _ -> Response in
            _ = try await self.authenticate(request)
            return jsonResponse(["current_id": .string(self.catalog.currentID),
                                 "calibrations": .array(self.catalog.sorted.map(\.summaryJSON))])
        }
        router.get("/v1/calibrations/:id") { request, context -> Response in
            _ = try await self.authenticate(request)
            let id = context.parameters.get("id") ?? ""
            guard let snapshot = self.catalog.snapshots[id] else { throw APIError.notFound("calibration \(id)") }
            return jsonResponse(snapshot.fullJSON)
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
