// Tests of WukongDevice.
import Testing
@testable import WukongDevice

