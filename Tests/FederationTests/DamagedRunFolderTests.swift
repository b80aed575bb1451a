import Foundation
import ProcessTestSupport
import Testing

/// Issue 16, rough edge 9: a damaged run.json, checkpoint state.json or checkpoint safetensors file gives one
/// `error:` line naming the file (once), the field and the fix, never Swift's own names (`DecodingError`,
/// `CodingKeys`).
@Suite("fednc-train on a damaged run folder", .enabled(if: TrainerExecutable.url != nil))
struct DamagedRunFolderTests {
    /// The flags of the one-round linear run every case damages.
    static func flags(shards: URL, run: URL) -> [String] {
        ["--shards", shards.path, "--method", "fedavg", "--model", "linear", "--rounds", "1", "--batch-size", "8",
         "--seed", "3", "--out", run.path]
    }

    func fednc(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        struct NotBuilt: Error {}
        guard let executable = TrainerExecutable.url else { throw NotBuilt() }
        return try ChildProcess.run(executable, arguments)
    }

    /// Rewrites the JSON object at `url` with `edit`.
    func editJSON(_ url: URL, _ edit: (inout [String: Any]) -> Void) throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        edit(&object)
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: url)
    }

    /// Expects a failure whose stderr has exactly one `error:` line holding every text of `mentions`, `file`
    /// exactly once, the fix, and no Swift internals.
    func expectClean(_ result: (status: Int32, output: String, error: String), file: URL, mentions: [String],
                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status != 0, sourceLocation: sourceLocation)
        let errorLines = result.error.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errorLines.count == 1, "\(result.error)", sourceLocation: sourceLocation)
        for text in mentions + ["start a new run"] {
            #expect(result.error.contains(text), "'\(text)' missing from: \(result.error)", sourceLocation: sourceLocation)
        }
        #expect(result.error.components(separatedBy: file.path).count == 2, "path not printed exactly once: \(result.error)",
                sourceLocation: sourceLocation)
        for leak in ["DecodingError", "CodingKeys", "Swift.", "NSCocoaErrorDomain", "debugDescription"] {
            #expect(!result.error.contains(leak), "leaks \(leak): \(result.error)", sourceLocation: sourceLocation)
        }
    }

    @Test("run.json with a wrong-typed, missing or out-of-range field: one clean error naming the file, field and fix")
    func damagedRunJSON() throws {
        let shards = try ShardFixture.synthetic()
        let run = ShardFixture.temporaryRunFolder()
        defer {
            try? FileManager.default.removeItem(at: shards)
            try? FileManager.default.removeItem(at: run)
        }
        let trained = try fednc(Self.flags(shards: shards, run: run))
        try #require(trained.status == 0, "\(trained.error)")
        let runJSON = run.appendingPathComponent("run.json")
        let original = try Data(contentsOf: runJSON)

        try editJSON(runJSON) { $0["method"] = 7 }
        expectClean(try fednc(["evaluate", "--run", run.path]), file: runJSON,
                    mentions: ["method has the wrong type (expected a string)"])
        try original.write(to: runJSON)

        try editJSON(runJSON) { $0["threads"] = 0 }  // once a precondition trap (found by tools/fuzz, seed 1)
        expectClean(try fednc(["evaluate", "--run", run.path]), file: runJSON,
                    mentions: ["threads has an invalid value (0 engine threads; a run uses 1 to 4096)"])
        try original.write(to: runJSON)

        try editJSON(runJSON) { // once a trap in Evaluation (found by tools/fuzz, seed 2)
            var training = $0["training"] as? [String: Any] ?? [:]
            training["evaluationBatchSize"] = 0
            $0["training"] = training
        }
        expectClean(try fednc(["evaluate", "--run", run.path]), file: runJSON,
                    mentions: ["training has an invalid value (evaluationBatchSize 0; must be at least 1)"])
        try original.write(to: runJSON)

        try editJSON(runJSON) { $0["codeVersion"] = nil }
        expectClean(try fednc(["evaluate", "--run", run.path]), file: runJSON, mentions: ["codeVersion is missing"])
        expectClean(try fednc(Self.flags(shards: shards, run: run) + ["--resume"]), file: runJSON,
                    mentions: ["codeVersion is missing"])
    }

    @Test("checkpoint state.json damaged the same way, and a truncated checkpoint model: one clean error each")
    func damagedCheckpoint() throws {
        let shards = try ShardFixture.synthetic()
        let run = ShardFixture.temporaryRunFolder()
        defer {
            try? FileManager.default.removeItem(at: shards)
            try? FileManager.default.removeItem(at: run)
        }
        let flags = Self.flags(shards: shards, run: run)
        let trained = try fednc(flags)
        try #require(trained.status == 0, "\(trained.error)")
        let checkpoint = run.appendingPathComponent("checkpoint")
        let state = checkpoint.appendingPathComponent("state.json")
        let original = try Data(contentsOf: state)

        try editJSON(state) { $0["completedRounds"] = "one" }
        expectClean(try fednc(flags + ["--resume"]), file: state,
                    mentions: ["completedRounds has the wrong type (expected a whole number in range)"])
        try original.write(to: state)

        try editJSON(state) { $0["bestRound"] = nil }
        expectClean(try fednc(flags + ["--resume"]), file: state, mentions: ["bestRound is missing"])
        try original.write(to: state)

        let model = checkpoint.appendingPathComponent("model.safetensors")
        try Data(try Data(contentsOf: model).prefix(4)).write(to: model)
        expectClean(try fednc(flags + ["--resume"]), file: model, mentions: ["is truncated"])
    }
}
