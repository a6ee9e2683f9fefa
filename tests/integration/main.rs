//! pinspect's integration tests, in one binary so that linking happens once.

#![expect(clippy::expect_used, reason = "tests fail loudly on broken fixtures")]

mod architecture;
mod cli;
mod config;
mod doc_examples;
mod golden;
mod send;
mod support;
