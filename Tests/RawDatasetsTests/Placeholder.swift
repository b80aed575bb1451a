// Tests for RawDatasets arrive with its issue.
