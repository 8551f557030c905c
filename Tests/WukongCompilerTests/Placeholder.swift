// Tests of WukongCompiler.
import Testing
@testable import WukongCompiler

