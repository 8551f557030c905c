// Shared fixtures: the shipped device spec, the device drawn from it, temporary paths.
import Foundation
import WukongDevice

enum Fixtures {
    /// The package root, found from this file's path (Tests/WukongDeviceTests/Fixtures.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let specPath = packageRoot.appendingPathComponent("calibration/device.yaml").path
    static let spec: DeviceSpec = try! DeviceSpec.load(path: specPath)
    static let device: ChipDevice = try! ChipDevice.generate(from: spec)

    static func temporaryPath(_ name: String, ext: String = "h5") -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wukong-device-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("\(name)-\(UUID().uuidString).\(ext)").path
    }
}
