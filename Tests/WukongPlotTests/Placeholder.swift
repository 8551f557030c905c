// Tests of WukongPlot.
import Testing
@testable import WukongPlot

