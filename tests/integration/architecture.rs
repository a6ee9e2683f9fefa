//! The core stays pure: no file under `src/core/` names a GUI crate, so the CLI, the GUI and
//! the tests all run the same code without a window.

use crate::support::root;

fn rust_files(folder: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(folder).expect("readable folder") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn core_names_no_gui_crate() {
    let mut files = Vec::new();
    rust_files(&root().join("src/core"), &mut files);
    assert!(files.len() > 5, "src/core has too few files: {files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable source");
        for name in ["egui", "eframe", "rfd", "poll_promise", "poll-promise"] {
            assert!(
                !text.contains(name),
                "{} names {name}; the core must stay free of GUI crates",
                file.display()
            );
        }
    }
}
