// NeuralNet: placeholder until its issue lands.
enum NeuralNetModulePlaceholder {}
