//! The runtime against loopback servers through a hand-written service and operations
//! (no generated code): redirects, writes that must not run twice, size limits and
//! deadlines.

mod limits;
mod redirects;
mod support;
mod timeouts;
mod write_safety;
