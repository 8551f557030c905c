// Tests of WukongRuntime.
import Testing
@testable import WukongRuntime

