// swift-tools-version:6.0
// The Wukong emulator: a pulse-level emulator of Origin Wukong's 72-qubit chip, its control
// electronics, a gate-level fast path, calibration, a cloud gateway and a hybrid trainer.
// Targets are layered as ARCHITECTURE.md describes; a lower layer never imports a higher one.
import Foundation
import PackageDescription

/// The CPU the gate-simulator kernels are compiled for, from this machine's /proc/cpuinfo flags:
/// AVX-512 (F, VL, BW, DQ) gives 32 vector registers, which the dense two-qubit kernels need to
/// keep their coefficients in registers; AVX2 + FMA is the fallback; anything else gets the
/// baseline. `WUKONG_TARGET_CPU` overrides it (an LLVM CPU name, or "generic").
let gateSimTargetCPU: String? = {
    if let forced = ProcessInfo.processInfo.environment["WUKONG_TARGET_CPU"] {
        return forced == "generic" ? nil : forced
    }
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
    let flags = Set(line.split(separator: " ").map(String.init))
    // skylake-avx512 asks only for F/CD/BW/DQ/VL, which the EPYC (Zen 4) VMs have; "znver4" would
    // also allow VBMI2, which their cpuinfo does not list.
    if ["avx512f", "avx512cd", "avx512vl", "avx512bw", "avx512dq"].allSatisfy(flags.contains) {
        return "skylake-avx512"
    }
    if flags.contains("avx2") && flags.contains("fma") { return "haswell" }
    return nil
}()

let package = Package(
    name: "WukongEmulator",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "wukong", targets: ["wukong"]),
        .library(name: "WukongDevice", targets: ["WukongDevice"]),
        .library(name: "WukongPulses", targets: ["WukongPulses"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // Layer 0: C libraries. Module maps and header shims only.
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),

        // Layer 1: safe Swift wrappers. No C type escapes these.
        .target(name: "WukongFFT", dependencies: [
            "CFFTW", .product(name: "Numerics", package: "swift-numerics"),
        ]),
        .target(name: "WukongHDF5", dependencies: ["CHDF5"]),

        // Layer 2: numerics and plotting; know nothing of qubits.
        .target(name: "WukongNumerics", dependencies: [
            .product(name: "Numerics", package: "swift-numerics"),
        ]),
        .target(name: "WukongPlot"),

        // Layer 3: the device (topology, parameters, calibration) and pulses (waveforms).
        .target(name: "WukongDevice", dependencies: [
            "WukongNumerics", "WukongHDF5", .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "WukongPulses", dependencies: [
            "WukongFFT", "WukongNumerics", .product(name: "Numerics", package: "swift-numerics"),
        ]),

        // Layer 3: the gate table, circuit IR and front ends (OpenQASM 2/3, OriginIR).
        .target(name: "WukongCircuits", dependencies: [
            "WukongNumerics", .product(name: "Numerics", package: "swift-numerics"),
        ]),

        // Layer 4: the gate-level simulator (state vector, density matrix, noise, gradients).
        .target(name: "WukongGateSim", dependencies: [
            "WukongCircuits", "WukongNumerics", "WukongHDF5", "WukongDevice",
            .product(name: "Numerics", package: "swift-numerics"),
        ],
        // Kernels compiled for the build machine's vector unit (gateSimTargetCPU above). Measured on the
        // 2-core EPYC: AVX2 + FMA over baseline x86-64 20–35 % on brickwork/QFT/ansatz at 20 qubits;
        // AVX-512 (skylake-avx512) over AVX2 a further ~17 % on brickwork-24 and ~40 % on QFT-20 (1 thread).
        // The binary then needs that vector unit: build on (or for) the machine that runs it.
        swiftSettings: gateSimTargetCPU.map { [.unsafeFlags(["-target-cpu", $0])] } ?? []),

        // Layer 4: the pulse-level emulator of transmons and couplers (reads the true device).
        .target(name: "WukongEmulator", dependencies: [
            "WukongDevice", "WukongPulses", "WukongNumerics", "WukongHDF5", .product(name: "Numerics", package: "swift-numerics"),
        ]),

        // Layer 4: control electronics between schedules and physics.
        .target(name: "FirmwareSim", dependencies: [
            "WukongPulses", "WukongDevice", "WukongHDF5", "WukongPlot", .product(name: "Numerics", package: "swift-numerics"),
        ], path: "firmware-sim"),

        // Layer 5: the compiler: circuit → native gates → routed → scheduled (→ pulse schedule), against a
        // target built from a calibration snapshot.
        .target(name: "WukongCompiler", dependencies: [
            "WukongCircuits", "WukongDevice", "WukongNumerics", .product(name: "Numerics", package: "swift-numerics"),
        ]),

        // Layer 7: the cloud gateway: HTTP API, job stores, workers, auth and limits.
        .target(name: "WukongGateway", dependencies: [
            "WukongCircuits", "WukongGateSim", "WukongDevice", "WukongCompiler", "WukongRuntime", "WukongCalibration", "WukongHDF5",
            "WukongEmulator",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Layer 6: the pulse backend end to end: compile → lower to pulses → firmware → emulator → readout.
        .target(name: "WukongRuntime", dependencies: [
            "WukongCompiler", "WukongEmulator", "WukongGateSim", "FirmwareSim", "WukongCircuits", "WukongDevice",
            "WukongPulses", "WukongNumerics", .product(name: "Numerics", package: "swift-numerics"),
        ]),

        // Layer 7: calibration experiments on the emulated chip (through the pulse backend's clusters) → new snapshots.
        .target(name: "WukongCalibration", dependencies: [
            "WukongRuntime", "WukongEmulator", "WukongDevice", "WukongPulses", "WukongCircuits", "WukongNumerics", "WukongPlot",
            .product(name: "Numerics", package: "swift-numerics"),
        ]),

        // Layer 8: the command-line interface; parses arguments and calls libraries.
        .executableTarget(name: "wukong", dependencies: [
            "WukongDevice", "WukongPulses", "WukongHDF5", "WukongPlot", "FirmwareSim", "WukongCircuits", "WukongGateSim", "WukongCompiler", "WukongEmulator",
            "WukongGateway", "WukongRuntime", "WukongCalibration",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "WukongFFTTests", dependencies: ["WukongFFT", "WukongNumerics"]),
        .testTarget(name: "WukongHDF5Tests", dependencies: ["WukongHDF5"]),
        .testTarget(name: "WukongNumericsTests", dependencies: ["WukongNumerics"]),
        .testTarget(name: "WukongDeviceTests", dependencies: ["WukongDevice", "WukongHDF5"]),
        .testTarget(name: "WukongPulsesTests", dependencies: ["WukongPulses", "WukongFFT", "WukongNumerics"]),
        .testTarget(name: "WukongPlotTests", dependencies: ["WukongPlot"]),
        .testTarget(name: "WukongCircuitsTests", dependencies: ["WukongCircuits"]),
        .testTarget(name: "WukongGateSimTests", dependencies: ["WukongGateSim", "WukongCircuits", "WukongNumerics", "WukongHDF5", "WukongDevice"]),
        .testTarget(name: "WukongEmulatorTests", dependencies: ["WukongEmulator", "WukongDevice", "WukongPulses"]),
        .testTarget(name: "WukongCompilerTests", dependencies: ["WukongCompiler", "WukongCircuits", "WukongDevice", "WukongNumerics"]),
        .testTarget(name: "WukongRuntimeTests", dependencies: [
            "WukongRuntime", "WukongCompiler", "WukongEmulator", "WukongGateSim", "WukongCircuits", "WukongDevice", "WukongNumerics",
            "WukongPulses", "FirmwareSim",
        ]),
        .testTarget(name: "WukongCalibrationTests", dependencies: [
            "WukongCalibration", "WukongRuntime", "WukongEmulator", "WukongDevice", "WukongCircuits", "WukongCompiler", "WukongGateSim",
        ]),
        .testTarget(name: "FirmwareSimTests", dependencies: ["FirmwareSim", "WukongPulses", "WukongDevice", "WukongHDF5"]),
        .testTarget(name: "CLITests", dependencies: ["wukong"]),
        .testTarget(name: "WukongGatewayTests", dependencies: ["WukongGateway", "WukongCircuits", "WukongDevice", "wukong"]),
    ]
)
