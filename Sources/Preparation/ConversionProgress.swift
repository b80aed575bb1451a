/// The tool version recorded in `dataset.json` by the converters.
public let fedncToolVersion = "0.1.0"
