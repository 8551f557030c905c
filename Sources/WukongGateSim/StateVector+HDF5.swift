// Writing a state vector to HDF5 as a complex {r, i} dataset named `statevector` (h5py: complex128),
// index i = basis state with qubit 0 as its least significant bit.
import WukongHDF5

extension StateVector {
    /// Writes the amplitudes to a new file at `path`, dataset `/statevector`, with attributes
    /// `qubits` and `bit_order` ("qubit 0 = least significant bit of the index").
    /// - Complexity: O(2ⁿ) time and memory.
    public func writeHDF5(to path: String) throws {
        let file = try HDF5File.create(path: path)
        let root = try file.root()
        let amps = amplitudes
        let dataset = try root.write("statevector", real: amps.map(\.real), imag: amps.map(\.imaginary), units: "1")
        try dataset.setAttribute("qubits", int: Int64(qubitCount))
        try dataset.setAttribute("bit_order", string: "qubit 0 = least significant bit of the index")
        try file.flush()
    }
}
