// Tests of WukongPulses.
import Testing
@testable import WukongPulses

