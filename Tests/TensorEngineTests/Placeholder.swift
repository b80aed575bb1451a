// Tests for TensorEngine arrive with its issue.
