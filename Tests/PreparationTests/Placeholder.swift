// Tests for Preparation arrive with its issue.
