"""The data contract: datasets, columns, types, enumerations and aliases (spec/data-contract.md)."""
