//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A file under `tests/`.
pub fn test_file(relative: &str) -> PathBuf {
    root().join("tests").join(relative)
}

/// Runs the built `pinspect` binary with `args`, stdin closed.
pub fn pinspect(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pinspect"))
        .args(args)
        .env_remove("PINTEREST_ACCESS_TOKEN")
        .output()
        .expect("the pinspect binary runs")
}

/// Runs `pinspect` with `stdin` as standard input.
pub fn pinspect_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write as _;

    let mut child = Command::new(env!("CARGO_BIN_EXE_pinspect"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the pinspect binary starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin)
        .expect("stdin accepts the input");
    child.wait_with_output().expect("pinspect finishes")
}

/// Parses stdout as JSON.
pub fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "stdout is not JSON ({err}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Follows a path such as `custom_data.contents[1].item_price`.
pub fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    let mut current = value;
    for part in path.split('.') {
        let (key, indexes) = match part.find('[') {
            Some(at) => (&part[..at], &part[at..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            current = current.get(key)?;
        }
        for index in indexes.split(['[', ']']).filter(|s| !s.is_empty()) {
            current = current.get(index.parse::<usize>().ok()?)?;
        }
    }
    Some(current)
}
