// Errors from HDF5, carrying the operation, the object path and HDF5's own message,
// so a corrupt or mismatched file is reported as "what failed, where, and why".
internal import CHDF5

/// An HDF5 failure: which operation failed, on which file and object, and HDF5's explanation.
public struct HDF5Error: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was being attempted, e.g. `"open file"` or `"read dataset"`.
    public let operation: String
    /// The file path, or `""` when not known.
    public let file: String
    /// The object path inside the file, e.g. `"/qubits/t1"`.
    public let object: String
    /// HDF5's error stack, innermost first, or our own explanation.
    public let detail: String

    public init(operation: String, file: String, object: String, detail: String) {
        self.operation = operation
        self.file = file
        self.object = object
        self.detail = detail
    }

    public var description: String {
        var s = "HDF5 error: cannot \(operation)"
        if !object.isEmpty { s += " '\(object)'" }
        if !file.isEmpty { s += " in \(file)" }
        if !detail.isEmpty { s += ": \(detail)" }
        return s
    }
}

/// Process-wide HDF5 set-up: silence HDF5's own stderr printing once; errors are collected instead.
enum HDF5Library {
    static let initialized: Bool = {
        _ = chdf5_silence_errors()
        return true
    }()

    /// The current HDF5 error stack as one line (and clears it), via `H5Ewalk2`.
    static func takeErrorMessage() -> String {
        var buffer = [CChar](repeating: 0, count: 1024)
        let text: String = buffer.withUnsafeMutableBufferPointer { ptr in
            chdf5_error_message(ptr.baseAddress, 1024)
            return String(cString: ptr.baseAddress!)
        }
        return text
    }
}
