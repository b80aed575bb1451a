// Checksums: placeholder until its issue lands.
enum ChecksumsModulePlaceholder {}
