// Placeholder so the gateway test target builds; replaced by real tests.
import Testing
