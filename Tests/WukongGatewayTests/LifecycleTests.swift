// The job lifecycle state machine alone, SHA-256 against FIPS 180-4 vectors, the token bucket, and
// the JSON value's round trip.
import Foundation
import Testing
@testable import WukongGateway

@Suite struct LifecycleTests {
    func next(_ s: JobState, _ e: JobEvent) -> JobTransition? { try? JobLifecycle.transition(from: s, on: e).get() }

    @Test func happyPathQueuedRunningCompleted() {
        #expect(next(.queued, .claim)?.state == .running)
        #expect(next(.queued, .claim)?.actions == [.startExecution])
        let done = next(.running, .complete)
        #expect(done?.state == .completed)
        #expect(done?.actions.contains(.storeResults) == true)
        #expect(next(.running, .fail(message: "boom"))?.state == .failed)
        #expect(next(.running, .fail(message: "boom"))?.reasonCode == .executionError)
    }

    @Test func cancelIsImmediateWhenQueuedAndTwoStepWhenRunning() {
        #expect(next(.queued, .cancel)?.state == .cancelled)
        #expect(next(.running, .cancel)?.state == .cancelling)
        #expect(next(.running, .cancel)?.actions == [.signalWorkerToStop])
        for e in [JobEvent.complete, .stopped, .fail(message: "x"), .leaseExpired(attempt: 1, maxAttempts: 3)] {
            let t = next(.cancelling, e)
            #expect(t?.state == .cancelled)
            #expect(t?.actions.contains(.discardResults) == true)
        }
    }

    @Test func expiredLeaseRequeuesUntilMaxAttemptsThenFails() {
        let requeued = next(.running, .leaseExpired(attempt: 1, maxAttempts: 3))
        #expect(requeued?.state == .queued)
        #expect(requeued?.actions.contains(.requeueKeepingSeed) == true)
        let lost = next(.running, .leaseExpired(attempt: 3, maxAttempts: 3))
        #expect(lost?.state == .failed)
        #expect(lost?.reasonCode == .workerLost)
    }

    @Test func terminalStatesAcceptNoEvent() {
        let events: [JobEvent] = [.claim, .complete, .fail(message: ""), .cancel, .leaseExpired(attempt: 1, maxAttempts: 3), .stopped]
        for s in JobState.allCases where s.isTerminal {
            for e in events { #expect(next(s, e) == nil, "\(s) must not take \(e)") }
        }
        #expect(next(.queued, .complete) == nil)
        #expect(next(.queued, .stopped) == nil)
    }

    @Test func sha256MatchesFIPSVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func apiKeysAreRandomAndHashed() {
        let a = APIKeySecret.generate(), b = APIKeySecret.generate()
        #expect(a != b)
        #expect(a.hasPrefix("wk_") && a.count == 67)
        #expect(APIKeySecret.hash(a).count == 64)
        #expect(APIKeySecret.fromAuthorization("Bearer \(a)") == a)
        #expect(APIKeySecret.fromAuthorization("Basic xyz") == nil)
    }

    @Test func tokenBucketAllowsBurstThenAsksToWait() {
        let limiter = RateLimiter(rate: 2, burst: 3)
        let t0 = Date(timeIntervalSince1970: 1000)
        for _ in 0..<3 { #expect(limiter.take("k", now: t0) == nil) }
        let wait = limiter.take("k", now: t0)
        #expect(wait != nil && abs(wait! - 0.5) < 1e-9)
        #expect(limiter.take("k", now: t0.addingTimeInterval(0.6)) == nil)
        #expect(limiter.take("other", now: t0) == nil)
    }

    @Test func jsonRoundTripsAndEscapes() throws {
        let v: JSONValue = ["a": [1, 2.5, "x\"\n\u{1}"], "b": nil, "c": true]
        let text = v.serialized()
        #expect(text == #"{"a":[1,2.5,"x\"\n\u0001"],"b":null,"c":true}"#)
        #expect(try JSONValue.parse(Data(text.utf8)) == v)
        #expect(JSONValue.number(.nan) == .null)
    }

    @Test func jsonParserAgreesWithFoundationAndLocatesErrors() throws {
        // Documents both readers accept must read the same.
        let documents = [
            #"{"b":[1,-2,3.25,-0.5e-3,1E+2,12345678901234567890],"a":{"z":null,"y":[true,false,[]],"x":{}},"s":"\u00e9\ud83d\ude00\/\b\f\n\r\t\"\\"}"#,
            "  [ 0 , \"\u{00e9}\u{1F600}\" ]\n", #""plain""#, "-0", "1e308", "[[[[[]]]]]",
        ]
        for text in documents {
            let data = Data(text.utf8)
            #expect(try JSONValue.parse(data) == JSONValue.parseWithFoundation(data), "\(text)")
        }
        // Broken documents are refused with the position of the fault.
        let broken: [(String, String)] = [
            ("{\"a\":1,}", "line 1, column 8"), ("[1,\n2,\n]", "line 3, column 1"), ("{\"a\" 1}", "line 1, column 6"),
            ("\"\u{1}\"", "control character"), ("01", "leading zero"), ("1e999", "out of range"), ("\"\\ud800\"", "lone surrogate"),
            ("{\"a\":1,\"a\":2}", "duplicate key"), ("[1] 2", "after the JSON document"), ("", "end of input"),
            (String(repeating: "[", count: 300) + String(repeating: "]", count: 300), "nesting deeper than 256"),
        ]
        for (text, needle) in broken {
            do {
                _ = try JSONValue.parse(Data(text.utf8))
                Issue.record("accepted \(text.prefix(40))")
            } catch let e as APIError {
                #expect(e.status == 400 && e.code == "invalid_json")
                #expect(e.message.contains(needle), "\(text.prefix(40)): \(e.message)")
            }
        }
        // Invalid UTF-8 inside a string.
        #expect(throws: APIError.self) { try JSONValue.parse(Data([0x22, 0xC3, 0x28, 0x22])) }
    }

    @Test func iso8601TimestampsAreUTCWithMilliseconds() {
        #expect(iso8601(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(iso8601(Date(timeIntervalSince1970: 1_700_000_000.5)) == "2023-11-14T22:13:20.500Z")
        #expect(iso8601(Date(timeIntervalSince1970: 951_782_400.999)) == "2000-02-29T00:00:00.999Z")
        #expect(iso8601(nil) == .null)
    }
}
