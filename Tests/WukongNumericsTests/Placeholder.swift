// Tests of WukongNumerics.
import Testing
@testable import WukongNumerics

