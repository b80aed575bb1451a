// DataManifests: placeholder until its issue lands.
enum DataManifestsModulePlaceholder {}
