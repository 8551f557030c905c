// Client commands against a running gateway: submit programs, list jobs, fetch results, read the
// backend's calibration properties. The key comes from $WUKONG_API_KEY.
import ArgumentParser
import Foundation
import WukongGateway

/// Where the gateway is and which key to use.
struct ClientOptions: ParsableArguments {
    @Option(help: "Gateway URL.") var url = "http://127.0.0.1:8080"

    var client: GatewayClient { GatewayClient(baseURL: url, apiKey: ProcessInfo.processInfo.environment["WUKONG_API_KEY"]) }
}

/// Prints a response's JSON, or the error message and exits 1.
func printOrFail(_ r: ClientResponse) {
    guard (200..<300).contains(r.status) else {
        let message = r.json["error"]?["message"]?.stringValue ?? r.text
        fail("HTTP \(r.status): \(message)")
    }
    print(r.text)
}

struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "submit", abstract: "Submit program files as one job (one item per file).")
    @OptionGroup var options: ClientOptions
    @Argument(help: "Program files (OpenQASM 2/3 or OriginIR).") var files: [String]
    @Option(help: "Shots per item.") var shots = 1000
    @Option(help: "Backend: gate or pulse.") var backend = "gate"
    @Option(help: "Noise: none, or calibration (gate backend: the noise model of the job's calibration snapshot).") var noise = "none"
    @Option(help: "Seed (default: drawn by the gateway).") var seed: UInt64?
    @Flag(help: "Wait for the job and print its results.") var wait = false
    @Flag(help: "Return per-shot bitstrings.") var memory = false
    @Flag(help: "Pulse backend: return each shot's readout IQ points (and bitstrings).") var iq = false

    func run() throws {
        let items: [JSONValue] = try files.map { path in
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
            var item: [(String, JSONValue)] = [("program", .string(String(decoding: data, as: UTF8.self))), ("shots", .int(shots))]
            if memory { item.append(("memory", true)) }
            if iq { item.append(("iq", true)) }
            return .object(item)
        }
        var body: [(String, JSONValue)] = [("backend", .string(backend)), ("noise", .string(noise)), ("items", .array(items))]
        if let seed { body.append(("seed", .string(String(seed)))) }
        let client = options.client, wait = wait, payload = JSONValue.object(body)
        let r = try blockingAwait { try await client.post("/v1/jobs", payload) }
        guard wait, r.status == 201 || r.status == 200, let id = r.json["id"]?.stringValue else { return printOrFail(r) }
        let final = try blockingAwait { try await client.wait(for: id) }
        guard final["state"]?.stringValue == "completed" else { return print(final.serialized()) }
        printOrFail(try blockingAwait { try await client.get("/v1/jobs/\(id)/results") })
    }
}

struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs", abstract: "List your jobs, newest first.")
    @OptionGroup var options: ClientOptions
    @Option(help: "Only jobs in this state.") var state: String?
    @Option(help: "At most this many.") var limit = 20

    func run() throws {
        let client = options.client
        let query = "?limit=\(limit)" + (state.map { "&state=\($0)" } ?? "")
        let r = try blockingAwait { try await client.get("/v1/jobs\(query)") }
        guard r.status == 200 else { return printOrFail(r) }
        for job in r.json["jobs"]?.arrayValue ?? [] {
            print([job["id"], job["state"], job["items"], job["total_shots"], job["timing"]?["created_at"]]
                .map { $0?.stringValue ?? $0?.serialized() ?? "" }.joined(separator: "\t"))
        }
    }
}

struct ResultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "result", abstract: "Print a completed job's results (JSON), or save them (JSON or HDF5).")
    @OptionGroup var options: ClientOptions
    @Argument(help: "Job id.") var id: String
    @Option(help: "Write the results to this file instead (a name ending in .h5 downloads the HDF5 form).") var output: String?

    func run() throws {
        let client = options.client, id = id
        let path = output?.hasSuffix(".h5") == true ? "/v1/jobs/\(id)/results.h5" : "/v1/jobs/\(id)/results"
        let r = try blockingAwait { try await client.get(path) }
        if let output, r.status == 200 { try r.body.write(to: URL(fileURLWithPath: output)) } else { printOrFail(r) }
    }
}

struct PropertiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "properties", abstract: "Print the backend's calibration properties (JSON).")
    @OptionGroup var options: ClientOptions
    @Option(help: "Backend.") var backend = "gate"

    func run() throws {
        let client = options.client, backend = backend
        printOrFail(try blockingAwait { try await client.get("/v1/backends/\(backend)/properties") })
    }
}
