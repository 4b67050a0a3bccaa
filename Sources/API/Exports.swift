// The store's types (records, `Store`, `RegctlError`, `DatabaseLocation`) are part of the command API.
@_exported import RegistryStore
