// Partitioning: placeholder until its issue lands.
enum PartitioningModulePlaceholder {}
