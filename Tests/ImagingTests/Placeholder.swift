// Tests for Imaging arrive with its issue.
