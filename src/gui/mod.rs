//! The desktop GUI (eframe/egui) over [`crate::core`].

use std::path::PathBuf;

/// Opens the window with `files` loaded.
pub fn run(files: &[PathBuf]) -> anyhow::Result<()> {
    // TODO(#2): the GUI is being built; until then this says so instead of opening a window.
    anyhow::bail!(
        "the GUI is not built yet ({} files given); use pinspect check FILE",
        files.len()
    )
}
