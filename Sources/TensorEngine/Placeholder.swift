// TensorEngine: placeholder until its issue lands.
enum TensorEngineModulePlaceholder {}
