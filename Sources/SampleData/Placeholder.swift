// SampleData: placeholder until its issue lands.
enum SampleDataModulePlaceholder {}
