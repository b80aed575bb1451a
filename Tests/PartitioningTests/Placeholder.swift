// Tests for Partitioning arrive with its issue.
