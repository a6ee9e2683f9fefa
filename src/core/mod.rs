//! The pure core of pinspect: events in, Pinterest payloads, diagnostics and traces out.
//!
//! Nothing in here draws, opens dialogs or spawns UI promises; the CLI and the GUI are two thin
//! front ends over these functions, so both show exactly the same results. A test checks that
//! no file in this folder names a GUI crate.

pub mod checks;
pub mod config;
pub mod diagnostics;
pub mod event;
pub mod fields;
pub mod hash;
pub mod hashcheck;
pub mod inspect;
pub mod mapping;
pub mod normalize;
pub mod path;
pub mod preset;
pub mod report;
pub mod schema;
pub mod send;
pub mod settings;
