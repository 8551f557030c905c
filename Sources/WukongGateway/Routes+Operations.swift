// Operational routes without authentication: health, Prometheus metrics, the OpenAPI document and
// the dashboard page.
import Foundation
import Hummingbird

extension Gateway {
    func addOperationsRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ -> Response in
            let counts = try await self.store.countsByState()
            return jsonResponse(["status": "ok", "queued": .int(counts[.queued] ?? 0), "running": .int(counts[.running] ?? 0),
                                 "calibration_id": .string(self.catalog.currentID)])
        }
        router.get("/metrics") { _, _ -> Response in
            let counts = try await self.store.countsByState()
            let depth = try await self.queueDepth()
            return textResponse(self.metrics.render(jobsByState: counts, queueDepth: depth), contentType: "text/plain; version=0.0.4")
        }
        router.get("/openapi.json") { _, _ -> Response in
            guard let data = FileManager.default.contents(atPath: self.openAPIPath) else {
                throw APIError(status: 404, code: "not_found", message: "the OpenAPI document is not installed next to this server")
            }
            return textResponse(String(decoding: data, as: UTF8.self), contentType: "application/json")
        }
        router.get("/") { request, _ -> Response in
            let colour = request.uri.queryParameters["color"].flatMap { Dashboard.Colouring(rawValue: String($0)) } ?? .t1
            let counts = try await self.store.countsByState()
            let recent = try await self.store.recentJobs(limit: 20)
            let depth = try await self.queueDepth()
            let html = Dashboard.render(calibration: self.catalog.current, colourBy: colour,
                                        counts: counts, recent: recent, queueDepth: depth)
            return textResponse(html, contentType: "text/html; charset=utf-8")
        }
    }
}
