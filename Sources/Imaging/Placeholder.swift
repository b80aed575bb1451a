// Imaging: placeholder until its issue lands.
enum ImagingModulePlaceholder {}
