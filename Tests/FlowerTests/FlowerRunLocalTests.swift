import Foundation
import ProcessTestSupport
import Testing

/// `tools/flower-run-local`: FedNC on a loopback Flower federation (a SuperLink and 3 SuperNodes) gives the
/// simulation's bytes, refuses an unregistered node, stops cleanly when a node drops out and resumes to the same
/// bytes. Serialized: each test starts several Flower processes on the 2 cores.
@Suite("Flower deployment (tools/flower-run-local)", .serialized)
struct FlowerRunLocalTests {
    @Test("3 SuperNodes, 2 rounds of SCAFFOLD on the linear model: run.json, checkpoint and report equal the simulation's")
    func matchesSimulation() throws {
        let fixture = try FlowerFixture()
        defer { fixture.removeAll() }
        let (simulated, flower) = try fixture.simulatedReference()
        let run = try fixture.startFlower(out: flower)
        defer { run.stopIfRunning() }
        let status = run.wait()
        #expect(status == 0, "\(run.errorText)")
        #expect(run.outputText.contains("fednc: round 2 train: 3 participants"), "\(run.outputText)")
        try FlowerFixture.expectSameRun(flower, simulated)
        try fixture.expectNoFlowerProcessLeft(run)
    }

    @Test("with --tls and node authentication: the same bytes; a node with an unregistered key is refused")
    func tlsAndAuthentication() throws {
        let fixture = try FlowerFixture()
        defer { fixture.removeAll() }
        let (simulated, flower) = try fixture.simulatedReference()
        let run = try fixture.startFlower(out: flower, ["--tls"])
        defer { run.stopIfRunning() }
        #expect(run.wait() == 0, "\(run.errorText)")
        #expect(run.errorText.contains("(TLS, node authentication)"))
        try FlowerFixture.expectSameRun(flower, simulated)
        try fixture.expectNoFlowerProcessLeft(run)

        let refused = try fixture.startFlower(out: fixture.folder.appendingPathComponent("refused"),
                                              ["--tls", "--unregistered-client", "1"])
        defer { refused.stopIfRunning() }
        #expect(refused.wait() == 1)
        #expect(refused.errorText.contains("the SuperNode of client 1 failed (Flower exit code 305)"),
                "\(refused.errorText)")
        #expect(refused.errorText.contains("flwr supernode register"), "\(refused.errorText)")
        try fixture.expectNoFlowerProcessLeft(refused)
    }

    @Test("a SuperNode stopped during round 2 stops the run naming node and client; --resume ends byte-identical")
    func nodeDropsOutThenResume() throws {
        let fixture = try FlowerFixture()
        defer { fixture.removeAll() }
        let (simulated, flower) = try fixture.simulatedReference()
        let run = try fixture.startFlower(out: flower)
        defer { run.stopIfRunning() }
        // Right after round 1's checkpoint (before round 2's client steps can have replied; the streamed log
        // lags too much to time this).
        try #require(run.waitFor(seconds: 600) { FlowerFixture.completedRounds(flower) == 1 }, "\(run.errorText)")
        // Client 1's SuperNode: its node config names client 1 and this run's client-state folder.
        let search = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/pgrep"),
                                          ["-f", "flower-supernode.* client=1 state=\"\(flower.path)/client-state\""])
        let node = search.output.split(separator: "\n").compactMap { Int32($0) }
        try #require(node.count == 1, "client 1's SuperNode: \(node)")
        #expect(kill(node[0], SIGTERM) == 0)
        #expect(run.wait() == 1)
        #expect(run.errorText.contains("(client 1) left the federation before replying"), "\(run.errorText)")
        #expect(run.errorText.contains("nothing aggregated"), "\(run.errorText)")
        #expect(run.errorText.contains("--resume"), "\(run.errorText)")
        try fixture.expectNoFlowerProcessLeft(run)

        let resumed = try fixture.startFlower(out: flower, ["--resume"])
        defer { resumed.stopIfRunning() }
        #expect(resumed.wait() == 0, "\(resumed.errorText)")
        try FlowerFixture.expectSameRun(flower, simulated)
        try fixture.expectNoFlowerProcessLeft(resumed)
    }
}
