//! pinspect's integration tests, in one binary so that linking happens once.

#![expect(clippy::expect_used, reason = "tests fail loudly on broken fixtures")]

mod architecture;
mod cli;
mod command_line;
mod config;
mod diagnostics;
mod doc_examples;
mod field_rules;
mod golden;
mod golden_vectors;
mod gui;
mod hash_check;
mod properties;
mod send;
mod support;
mod traps;
