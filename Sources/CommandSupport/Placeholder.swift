// CommandSupport: placeholder until its issue lands.
enum CommandSupportModulePlaceholder {}
