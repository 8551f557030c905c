// Tests of WukongHDF5.
import Testing
@testable import WukongHDF5

