// Tests of WukongEmulator.
import Testing
@testable import WukongEmulator

