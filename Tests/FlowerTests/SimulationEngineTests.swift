import Foundation
import ProcessTestSupport
import Testing

/// `tools/flower-sim-run`: the Flower app on Flower's simulation engine (Ray, 3 virtual SuperNodes) gives the
/// in-process simulation's bytes, also at participation 0.5 and after a stop and `--resume`, keeps client state in
/// the run folder, and leaves no Flower or Ray process behind. Opt-in: runs only when FEDNC_FLOWER_SIM_VENV names a
/// virtual environment with `flwr[simulation]==1.42.0` (Ray is large; tools/setup and CI do not install it).
@Suite("Flower simulation engine (tools/flower-sim-run, Ray)", .serialized,
       .enabled(if: FlowerFixture.simulationVenv != nil,
                "set FEDNC_FLOWER_SIM_VENV to a venv with flwr[simulation]==1.42.0 to run these"))
struct SimulationEngineTests {
    /// Client state must be where `fednc-train train` keeps it, never in the home folder.
    static func expectClientStateInRunFolder(_ run: URL) throws {
        let runID = try String(contentsOf: run.appendingPathComponent("run-id"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let states = try FileManager.default.contentsOfDirectory(
            atPath: run.appendingPathComponent("client-state/\(runID)").path)
        #expect(states.contains("client-000.round-00001.safetensors"), "client state in the run folder: \(states)")
        let home = FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".fednc/client-state/\(runID)")
        #expect(!FileManager.default.fileExists(atPath: home.path), "the simulation wrote client state to \(home.path)")
    }

    @Test("SCAFFOLD at participation 0.5, 2 rounds on the linear model: run.json, checkpoint and report equal the in-process simulation's")
    func matchesSimulation() throws {
        let fixture = try FlowerFixture(needsDeploymentVenv: false)
        defer { fixture.removeAll() }
        try fixture.makeShards()
        let simulated = fixture.folder.appendingPathComponent("simulated")
        let engine = fixture.folder.appendingPathComponent("engine")
        try fixture.simulate(into: simulated, ["--participation", "0.5"])
        let run = try fixture.startSimulationEngine(out: engine, ["--participation", "0.5"])
        defer { run.stopIfRunning() }
        #expect(run.wait() == 0, "\(run.errorText)")
        #expect(run.outputText.contains("fednc: round 2 train: 2 participants"), "\(run.outputText)")
        try FlowerFixture.expectSameRun(engine, simulated)
        try Self.expectClientStateInRunFolder(engine)
        try fixture.expectNoFlowerProcessLeft(run)
    }

    @Test("SIGTERM after round 1 stops every Flower and Ray process; --resume ends byte-identical")
    func stopThenResume() throws {
        let fixture = try FlowerFixture(needsDeploymentVenv: false)
        defer { fixture.removeAll() }
        let (simulated, engine) = try fixture.simulatedReference()
        let run = try fixture.startSimulationEngine(out: engine)
        defer { run.stopIfRunning() }
        try #require(run.waitFor(seconds: 600) { FlowerFixture.completedRounds(engine) == 1 }, "\(run.errorText)")
        run.stopIfRunning()
        #expect(run.wait() == 130, "\(run.errorText)")
        #expect(run.errorText.contains("interrupted; stopping every Flower and Ray process"), "\(run.errorText)")
        try #require(FlowerFixture.completedRounds(engine) == 1, "the stop came after round 2: nothing to resume")
        try fixture.expectNoFlowerProcessLeft(run)

        let resumed = try fixture.startSimulationEngine(out: engine, ["--resume"])
        defer { resumed.stopIfRunning() }
        #expect(resumed.wait() == 0, "\(resumed.errorText)")
        #expect(resumed.outputText.contains("fednc: resuming"), "\(resumed.outputText)")
        try FlowerFixture.expectSameRun(engine, simulated)
        try Self.expectClientStateInRunFolder(engine)
        try fixture.expectNoFlowerProcessLeft(resumed)
    }
}
