// Tests for NeuralNet arrive with its issue.
