//! pinspect: inspect, fix and test the Commanders Act → Pinterest Conversions API mapping.
//!
//! [`core`] maps events, normalizes and hashes user data and validates payloads; [`cli`] and
//! [`gui`] are front ends over it. Errors in input never panic: they become messages that name
//! the file, line and column, or diagnostics on the event they concern.

pub mod cli;
pub mod core;
pub mod gui;
