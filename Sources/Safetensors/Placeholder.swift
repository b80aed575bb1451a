// Safetensors: placeholder until its issue lands.
enum SafetensorsModulePlaceholder {}
