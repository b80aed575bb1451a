// Federation: placeholder until its issue lands.
enum FederationModulePlaceholder {}
