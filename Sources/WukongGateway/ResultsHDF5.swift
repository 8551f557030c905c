// `GET /v1/jobs/{id}/results.h5`: a job's results as an HDF5 file. Layout:
//   /                       attributes job_id, backend, noise, seed (decimal string), calibration_id, bit_order
//   /items/<i>              attribute program_language
//   /items/<i>/<k>          one parameter set: attributes shots, parameters (JSON), metadata (JSON, if any)
//     bitstrings            fixed-length strings, clbit 0 the rightmost character
//     counts                int64, counts[j] is the count of bitstrings[j]
//     memory                uint8 [shots, clbits], memory[s][c] = clbit c of shot s (when memory was asked for)
//     iq                    complex [shots, measurements]: integrated readout IQ point of each measurement
//                           (pulse backend with iq: true); iq_clbits / iq_qubits: int64 [measurements],
//                           the clbit written and the physical qubit read by each column
import Foundation
import WukongHDF5

enum ResultsHDF5 {
    /// The HDF5 library of the system may be built without thread safety: one file at a time.
    static let lock = NSLock()

    /// Writes the file to a temporary path, reads it back and deletes it.
    static func data(job: JobRecord, results: [ItemResult]) throws -> Data {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("wukong-results-\(job.id)-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try lock.withLock {
            try write(job: job, results: results, to: path)
        }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    static func write(job: JobRecord, results: [ItemResult], to path: String) throws {
        let file = try HDF5File.create(path: path)
        let root = try file.root()
        try root.setAttribute("job_id", string: job.id)
        try root.setAttribute("backend", string: job.spec.backend)
        try root.setAttribute("noise", string: job.spec.noise)
        try root.setAttribute("seed", string: String(job.seed))
        try root.setAttribute("calibration_id", string: job.calibrationID)
        try root.setAttribute("bit_order", string: "clbit 0 is the rightmost character of a bitstring; memory column c is clbit c")
        try root.setAttribute("result_version", int: 1)
        let items = try root.createGroup("items")
        for r in results {
            let itemGroup = try items.createGroup(String(r.index))
            let spec = r.index < job.spec.items.count ? job.spec.items[r.index] : nil
            if let spec { try itemGroup.setAttribute("program_language", string: spec.language.rawValue) }
            for (k, set) in r.sets.enumerated() {
                let g = try itemGroup.createGroup(String(k))
                let keys = set.counts.keys.sorted()
                try g.write("bitstrings", strings: keys)
                try g.write("counts", int64s: keys.map { Int64(set.counts[$0]!) })
                try g.setAttribute("shots", int: Int64(set.counts.values.reduce(0, +)))
                if let spec, k < spec.parameterSets.count {
                    try g.setAttribute("parameters", string: JobSpec.parameterJSON(spec.parameterSets[k]).serialized())
                }
                if let metadata = set.metadata { try g.setAttribute("metadata", string: metadata.serialized()) }
                if let memory = set.memory, !memory.isEmpty {
                    let width = memory[0].utf8.count
                    var bytes = [UInt8](repeating: 0, count: memory.count * width)
                    for (s, bits) in memory.enumerated() {
                        // Character j of the string is clbit width-1-j.
                        for (j, ch) in bits.utf8.enumerated() where j < width && ch == UInt8(ascii: "1") {
                            bytes[s * width + (width - 1 - j)] = 1
                        }
                    }
                    if width > 0 { try g.write("memory", bytes: bytes, shape: [memory.count, width]) }
                }
                if let iq = set.iq, iq.shots > 0 {
                    _ = try g.write("iq", real: iq.i, imag: iq.q, shape: [iq.shots, iq.clbits.count])
                    _ = try g.write("iq_clbits", int64s: iq.clbits.map(Int64.init))
                    _ = try g.write("iq_qubits", int64s: iq.qubits.map(Int64.init))
                }
            }
        }
        try file.flush()
    }
}
