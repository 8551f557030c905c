// HDF5 files and groups: open/create, navigate, list members. Each wrapper owns one HDF5
// identifier and closes it in `deinit`; children keep their file alive.
import Foundation
internal import CHDF5

/// An open HDF5 file. Closing happens when the last reference (file, group or dataset) goes away.
public final class HDF5File {
    let id: hid_t
    /// The file's path on disk.
    public let path: String

    private init(id: hid_t, path: String) {
        self.id = id
        self.path = path
    }

    deinit { H5Fclose(id) }

    /// Creates (or truncates) a file: `H5Fcreate` with `H5F_ACC_TRUNC`.
    public static func create(path: String) throws -> HDF5File {
        _ = HDF5Library.initialized
        let id = H5Fcreate(path, chdf5_acc_trunc(), chdf5_default(), chdf5_default())
        guard id >= 0 else {
            throw HDF5Error(operation: "create file", file: path, object: "", detail: HDF5Library.takeErrorMessage())
        }
        return HDF5File(id: id, path: path)
    }

    /// Opens an existing file read-only (or read-write): `H5Fis_hdf5` then `H5Fopen`.
    /// A missing file, a file that is not HDF5, and a truncated file each get their own message.
    public static func open(path: String, writable: Bool = false) throws -> HDF5File {
        _ = HDF5Library.initialized
        guard FileManager.default.fileExists(atPath: path) else {
            throw HDF5Error(operation: "open file", file: path, object: "", detail: "no such file")
        }
        let isHDF5 = H5Fis_hdf5(path)
        if isHDF5 == 0 {
            throw HDF5Error(operation: "open file", file: path, object: "",
                            detail: "not an HDF5 file (no HDF5 signature found); the file may be corrupt or of another format")
        }
        let id = H5Fopen(path, writable ? chdf5_acc_rdwr() : chdf5_acc_rdonly(), chdf5_default())
        guard id >= 0 else {
            let message = HDF5Library.takeErrorMessage()
            throw HDF5Error(operation: "open file", file: path, object: "",
                            detail: "the file is truncated or corrupt (\(message))")
        }
        return HDF5File(id: id, path: path)
    }

    /// The root group `/`.
    public func root() throws -> HDF5Group { try HDF5Group.open(in: self, parentID: id, parentPath: "", name: "/") }

    /// Opens a group by absolute path, e.g. `"/qubits"`.
    public func group(_ absolutePath: String) throws -> HDF5Group {
        try HDF5Group.open(in: self, parentID: id, parentPath: "", name: absolutePath)
    }

    /// Opens a dataset by absolute path, e.g. `"/qubits/t1"`.
    public func dataset(_ absolutePath: String) throws -> HDF5Dataset {
        try HDF5Dataset.open(in: self, parentID: id, parentPath: "", name: absolutePath)
    }

    /// Writes buffered data to disk: `H5Fflush`.
    public func flush() throws {
        if H5Fflush(id, H5F_SCOPE_GLOBAL) < 0 {
            throw HDF5Error(operation: "flush", file: path, object: "/", detail: HDF5Library.takeErrorMessage())
        }
    }

    func error(_ operation: String, _ object: String, _ detail: String? = nil) -> HDF5Error {
        HDF5Error(operation: operation, file: path, object: object, detail: detail ?? HDF5Library.takeErrorMessage())
    }
}

/// A group in an open file.
public final class HDF5Group: HDF5Object {
    let id: hid_t
    /// The file this group belongs to (kept alive by the group).
    public let file: HDF5File
    /// The absolute path of the group, e.g. `"/qubits"`.
    public let path: String

    init(id: hid_t, file: HDF5File, path: String) {
        self.id = id
        self.file = file
        self.path = path
    }

    deinit { H5Gclose(id) }

    static func open(in file: HDF5File, parentID: hid_t, parentPath: String, name: String) throws -> HDF5Group {
        let full = joinPath(parentPath, name)
        if name != "/" && !linkExists(parentID, name) {
            throw file.error("open group", full, "no such group")
        }
        let id = H5Gopen2(parentID, name, chdf5_default())
        guard id >= 0 else { throw file.error("open group", full) }
        return HDF5Group(id: id, file: file, path: full)
    }

    var objectID: hid_t { id }

    /// Creates a child group: `H5Gcreate2`.
    public func createGroup(_ name: String) throws -> HDF5Group {
        let full = joinPath(path, name)
        let gid = H5Gcreate2(id, name, chdf5_default(), chdf5_default(), chdf5_default())
        guard gid >= 0 else { throw file.error("create group", full) }
        return HDF5Group(id: gid, file: file, path: full)
    }

    /// Opens a child group (a relative path such as `"gates/rphi"` works too): `H5Gopen2`.
    public func group(_ name: String) throws -> HDF5Group {
        try HDF5Group.open(in: file, parentID: id, parentPath: path, name: name)
    }

    /// Opens a child dataset: `H5Dopen2`.
    public func dataset(_ name: String) throws -> HDF5Dataset {
        try HDF5Dataset.open(in: file, parentID: id, parentPath: path, name: name)
    }

    /// Removes a child link (dataset or group): `H5Ldelete`. The file must be writable; the space
    /// is not reclaimed until the file is repacked.
    public func removeMember(_ name: String) throws {
        guard linkExists(id, name) else { throw file.error("remove member", joinPath(path, name), "no such member") }
        guard H5Ldelete(id, name, chdf5_default()) >= 0 else { throw file.error("remove member", joinPath(path, name)) }
    }

    /// Whether a direct child link of that name exists: `H5Lexists`.
    public func contains(_ name: String) -> Bool { linkExists(id, name) }

    /// Names of the direct children, in name order: `H5Gget_info` and `H5Lget_name_by_idx`.
    /// - Complexity: O(members).
    public func memberNames() throws -> [String] {
        var info = H5G_info_t()
        guard H5Gget_info(id, &info) >= 0 else { throw file.error("list group", path) }
        var names: [String] = []
        for index in 0..<info.nlinks {
            let size = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, chdf5_default())
            guard size >= 0 else { throw file.error("list group", path) }
            var buffer = [CChar](repeating: 0, count: Int(size) + 1)
            _ = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, Int(size) + 1, chdf5_default())
            names.append(String(decoding: buffer.prefix(Int(size)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return names
    }
}

/// Checks each component of a relative path, since `H5Lexists` fails on a missing intermediate.
func linkExists(_ parent: hid_t, _ name: String) -> Bool {
    var prefix = name.hasPrefix("/") ? "/" : ""
    for component in name.split(separator: "/") {
        prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
        if H5Lexists(parent, prefix, chdf5_default()) <= 0 {
            _ = HDF5Library.takeErrorMessage()
            return false
        }
    }
    return true
}

func joinPath(_ parent: String, _ name: String) -> String {
    if name.hasPrefix("/") { return name }
    if parent.isEmpty || parent == "/" { return "/" + name }
    return parent + "/" + name
}
