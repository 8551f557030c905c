// Attributes on files' groups and datasets: scalar strings, doubles and integers, and
// double arrays; writing replaces an existing attribute of the same name.
import Foundation
internal import CHDF5

/// A group or dataset: something that can carry attributes.
public protocol HDF5Object: AnyObject {
    /// The absolute path of the object in its file.
    var path: String { get }
    /// The file the object lives in.
    var file: HDF5File { get }
}

protocol HDF5Identified: HDF5Object {
    var objectID: hid_t { get }
}

extension HDF5Group: HDF5Identified {}
extension HDF5Dataset: HDF5Identified {}

extension HDF5Object {
    private var hid: hid_t { (self as! any HDF5Identified).objectID }

    /// Whether the attribute exists: `H5Aexists`.
    public func hasAttribute(_ name: String) -> Bool { H5Aexists(hid, name) > 0 }

    /// Names of all attributes: `H5Oget_info` + `H5Aget_name_by_idx`.
    public func attributeNames() throws -> [String] {
        let count = H5Aget_num_attrs(hid)
        guard count >= 0 else { throw file.error("list attributes of", path) }
        return (0..<Int(count)).compactMap { index in
            let size = H5Aget_name_by_idx(hid, ".", H5_INDEX_NAME, H5_ITER_INC, hsize_t(index), nil, 0, chdf5_default())
            guard size >= 0 else { return nil }
            var buffer = [CChar](repeating: 0, count: Int(size) + 1)
            _ = H5Aget_name_by_idx(hid, ".", H5_INDEX_NAME, H5_ITER_INC, hsize_t(index), &buffer, Int(size) + 1, chdf5_default())
            return String(decoding: buffer.prefix(Int(size)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// Sets a scalar string attribute (fixed-length, NUL-terminated).
    public func setAttribute(_ name: String, string value: String) throws {
        let type = H5Tcopy(chdf5_c_s1())
        defer { H5Tclose(type) }
        H5Tset_size(type, max(1, value.utf8.count + 1))
        H5Tset_strpad(type, H5T_STR_NULLTERM)
        var bytes = Array(value.utf8) + [0]
        try bytes.withUnsafeMutableBytes { try writeAttribute(name, type: type, dims: [], bytes: $0.baseAddress) }
    }

    /// Sets a scalar double attribute.
    public func setAttribute(_ name: String, double value: Double) throws {
        var v = value
        try withUnsafeMutableBytes(of: &v) { try writeAttribute(name, type: chdf5_native_double(), dims: [], bytes: $0.baseAddress) }
    }

    /// Sets a scalar 64-bit integer attribute.
    public func setAttribute(_ name: String, int value: Int64) throws {
        var v = value
        try withUnsafeMutableBytes(of: &v) { try writeAttribute(name, type: chdf5_native_int64(), dims: [], bytes: $0.baseAddress) }
    }

    /// Sets a one-dimensional double-array attribute.
    public func setAttribute(_ name: String, doubles value: [Double]) throws {
        var v = value
        try v.withUnsafeMutableBytes { try writeAttribute(name, type: chdf5_native_double(), dims: [value.count], bytes: $0.baseAddress) }
    }

    /// Reads a string attribute (fixed- or variable-length).
    public func stringAttribute(_ name: String) throws -> String {
        let (attr, type) = try openAttribute(name, expecting: .string)
        defer { H5Aclose(attr); H5Tclose(type) }
        if H5Tis_variable_str(type) > 0 {
            let memType = H5Tcopy(chdf5_c_s1())
            defer { H5Tclose(memType) }
            H5Tset_size(memType, chdf5_variable())
            var pointer: UnsafeMutablePointer<CChar>? = nil
            guard H5Aread(attr, memType, &pointer) >= 0 else { throw file.error("read attribute", "\(path)@\(name)") }
            defer { free(pointer) }
            return pointer.map { String(cString: $0) } ?? ""
        }
        let size = H5Tget_size(type)
        var bytes = [UInt8](repeating: 0, count: size + 1)
        guard H5Aread(attr, type, &bytes) >= 0 else { throw file.error("read attribute", "\(path)@\(name)") }
        let end = bytes.firstIndex(of: 0) ?? size
        return String(decoding: bytes[0..<end], as: UTF8.self)
    }

    /// Reads a scalar numeric attribute as `Double`.
    public func doubleAttribute(_ name: String) throws -> Double {
        try doublesAttribute(name).first ?? .nan
    }

    /// Reads a numeric attribute (scalar or array) as `[Double]`.
    public func doublesAttribute(_ name: String) throws -> [Double] {
        let (attr, type) = try openAttribute(name, expecting: .float)
        defer { H5Aclose(attr); H5Tclose(type) }
        let space = H5Aget_space(attr)
        defer { H5Sclose(space) }
        let n = max(1, Int(H5Sget_simple_extent_npoints(space)))
        var values = [Double](repeating: 0, count: n)
        guard H5Aread(attr, chdf5_native_double(), &values) >= 0 else { throw file.error("read attribute", "\(path)@\(name)") }
        return values
    }

    /// Reads a scalar integer attribute.
    public func intAttribute(_ name: String) throws -> Int64 {
        let (attr, type) = try openAttribute(name, expecting: .integer)
        defer { H5Aclose(attr); H5Tclose(type) }
        var value: Int64 = 0
        guard H5Aread(attr, chdf5_native_int64(), &value) >= 0 else { throw file.error("read attribute", "\(path)@\(name)") }
        return value
    }

    private func openAttribute(_ name: String, expecting: HDF5ElementKind) throws -> (hid_t, hid_t) {
        guard hasAttribute(name) else { throw file.error("read attribute", "\(path)@\(name)", "no such attribute") }
        let attr = H5Aopen(hid, name, chdf5_default())
        guard attr >= 0 else { throw file.error("read attribute", "\(path)@\(name)") }
        let type = H5Aget_type(attr)
        let actual = kind(of: type)
        let numeric: Set<HDF5ElementKind> = [.float, .integer]
        let ok = actual == expecting || (expecting == .float && numeric.contains(actual))
        guard ok else {
            H5Tclose(type); H5Aclose(attr)
            throw file.error("read attribute", "\(path)@\(name)", "expected \(expecting.rawValue) but found \(actual.rawValue)")
        }
        return (attr, type)
    }

    private func writeAttribute(_ name: String, type: hid_t, dims: [Int], bytes: UnsafeMutableRawPointer?) throws {
        if hasAttribute(name) { H5Adelete(hid, name) }
        let hdims = dims.map { hsize_t($0) }
        let space = dims.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(dims.count), hdims, nil)
        defer { H5Sclose(space) }
        let attr = H5Acreate2(hid, name, type, space, chdf5_default(), chdf5_default())
        guard attr >= 0 else { throw file.error("create attribute", "\(path)@\(name)") }
        defer { H5Aclose(attr) }
        guard H5Awrite(attr, type, bytes) >= 0 else { throw file.error("write attribute", "\(path)@\(name)") }
    }
}
