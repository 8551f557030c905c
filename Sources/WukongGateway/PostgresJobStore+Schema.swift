// PostgresJobStore, continued: the schema and its migrations (each runs once, under an advisory lock).
import Foundation
import Logging
import PostgresNIO

extension PostgresJobStore {
    // MARK: Schema

    /// Schema versions in order; each runs once, in one transaction, under an advisory lock so that
    /// replicas starting together do not race.
    static let migrations: [(name: String, statements: [String])] = [
        ("v1-jobs-keys", [
            """
            CREATE TABLE wukong_jobs (
                seq BIGSERIAL PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                owner TEXT NOT NULL,
                state TEXT NOT NULL,
                reason_code TEXT, reason TEXT,
                backend TEXT NOT NULL,
                spec TEXT NOT NULL,
                seed BIGINT NOT NULL,
                calibration_id TEXT NOT NULL,
                attempt INTEGER NOT NULL DEFAULT 0,
                lease_owner TEXT, lease_expires_at DOUBLE PRECISION,
                created_at DOUBLE PRECISION NOT NULL, started_at DOUBLE PRECISION, finished_at DOUBLE PRECISION,
                idempotency_key TEXT, fingerprint TEXT NOT NULL DEFAULT '',
                tags TEXT[] NOT NULL DEFAULT '{}')
            """,
            "CREATE INDEX wukong_jobs_state_seq ON wukong_jobs (state, backend, seq)",
            "CREATE INDEX wukong_jobs_owner_seq ON wukong_jobs (owner, seq)",
            "CREATE INDEX wukong_jobs_tags ON wukong_jobs USING gin (tags)",
            "CREATE INDEX wukong_jobs_lease ON wukong_jobs (lease_expires_at) WHERE state IN ('running', 'cancelling')",
            "CREATE UNIQUE INDEX wukong_jobs_idempotency ON wukong_jobs (owner, idempotency_key) WHERE idempotency_key IS NOT NULL",
            """
            CREATE TABLE wukong_results (job_id TEXT NOT NULL REFERENCES wukong_jobs (id), item_index INTEGER NOT NULL,
                                         body TEXT NOT NULL, PRIMARY KEY (job_id, item_index))
            """,
            """
            CREATE TABLE wukong_api_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, scope TEXT NOT NULL,
                                          created_at DOUBLE PRECISION NOT NULL, revoked_at DOUBLE PRECISION)
            """,
        ]),
        ("v2-calibrations", [
            // Snapshot bodies as base64 text (HDF5 bytes); the assignment history per backend.
            """
            CREATE TABLE wukong_calibration_snapshots (id TEXT PRIMARY KEY, job_id TEXT, stored_at DOUBLE PRECISION NOT NULL,
                                                       body TEXT NOT NULL)
            """,
            """
            CREATE TABLE wukong_calibration_assignments (seq BIGSERIAL PRIMARY KEY, backend TEXT NOT NULL,
                snapshot_id TEXT NOT NULL, assigned_at DOUBLE PRECISION NOT NULL, assigned_by TEXT NOT NULL)
            """,
            "CREATE INDEX wukong_calibration_assignments_backend ON wukong_calibration_assignments (backend, seq)",
        ]),
    ]

    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("BEGIN", logger: logger)
        do {
            _ = try await connection.query("SELECT pg_advisory_xact_lock(7743215501)", logger: logger).collect()
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS wukong_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: logger)
            var applied = Set<String>()
            for row in try await connection.query("SELECT name FROM wukong_migrations", logger: logger).collect() {
                applied.insert(try row.makeRandomAccess()["name"].decode(String.self))
            }
            for migration in migrations where !applied.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO wukong_migrations (name) VALUES (\(migration.name))", logger: logger)
            }
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }
}
