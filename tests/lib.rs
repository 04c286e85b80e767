//! Integration tests live in this folder; see `Cargo.toml` for the list.
//!
//! The README is included below so that its Rust examples are compiled as doc tests.
#![doc = include_str!("../README.md")]
