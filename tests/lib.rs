//! Integration tests live in this folder; see `Cargo.toml` for the list.
