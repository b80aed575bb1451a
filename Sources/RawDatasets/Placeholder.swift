// RawDatasets: placeholder until its issue lands.
enum RawDatasetsModulePlaceholder {}
