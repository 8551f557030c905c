// Tests of WukongGateSim.
import Testing
@testable import WukongGateSim

