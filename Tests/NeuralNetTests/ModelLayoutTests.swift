import Foundation
import NeuralNet
import Testing

@Suite("NeuralNet model layout")
struct ModelLayoutTests {
    @Test("Full-width ResNet-18 has torchvision's names, order and parameter count")
    func torchvisionLayout() {
        let model = MultiLabelClassifier(configuration: ModelConfiguration(classCount: 20, head: .mlp), seed: 0)
        let backbone = model.state.entries.filter { !$0.name.hasPrefix("head.") }
        #expect(backbone.count == 120)  // torchvision's 122 state-dict entries without fc.weight / fc.bias
        #expect(backbone.prefix(7).map(\.name) == ["conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean",
                                                   "bn1.running_var", "bn1.num_batches_tracked",
                                                   "layer1.0.conv1.weight"])
        #expect(model.state.entry(named: "layer2.0.downsample.0.weight")?.shape == [128, 64, 1, 1])
        #expect(model.state.entry(named: "layer4.1.bn2.running_var")?.isTrainable == false)
        #expect(model.state.entry(named: "layer1.0.downsample.0.weight") == nil)
        let trainable = backbone.filter(\.isTrainable).reduce(0) { $0 + $1.count }
        #expect(trainable == 11_176_512)  // 11,689,512 (torchvision resnet18) - 513,000 (fc)
        // Kaiming normal, fan_out: std sqrt(2 / (64 * 49)) for conv1.
        let conv1 = model.state.values(of: "conv1.weight")
        let variance = conv1.reduce(0) { $0 + Double($1) * Double($1) } / Double(conv1.count)
        #expect(abs(variance.squareRoot() / (2.0 / (64 * 49)).squareRoot() - 1) < 0.05)
        #expect(model.state.values(of: "bn1.weight").allSatisfy { $0 == 1 })
    }

    @Test("Width multiplier and heads name their tensors as documented")
    func headNames() {
        let ladm = MultiLabelClassifier(
            configuration: ModelConfiguration(classCount: 5, head: .ladmETF, widthMultiplier: 0.25, queries: .learnable),
            seed: 0)
        #expect(ladm.state.entry(named: "layer4.1.conv2.weight")?.shape == [128, 128, 3, 3])
        #expect(ladm.state.entry(named: "head.etf")?.shape == [5, 128])
        #expect(ladm.state.entry(named: "head.queries")?.isTrainable == true)
        #expect(ladm.state.entry(named: "head.attention.in_proj_weight")?.shape == [384, 128])
        #expect(ladm.state.values(of: "head.scale") == [1])
        #expect(ladm.state.entry(named: "head.scale")?.isTrainable == false)
        let paperScale = MultiLabelClassifier(
            configuration: ModelConfiguration(classCount: 5, head: .ladmETF, widthMultiplier: 0.25,
                                              logitScale: .learnable),
            seed: 0)
        #expect(paperScale.state.values(of: "head.scale") == [10])
        #expect(paperScale.state.entry(named: "head.scale")?.isTrainable == true)
        let random = MultiLabelClassifier(
            configuration: ModelConfiguration(classCount: 5, head: .ladmETF, widthMultiplier: 0.25, queries: .random),
            seed: 0)
        #expect(random.state.entry(named: "head.queries")?.isTrainable == false)
        #expect(random.state.values(of: "head.queries") != random.state.values(of: "head.etf"))
        let sphere = MultiLabelClassifier(
            configuration: ModelConfiguration(classCount: 5, head: .sphere, widthMultiplier: 0.25), seed: 0)
        let classifier = sphere.state.values(of: "head.classifier")
        var gram: Float = 0
        for index in 0..<128 { gram += classifier[index] * classifier[128 + index] }
        #expect(abs(gram) < 1e-5, "rows are orthogonal")
        let same = MultiLabelClassifier(
            configuration: ModelConfiguration(classCount: 5, head: .sphere, widthMultiplier: 0.25), seed: 0)
        #expect(same.state == sphere.state, "same seed, same initial state")
    }

    @Test("A configuration saved before --logit-scale existed decodes as learnable (what it trained with)")
    func configurationWithoutLogitScale() throws {
        let current = ModelConfiguration(classCount: 5, head: .ladmETF, widthMultiplier: 0.25)
        #expect(current.logitScale == .fixed)
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(current)) as? [String: Any])
        #expect(object["logitScale"] as? String == "fixed")
        #expect(try JSONDecoder().decode(ModelConfiguration.self, from: JSONEncoder().encode(current)) == current)
        object.removeValue(forKey: "logitScale")
        let old = try JSONDecoder().decode(ModelConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
        var expected = current
        expected.logitScale = .learnable
        #expect(old == expected)
    }
}
