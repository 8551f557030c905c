// HDF5 datasets: typed writes (real, integer, complex as compound {r, i}, fixed-length strings)
// and typed reads that check shape and element kind and name the dataset on failure.
import Foundation
internal import CHDF5

/// The element kind of a dataset, as far as this project cares.
public enum HDF5ElementKind: String, Sendable {
    case float, integer, complex, string, other
}

/// A dataset in an open file.
public final class HDF5Dataset: HDF5Object {
    let id: hid_t
    /// The file this dataset belongs to.
    public let file: HDF5File
    /// The absolute path, e.g. `"/qubits/t1"`.
    public let path: String

    init(id: hid_t, file: HDF5File, path: String) {
        self.id = id
        self.file = file
        self.path = path
    }

    deinit { H5Dclose(id) }

    var objectID: hid_t { id }

    static func open(in file: HDF5File, parentID: hid_t, parentPath: String, name: String) throws -> HDF5Dataset {
        let full = joinPath(parentPath, name)
        guard linkExists(parentID, name) else { throw file.error("open dataset", full, "no such dataset") }
        let id = H5Dopen2(parentID, name, chdf5_default())
        guard id >= 0 else { throw file.error("open dataset", full) }
        return HDF5Dataset(id: id, file: file, path: full)
    }

    /// The dataset's dimensions (empty for a scalar): `H5Sget_simple_extent_dims`.
    public func shape() throws -> [Int] {
        let space = H5Dget_space(id)
        guard space >= 0 else { throw file.error("read shape of", path) }
        defer { H5Sclose(space) }
        let rank = H5Sget_simple_extent_ndims(space)
        guard rank >= 0 else { throw file.error("read shape of", path) }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        _ = H5Sget_simple_extent_dims(space, &dims, nil)
        return dims.map { Int($0) }
    }

    /// The element count (product of the shape).
    public func count() throws -> Int { try shape().reduce(1, *) }

    /// What kind of elements the dataset stores: `H5Tget_class`.
    public func elementKind() throws -> HDF5ElementKind {
        let type = H5Dget_type(id)
        guard type >= 0 else { throw file.error("read type of", path) }
        defer { H5Tclose(type) }
        return kind(of: type)
    }

    /// Reads all elements as `Double` (integers and floats are converted by HDF5): `H5Dread`.
    public func readDoubles() throws -> [Double] {
        try requireKind([.float, .integer], reading: "real numbers")
        var values = [Double](repeating: 0, count: try count())
        try values.withUnsafeMutableBytes { try read(into: $0.baseAddress, memType: chdf5_native_double()) }
        return values
    }

    /// Reads all elements as `Int64`: `H5Dread`.
    public func readInt64s() throws -> [Int64] {
        try requireKind([.integer], reading: "integers")
        var values = [Int64](repeating: 0, count: try count())
        try values.withUnsafeMutableBytes { try read(into: $0.baseAddress, memType: chdf5_native_int64()) }
        return values
    }

    /// Reads a compound `{r, i}` dataset as separate real and imaginary arrays.
    public func readComplex() throws -> (real: [Double], imag: [Double]) {
        try requireKind([.complex], reading: "complex numbers (compound {r, i})")
        let n = try count()
        var interleaved = [Double](repeating: 0, count: 2 * n)
        let memType = try complexMemoryType()
        defer { H5Tclose(memType) }
        try interleaved.withUnsafeMutableBytes { try read(into: $0.baseAddress, memType: memType) }
        var re = [Double](repeating: 0, count: n), im = re
        for k in 0..<n { re[k] = interleaved[2 * k]; im[k] = interleaved[2 * k + 1] }
        return (re, im)
    }

    /// Reads strings, fixed-length (as this project writes) or variable-length (as h5py writes).
    public func readStrings() throws -> [String] {
        try requireKind([.string], reading: "strings")
        let n = try count()
        let type = H5Dget_type(id)
        defer { H5Tclose(type) }
        if H5Tis_variable_str(type) > 0 {
            let memType = H5Tcopy(chdf5_c_s1())
            defer { H5Tclose(memType) }
            H5Tset_size(memType, chdf5_variable())
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: n)
            try pointers.withUnsafeMutableBytes { try read(into: $0.baseAddress, memType: memType) }
            defer {
                let space = H5Dget_space(id)
                pointers.withUnsafeMutableBytes { _ = H5Dvlen_reclaim(memType, space, chdf5_default(), $0.baseAddress) }
                H5Sclose(space)
            }
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
        let size = H5Tget_size(type)
        var bytes = [UInt8](repeating: 0, count: n * size)
        try bytes.withUnsafeMutableBytes { try read(into: $0.baseAddress, memType: type) }
        return (0..<n).map { k in
            let slice = bytes[(k * size)..<((k + 1) * size)]
            let end = slice.firstIndex(of: 0) ?? slice.endIndex
            return String(decoding: slice[slice.startIndex..<end], as: UTF8.self)
                .trimmingCharacters(in: .whitespaces)
        }
    }

    private func read(into buffer: UnsafeMutableRawPointer?, memType: hid_t) throws {
        if H5Dread(id, memType, chdf5_s_all(), chdf5_s_all(), chdf5_default(), buffer) < 0 {
            throw file.error("read dataset", path, "data unreadable, the file may be truncated or corrupt (\(HDF5Library.takeErrorMessage()))")
        }
    }

    private func requireKind(_ allowed: [HDF5ElementKind], reading what: String) throws {
        let actual = try elementKind()
        guard allowed.contains(actual) else {
            throw file.error("read dataset", path, "expected \(what) but the dataset holds \(actual.rawValue) elements")
        }
    }
}

/// Classifies an HDF5 datatype; a complex is a two-member compound named `r` and `i`.
func kind(of type: hid_t) -> HDF5ElementKind {
    switch H5Tget_class(type) {
    case H5T_FLOAT: return .float
    case H5T_INTEGER: return .integer
    case H5T_STRING: return .string
    case H5T_COMPOUND:
        guard H5Tget_nmembers(type) == 2 else { return .other }
        let names: [String] = (0..<2).map { index in
            guard let raw = H5Tget_member_name(type, UInt32(index)) else { return "" }
            defer { H5free_memory(raw) }
            return String(cString: raw)
        }
        return names == ["r", "i"] ? .complex : .other
    default: return .other
    }
}

/// The in-memory compound type `{double r; double i;}`: `H5Tcreate(H5T_COMPOUND)` + `H5Tinsert`.
func complexMemoryType() throws -> hid_t {
    let type = H5Tcreate(H5T_COMPOUND, 16)
    guard type >= 0, H5Tinsert(type, "r", 0, chdf5_native_double()) >= 0,
          H5Tinsert(type, "i", 8, chdf5_native_double()) >= 0 else {
        throw HDF5Error(operation: "create complex type", file: "", object: "", detail: HDF5Library.takeErrorMessage())
    }
    return type
}
