// Tests of WukongFFT.
import Testing
@testable import WukongFFT

