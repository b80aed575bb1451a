// Preparation: placeholder until its issue lands.
enum PreparationModulePlaceholder {}
