// Tests for Checksums arrive with its issue.
