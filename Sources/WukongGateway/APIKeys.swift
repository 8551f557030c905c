// API key secrets: 32 random bytes shown once as `wk_` + 64 hex characters; the store keeps only the
// SHA-256 of the whole secret, so a leaked database does not leak working keys.
import Foundation

/// Generating and hashing API key secrets.
public enum APIKeySecret {
    /// A new secret: `wk_` and 32 bytes from the system CSPRNG in hex.
    public static func generate() -> String {
        var g = SystemRandomNumberGenerator()
        return "wk_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }

    /// The stored form of a secret: SHA-256, hex.
    public static func hash(_ secret: String) -> String { SHA256.hex(secret) }

    /// A short public id for listing and revoking: `key_` + 12 random hex digits.
    public static func newID() -> String {
        var g = SystemRandomNumberGenerator()
        return "key_" + (0..<6).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }

    /// The secret from an `Authorization: Bearer KEY` header value.
    public static func fromAuthorization(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let key = parts[1].trimmingCharacters(in: .whitespaces)
        return key.isEmpty ? nil : key
    }
}
