//! The runtime against loopback servers through a hand-written service and operations
//! (no generated code): redirects, writes that must not run twice, size limits and
//! deadlines.

mod connections;
mod limits;
mod overrides;
mod redirects;
mod support;
mod timeouts;
mod tls;
mod write_safety;
