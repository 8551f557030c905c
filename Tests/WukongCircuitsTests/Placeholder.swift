// Tests of WukongCircuits.
import Testing
@testable import WukongCircuits

