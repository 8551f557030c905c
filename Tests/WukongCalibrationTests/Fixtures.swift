// Shared fixtures of the calibration tests: the true device (hidden from the experiments, used here
// only to check what they recover), the shipped nominal snapshot, and the emulated chip.
import Foundation
import WukongCalibration
import WukongDevice

enum Fixtures {
    /// The package root, from this file's path (Tests/WukongCalibrationTests/Fixtures.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let spec: DeviceSpec = try! DeviceSpec.load(path: packageRoot.appendingPathComponent("calibration/device.yaml").path)
    /// The hidden truth.
    static let device: ChipDevice = try! ChipDevice.generate(from: spec)
    /// The shipped, uncalibrated snapshot.
    static let nominal: CalibrationSnapshot = try! CalibrationSnapshot.read(
        from: packageRoot.appendingPathComponent("calibration/nominal.h5").path)
    static let chip = EmulatedChip(device: device)
}
