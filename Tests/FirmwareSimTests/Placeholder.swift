import Testing
@testable import FirmwareSim

