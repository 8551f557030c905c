// PostgresJobStore, continued: API keys, and calibration snapshots with each backend's assignment history
// (snapshot bodies are stored as base64 text).
import Foundation
import PostgresNIO

extension PostgresJobStore {
    // MARK: JobStore: API keys

    public func createKey(name: String, scope: APIScope) async throws -> (record: APIKeyRecord, secret: String) {
        let secret = APIKeySecret.generate()
        let id = APIKeySecret.newID(), hash = APIKeySecret.hash(secret)
        let created = try await transaction { [self] c in
            let now = try await now(c)
            _ = try await rows(c, """
                INSERT INTO wukong_api_keys (id, name, hash, scope, created_at) VALUES (\(id), \(name), \(hash), \(scope.rawValue), \(now))
                """)
            return now
        }
        return (APIKeyRecord(id: id, name: name, scope: scope, createdAt: Date(timeIntervalSince1970: created), revokedAt: nil), secret)
    }

    static func keyRecord(_ row: PostgresRandomAccessRow) throws -> APIKeyRecord {
        APIKeyRecord(id: try row["id"].decode(String.self), name: try row["name"].decode(String.self),
                     scope: APIScope(rawValue: try row["scope"].decode(String.self)) ?? .user,
                     createdAt: Date(timeIntervalSince1970: try row["created_at"].decode(Double.self)),
                     revokedAt: try row["revoked_at"].decode(Double?.self).map { Date(timeIntervalSince1970: $0) })
    }

    public func key(secretHash hash: String) async throws -> APIKeyRecord? {
        try await withConnection { [self] c in
            try await rows(c, "SELECT * FROM wukong_api_keys WHERE hash = \(hash) AND revoked_at IS NULL").first.map(Self.keyRecord)
        }
    }

    public func listKeys() async throws -> [APIKeyRecord] {
        try await withConnection { [self] c in
            try await rows(c, "SELECT * FROM wukong_api_keys ORDER BY created_at, id").map(Self.keyRecord)
        }
    }

    public func revokeKey(id: String) async throws -> Bool {
        try await transaction { [self] c in
            let now = try await now(c)
            let revoked = try await rows(c, "UPDATE wukong_api_keys SET revoked_at = \(now) WHERE id = \(id) AND revoked_at IS NULL RETURNING id")
            return !revoked.isEmpty
        }
    }

    // MARK: JobStore: calibration snapshots and assignments

    public func saveSnapshot(id: String, jobID: String?, hdf5: Data) async throws {
        let body = hdf5.base64EncodedString()
        _ = try await transaction { [self] c in
            let now = try await now(c)
            _ = try await rows(c, """
                INSERT INTO wukong_calibration_snapshots (id, job_id, stored_at, body) VALUES (\(id), \(jobID), \(now), \(body))
                ON CONFLICT (id) DO UPDATE SET job_id = EXCLUDED.job_id, stored_at = EXCLUDED.stored_at, body = EXCLUDED.body
                """)
            return true
        }
    }

    public func storedSnapshot(id: String) async throws -> Data? {
        let body = try await withConnection { [self] c in
            try await rows(c, "SELECT body FROM wukong_calibration_snapshots WHERE id = \(id)").first
                .map { try $0["body"].decode(String.self) }
        }
        return body.flatMap { Data(base64Encoded: $0) }
    }

    public func storedSnapshotIDs() async throws -> [String] {
        try await withConnection { [self] c in
            try await rows(c, "SELECT id FROM wukong_calibration_snapshots ORDER BY stored_at, id").map { try $0["id"].decode(String.self) }
        }
    }

    public func assignCalibration(backend: String, snapshotID: String, by keyID: String) async throws -> CalibrationAssignment {
        let at = try await transaction { [self] c in
            let now = try await now(c)
            _ = try await rows(c, """
                INSERT INTO wukong_calibration_assignments (backend, snapshot_id, assigned_at, assigned_by)
                VALUES (\(backend), \(snapshotID), \(now), \(keyID))
                """)
            return now
        }
        return CalibrationAssignment(backend: backend, snapshotID: snapshotID, assignedAt: Date(timeIntervalSince1970: at), assignedBy: keyID)
    }

    public func calibrationAssignments(backend: String) async throws -> [CalibrationAssignment] {
        try await withConnection { [self] c in
            try await rows(c, """
                SELECT backend, snapshot_id, assigned_at, assigned_by FROM wukong_calibration_assignments
                WHERE backend = \(backend) ORDER BY seq
                """).map { row in
                CalibrationAssignment(backend: try row["backend"].decode(String.self), snapshotID: try row["snapshot_id"].decode(String.self),
                                      assignedAt: Date(timeIntervalSince1970: try row["assigned_at"].decode(Double.self)),
                                      assignedBy: try row["assigned_by"].decode(String.self))
            }
        }
    }
}
