// Choosing the front end for a program: OpenQASM 2, OpenQASM 3 or OriginIR, from the text itself
// (its header) or from an explicit language name.
import Foundation

/// The program languages the front ends read.
public enum ProgramLanguage: String, Sendable, CaseIterable {
    case qasm2, qasm3, originir

    /// Guesses the language from the first statement: `OPENQASM 3…` → qasm3, `OPENQASM 2…` → qasm2,
    /// `QINIT` → originir. Returns nil when none matches.
    public static func detect(_ source: String) -> ProgramLanguage? {
        for raw in source.split(whereSeparator: \.isNewline) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if let comment = line.range(of: "//") { line = String(line[..<comment.lowerBound]).trimmingCharacters(in: .whitespaces) }
            if line.isEmpty || line.hasPrefix("/*") || line.hasPrefix("*") { continue }
            let upper = line.uppercased()
            if upper.hasPrefix("OPENQASM") {
                let version = upper.dropFirst("OPENQASM".count).trimmingCharacters(in: .whitespaces)
                return version.hasPrefix("3") ? .qasm3 : .qasm2
            }
            if upper.hasPrefix("QINIT") { return .originir }
            return nil
        }
        return nil
    }
}

/// Reads programs in any supported language.
public enum ProgramReader {
    /// Parses `source` (language detected unless given); `file` names it in errors.
    public static func parse(_ source: String, file: String = "<input>", language: ProgramLanguage? = nil,
                             limits: ParserLimits = ParserLimits()) throws -> Circuit {
        guard let lang = language ?? ProgramLanguage.detect(source) else {
            throw ParseError("cannot tell the program's language: expected an 'OPENQASM 2.0;', 'OPENQASM 3;' or 'QINIT n' header",
                             at: SourceLocation(file: file, line: 1, column: 1))
        }
        switch lang {
        case .qasm2, .qasm3: return try OpenQASMParser.parse(source, file: file, limits: limits)
        case .originir: return try OriginIRParser.parse(source, file: file, limits: limits)
        }
    }

    /// Reads and parses a file; errors name the file.
    public static func read(path: String, language: ProgramLanguage? = nil, limits: ParserLimits = ParserLimits()) throws -> Circuit {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ParseError("cannot read the file", at: SourceLocation(file: path, line: 0, column: 0))
        }
        guard data.count <= limits.maxSourceBytes else {
            throw ParseError("the program is \(data.count) bytes; the limit is \(limits.maxSourceBytes)",
                             at: SourceLocation(file: path, line: 1, column: 1))
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path, language: language, limits: limits)
    }

    /// Writes a circuit in a language.
    public static func export(_ circuit: Circuit, to language: ProgramLanguage) throws -> String {
        switch language {
        case .qasm2: return try CircuitExporter.qasm2(circuit)
        case .qasm3: return try CircuitExporter.qasm3(circuit)
        case .originir: return try CircuitExporter.originIR(circuit)
        }
    }
}
