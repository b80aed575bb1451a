// Tests for Safetensors arrive with its issue.
