import Foundation
import ProcessTestSupport
import Testing

/// The ServerApp's handshake rules (integrations/flower/fednc_flower/handshake.py), run in the Flower venv's
/// Python on identities shaped like `fednc-train server identify` / `client identify`: each refusal names the
/// node and the fix, and a federation that matches maps every client to its node.
@Suite("Flower handshake")
struct HandshakeTests {
    /// Runs `match_nodes(server, answers)` and returns its printed mapping or error text.
    func match(_ answers: String) throws -> String {
        let fixture = try FlowerFixture()
        defer { fixture.removeAll() }
        let script = """
            import json, sys
            sys.path.insert(0, sys.argv[1])
            from fednc_flower.handshake import HandshakeError, match_nodes
            server = {"codeVersion": "v1", "runID": "r", "partitionSHA256": "p", "threads": 2,
                      "clients": [{"client": 0, "shardSHA256": "s0"}, {"client": 1, "shardSHA256": "s1"}]}
            def node(client, code="v1", partition="p", shard=None):
                return {"identity": json.dumps({"codeVersion": code, "partitionSHA256": partition, "client": client,
                                                "shardSHA256": shard or f"s{client}"})}
            try:
                print(json.dumps(match_nodes(server, \(answers)), sort_keys=True))
            except HandshakeError as error:
                print(error)
            """
        let outcome = try ChildProcess.run(fixture.repository.appendingPathComponent(".venv-flower/bin/python"),
                                           ["-c", script, fixture.repository.appendingPathComponent("integrations/flower").path])
        try #require(outcome.status == 0, "\(outcome.error)")
        return outcome.output
    }

    @Test("a matching federation maps each client to its node")
    func matching() throws {
        #expect(try match("{11: node(1), 22: node(0)}").contains(#"{"0": 22, "1": 11}"#))
    }

    @Test("another FedNC build, partition or shard, and a duplicate or missing client are refused with the fix")
    func refusals() throws {
        let build = try match("{11: node(0, code='v0'), 22: node(1)}")
        #expect(build.contains("node 11 (client 0) runs FedNC build 'v0', the server 'v1': install the server's FedNC build"))
        #expect(build.contains("so no node serves client(s) 0"))
        let partition = try match("{11: node(0, partition='q'), 22: node(1)}")
        #expect(partition.contains("node 11 (client 0) holds a shards folder of another partition"))
        let shard = try match("{11: node(0), 22: node(1, shard='x')}")
        #expect(shard.contains("node 22 (client 1) holds a client-001.safetensors with SHA-256 x, not the partition's s1"))
        let duplicate = try match("{11: node(0), 22: node(0)}")
        #expect(duplicate.contains("node 22 (client 0): client 0 is already served by node 11: give each SuperNode its own `client` index"))
        let missing = try match("{11: node(0)}")
        #expect(missing.contains("no node serves client(s) 1: start one SuperNode per client"))
        let range = try match("{11: node(0), 22: node(1), 33: node(5)}")
        #expect(range.contains("node 33 (client 5): the run has clients 0..1"))
        let failed = try match("{11: node(0), 22: {'error': 'no shards folder'}}")
        #expect(failed.contains("node 22: no shards folder"))
    }
}
