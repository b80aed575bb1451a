// Tests for Federation arrive with its issue.
