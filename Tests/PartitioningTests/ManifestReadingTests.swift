import Foundation
import Partitioning
import SeededRandom
import Testing

/// partition.json is read in one checked place (`PartitionManifest.read`): every field is untrusted input.
@Suite("Partitioning manifest reading", .serialized)
struct ManifestReadingTests {
    private func writeShards(_ label: String) throws -> (scratch: URL, prepared: URL, shards: URL) {
        let scratch = try PreparedDatasetFixture.scratchFolder(label)
        let prepared = try PreparedDatasetFixture.make(in: scratch)
        let shards = scratch.appendingPathComponent("shards")
        _ = try ShardsFolderWriter(datasetFolder: prepared, shardsFolder: shards,
                                   parameters: PartitionParameters(clients: 4, alpha: 1, rho: 0.5, seed: 8)).write()
        return (scratch, prepared, shards)
    }

    private func manifestObject(_ shards: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: shards.appendingPathComponent("partition.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func write(_ object: Any, to shards: URL) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        try data.write(to: shards.appendingPathComponent("partition.json"))
    }

    /// The failure message of reading `shards`' manifest, or nil when it is accepted.
    private func readFailure(_ shards: URL) -> String? {
        do {
            _ = try PartitionManifest.read(shardsFolder: shards)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a written manifest is accepted as it is")
    func writtenManifestIsValid() throws {
        let (scratch, _, shards) = try writeShards("manifest-valid")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let manifest = try PartitionManifest.read(shardsFolder: shards)
        #expect(manifest.clients.count == 4)
    }

    @Test("classCounts of the wrong length, negative counts, foreign shard paths: clean errors naming the field")
    func namedFieldErrors() throws {
        let (scratch, _, shards) = try writeShards("manifest-fields")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let original = try manifestObject(shards)
        func mutated(_ change: (inout [String: Any]) -> Void) throws -> String? {
            var object = original
            change(&object)
            try write(object, to: shards)
            return readFailure(shards)
        }
        func editClient(_ object: inout [String: Any], _ index: Int, _ key: String, _ value: Any) {
            var clients = object["clients"] as! [[String: Any]]
            clients[index][key] = value
            object["clients"] = clients
        }
        let short = try mutated { editClient(&$0, 1, "classCounts", [1, 2]) }
        #expect(short?.contains("clients[1].classCounts") == true && short?.contains("partition.json") == true, "\(short ?? "accepted")")
        let negative = try mutated { editClient(&$0, 0, "classCounts", Array(repeating: -1, count: 6)) }
        #expect(negative?.contains("clients[0].classCounts[0]") == true, "\(negative ?? "accepted")")
        let escape = try mutated { editClient(&$0, 2, "file", "../../etc/passwd") }
        #expect(escape?.contains("clients[2].file") == true, "\(escape ?? "accepted")")
        let huge = try mutated { editClient(&$0, 3, "size", 1e300) }
        #expect(huge?.contains("clients[3].size") == true && huge?.contains("Swift") == false, "\(huge ?? "accepted")")
        let overflow = try mutated { editClient(&$0, 0, "size", Int.max); editClient(&$0, 1, "size", Int.max) }
        #expect(overflow != nil)
        let noClasses = try mutated { object in
            var dataset = object["dataset"] as! [String: Any]
            dataset["classNames"] = [String]()
            object["dataset"] = dataset
        }
        #expect(noClasses?.contains("dataset.classNames") == true, "\(noClasses ?? "accepted")")
    }

    @Test("verify never hashes a path outside the shards folder")
    func verifyRefusesForeignPaths() throws {
        let (scratch, _, shards) = try writeShards("manifest-escape")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var object = try manifestObject(shards)
        var clients = object["clients"] as! [[String: Any]]
        clients[0]["file"] = "../../../../../../etc/passwd"
        object["clients"] = clients
        try write(object, to: shards)
        #expect {
            _ = try ShardVerifier(shardsFolder: shards).verify()
        } throws: { error in
            "\(error)".contains("clients[0].file") && "\(error)".contains("client-000.safetensors")
        }
    }

    /// A few hundred seeded mutations of a real manifest (structural edits of the JSON and raw byte edits): each
    /// is accepted or refused with a `ShardError`; a trap would end the test process. Accepted ones keep the
    /// invariants the readers rely on, and `verify` on them returns a report or a `ShardError`.
    @Test("seeded mutations of partition.json: accepted or a clean error, never a trap")
    func seededMutations() throws {
        let (scratch, _, shards) = try writeShards("manifest-mutations")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = shards.appendingPathComponent("partition.json")
        let originalBytes = try Data(contentsOf: url)
        let original = try manifestObject(shards)
        var random = Xoshiro256StarStar(seed: 16)
        let replacements: [Any] = [-1, 0, 1, 7, Int.max, Int.min, 1e300, -1e300, 0.5, "", "x", "../../etc/passwd",
                                   "client-000.safetensors", "/etc/passwd", NSNull(), true, [Int](), [1, 2, 3],
                                   [-5, -5, -5, -5, -5, -5], [String: Any](), "inf", 9_223_372_036_854_775_807]
        var accepted = 0, refused = 0
        for round in 0..<300 {
            let bytes: Data
            if round % 3 == 2 {
                var raw = [UInt8](originalBytes)
                for _ in 0..<(1 + Int(random.next() % 4)) {
                    let position = Int(random.next() % UInt64(raw.count))
                    switch random.next() % 3 {
                    case 0: raw[position] = UInt8(truncatingIfNeeded: random.next())
                    case 1: raw.remove(at: position)
                    default: raw.insert(Array("-9e99,[]{}\"0".utf8)[Int(random.next() % 12)], at: position)
                    }
                }
                bytes = Data(raw)
            } else {
                let mutated = Self.mutate(original, random: &random, replacements: replacements)
                bytes = try JSONSerialization.data(withJSONObject: mutated, options: [.sortedKeys])
            }
            do {
                let manifest = try PartitionManifest.decodeValidated(bytes, path: url.path)
                accepted += 1
                let classCount = manifest.dataset.classNames.count
                #expect(manifest.clients.enumerated().allSatisfy { position, client in
                    client.file == PartitionManifest.shardFileName(client: position) && client.classCounts.count == classCount
                        && client.classCounts.allSatisfy { $0 >= 0 }
                })
                #expect(manifest.totals.classCounts.count == classCount)
            } catch {
                refused += 1
                #expect(!error.description.contains("Swift") && !error.description.contains("NSCocoa"), "\(error)")
            }
            if round % 10 == 0 {
                try bytes.write(to: url)
                do {
                    _ = try ShardVerifier(shardsFolder: shards).verify()
                } catch {
                    #expect(error.description.contains("partition.json") || error.description.contains("prepared"),
                            "\(error)")
                }
            }
        }
        #expect(accepted + refused == 300)
        #expect(refused > 200, "most mutations break an invariant (accepted \(accepted))")
    }

    /// One structural mutation: a random leaf (or list, or key) replaced, removed, or a list shortened/lengthened.
    private static func mutate(_ value: Any, random: inout Xoshiro256StarStar, replacements: [Any], depth: Int = 0) -> Any {
        let pick = { (count: Int, random: inout Xoshiro256StarStar) in Int(random.next() % UInt64(max(1, count))) }
        if var object = value as? [String: Any], !object.isEmpty {
            let keys = object.keys.sorted()
            let key = keys[pick(keys.count, &random)]
            switch random.next() % 8 {
            case 0: object.removeValue(forKey: key)
            case 1: object[key] = replacements[pick(replacements.count, &random)]
            default: object[key] = mutate(object[key]!, random: &random, replacements: replacements, depth: depth + 1)
            }
            return object
        }
        if var list = value as? [Any] {
            switch random.next() % 6 {
            case 0: if !list.isEmpty { list.removeLast() }
            case 1: list.append(list.last ?? 1)
            default:
                guard !list.isEmpty else { return replacements[pick(replacements.count, &random)] }
                let index = pick(list.count, &random)
                list[index] = mutate(list[index], random: &random, replacements: replacements, depth: depth + 1)
            }
            return list
        }
        return replacements[pick(replacements.count, &random)]
    }

    @Test("a moved shards folder: verify names --dataset; with it, or with the dataset copied beside, it passes")
    func relocatedShards() throws {
        let (scratch, prepared, shards) = try writeShards("manifest-moved")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let elsewhere = scratch.appendingPathComponent("elsewhere/deeper")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let moved = elsewhere.appendingPathComponent("shards")
        try FileManager.default.moveItem(at: shards, to: moved)
        #expect {
            _ = try ShardVerifier(shardsFolder: moved).verify()
        } throws: { error in
            "\(error)".contains("--dataset")
        }
        let explicit = try ShardVerifier(shardsFolder: moved, datasetFolder: prepared).verify()
        #expect(explicit.differences.isEmpty, "\(explicit.differences)")
        let manifest = try PartitionManifest.read(shardsFolder: moved)
        #expect(try DatasetLocation.resolve(shardsFolder: moved, manifest: manifest, explicit: prepared).source == .explicit)

        // A copy inside the shards folder (not where "../prepared" points) is found by name and checksum.
        try FileManager.default.copyItem(at: prepared, to: moved.appendingPathComponent(prepared.lastPathComponent))
        let location = try DatasetLocation.resolve(shardsFolder: moved, manifest: manifest, explicit: nil)
        #expect(location.source == .nearShards)
        #expect(try ShardVerifier(shardsFolder: moved).verify().differences.isEmpty)
    }

    @Test("dropped samples: the warning counts them per class and names the option that keeps them")
    func droppedWarning() throws {
        let scratch = try PreparedDatasetFixture.scratchFolder("manifest-dropped")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let prepared = try PreparedDatasetFixture.make(in: scratch)
        let outcome = try ShardsFolderWriter(datasetFolder: prepared, shardsFolder: scratch.appendingPathComponent("shards"),
                                             parameters: PartitionParameters(clients: 6, alpha: 0.3, rho: 0.3, seed: 2)).write()
        let manifest = outcome.manifest
        try #require(manifest.totals.dropped > 0, "the fixture must drop samples under rho 0.3")
        let warning = try #require(manifest.droppedSamplesWarning)
        #expect(warning.hasPrefix("\(manifest.totals.dropped) of \(manifest.totals.samples) training samples"))
        if manifest.dropped.noEligibleClient > 0 { #expect(warning.contains("--absent-labels mask")) }
        if manifest.totals.classCounts != manifest.totals.datasetClassCounts {
            let (index, lost) = zip(manifest.totals.datasetClassCounts, manifest.totals.classCounts).enumerated()
                .map { ($0.offset, $0.element.0 - $0.element.1) }.first { $0.1 > 0 }!
            #expect(warning.contains("positive labels lost per class: ")
                    && warning.contains("\(manifest.dataset.classNames[index]) \(lost)"), "\(warning)")
        }
    }
}
