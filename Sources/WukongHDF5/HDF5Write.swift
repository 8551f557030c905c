// Writing datasets into a group: real, integer, byte, complex {r, i} and string arrays,
// each optionally tagged with a `units` attribute (the project's convention for physical data).
import Foundation
internal import CHDF5

extension HDF5Group {
    /// Writes a `Double` array as a new dataset: `H5Screate_simple`, `H5Dcreate2`, `H5Dwrite`.
    /// - Parameters:
    ///   - shape: dimensions; `nil` means one-dimensional of `values.count`; `[]` means scalar.
    ///   - units: stored as the `units` attribute when given.
    @discardableResult
    public func write(_ name: String, doubles values: [Double], shape: [Int]? = nil, units: String? = nil) throws -> HDF5Dataset {
        try writeNumbers(name, values, type: chdf5_native_double(), shape: shape, units: units)
    }

    /// Writes an `Int64` array as a new dataset (stored as 64-bit integers).
    @discardableResult
    public func write(_ name: String, int64s values: [Int64], shape: [Int]? = nil, units: String? = nil) throws -> HDF5Dataset {
        try writeNumbers(name, values, type: chdf5_native_int64(), shape: shape, units: units)
    }

    /// Writes an `Int32` array as a new dataset.
    @discardableResult
    public func write(_ name: String, int32s values: [Int32], shape: [Int]? = nil, units: String? = nil) throws -> HDF5Dataset {
        try writeNumbers(name, values, type: chdf5_native_int32(), shape: shape, units: units)
    }

    /// Writes a `UInt8` array (flags, bits) as a new dataset.
    @discardableResult
    public func write(_ name: String, bytes values: [UInt8], shape: [Int]? = nil, units: String? = nil) throws -> HDF5Dataset {
        try writeNumbers(name, values, type: chdf5_native_uint8(), shape: shape, units: units)
    }

    /// Writes complex numbers as a compound `{r, i}` dataset, which h5py reads as `complex128`.
    @discardableResult
    public func write(_ name: String, real: [Double], imag: [Double], shape: [Int]? = nil, units: String? = nil) throws -> HDF5Dataset {
        precondition(real.count == imag.count, "real and imaginary parts differ in length")
        var interleaved = [Double](repeating: 0, count: 2 * real.count)
        for k in 0..<real.count { interleaved[2 * k] = real[k]; interleaved[2 * k + 1] = imag[k] }
        let type = try complexMemoryType()
        defer { H5Tclose(type) }
        return try interleaved.withUnsafeBytes { raw in
            try writeRaw(name, fileType: type, memType: type, count: real.count, shape: shape,
                         bytes: raw.baseAddress, units: units)
        }
    }

    /// Writes strings as a fixed-length, NUL-padded string dataset (h5py reads `bytes`).
    @discardableResult
    public func write(_ name: String, strings: [String], shape: [Int]? = nil) throws -> HDF5Dataset {
        let size = max(1, strings.map { $0.utf8.count }.max() ?? 1)
        var bytes = [UInt8](repeating: 0, count: size * strings.count)
        for (k, s) in strings.enumerated() {
            for (j, b) in s.utf8.enumerated() { bytes[k * size + j] = b }
        }
        let type = H5Tcopy(chdf5_c_s1())
        defer { H5Tclose(type) }
        H5Tset_size(type, size)
        H5Tset_strpad(type, H5T_STR_NULLPAD)
        return try bytes.withUnsafeBytes { raw in
            try writeRaw(name, fileType: type, memType: type, count: strings.count, shape: shape,
                         bytes: raw.baseAddress, units: nil)
        }
    }

    /// Writes a contiguous array of a native numeric type whose HDF5 type id is `type`.
    private func writeNumbers<T>(_ name: String, _ values: [T], type: hid_t, shape: [Int]?, units: String?) throws -> HDF5Dataset {
        try values.withUnsafeBytes { raw in
            try writeRaw(name, fileType: type, memType: type, count: values.count, shape: shape, bytes: raw.baseAddress, units: units)
        }
    }

    private func writeRaw(_ name: String, fileType: hid_t, memType: hid_t, count: Int, shape: [Int]?,
                          bytes: UnsafeRawPointer?, units: String?) throws -> HDF5Dataset {
        let full = joinPath(path, name)
        let dims = shape ?? [count]
        guard dims.reduce(1, *) == count else {
            throw file.error("write dataset", full, "shape \(dims) does not hold \(count) elements")
        }
        if contains(name) { throw file.error("write dataset", full, "a dataset of that name already exists") }
        let hdims = dims.map { hsize_t($0) }
        let space = dims.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(dims.count), hdims, nil)
        guard space >= 0 else { throw file.error("write dataset", full) }
        defer { H5Sclose(space) }
        let dset = H5Dcreate2(id, name, fileType, space, chdf5_default(), chdf5_default(), chdf5_default())
        guard dset >= 0 else { throw file.error("create dataset", full) }
        let dataset = HDF5Dataset(id: dset, file: file, path: full)
        if count > 0, H5Dwrite(dset, memType, chdf5_s_all(), chdf5_s_all(), chdf5_default(), bytes) < 0 {
            throw file.error("write dataset", full)
        }
        if let units { try dataset.setAttribute("units", string: units) }
        return dataset
    }
}
