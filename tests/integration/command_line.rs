//! Inputs that broke the command line: files damaged beyond one line, error places, keys given
//! twice, advertiser ids, and how `check --format json` streams big inputs.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{pinspect, stdout_json};

const NOW: &str = "1744956000";

const GOOD: &str = r#"{"event_name": "purchase", "id": "O-1", "value": 10, "currency": "EUR", "items": [{"id": "A", "quantity": 1, "product": {"price": 10}}], "user": {"email": "jane.doe@example.com"}, "context": {"event_id": "e-1", "event_timestamp": 1744955619974}}"#;

fn write(folder: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = folder.join(name);
    std::fs::write(&path, bytes).expect("write the input");
    path
}

fn check_json(path: &Path) -> (Value, String, Option<i32>) {
    let output = pinspect(&[
        "check",
        "--format",
        "json",
        "--now",
        NOW,
        path.to_str().expect("a UTF-8 path"),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (stdout_json(&output), stderr, output.status.code())
}

fn codes(report: &Value, event: usize) -> Vec<String> {
    report["events"][event]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn a_non_utf8_line_breaks_only_itself() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut bytes = format!("{GOOD}\n").into_bytes();
    bytes.extend_from_slice(b"{\"event_name\": \"caf\xe9\"}\n");
    bytes.extend_from_slice(format!("{GOOD}\n").as_bytes());
    let path = write(folder.path(), "latin.ndjson", &bytes);
    let (report, stderr, status) = check_json(&path);
    assert_eq!(status, Some(1));
    assert_eq!(report["summary"]["events"], 3);
    assert_eq!(report["summary"]["sendable"], 2);
    assert_eq!(codes(&report, 1), ["input.syntax"]);
    let message = report["events"][1]["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("not UTF-8 at column 20"), "{message}");
    assert!(
        stderr.contains(&format!("{}:2:20: this line is not UTF-8", path.display())),
        "{stderr}"
    );
}

#[test]
fn damage_beyond_one_line_still_checks_the_good_lines() {
    let folder = tempfile::tempdir().expect("temp dir");

    // Most lines broken, read as NDJSON because the first line is a complete event.
    let broken = format!("{GOOD}\n{{\"event_name\":\n{{\"x\n[1,\n");
    let path = write(folder.path(), "mostly-broken.json", broken.as_bytes());
    let (report, _, status) = check_json(&path);
    assert_eq!(status, Some(1));
    assert_eq!(report["summary"]["events"], 4);
    assert_eq!(report["summary"]["sendable"], 1);

    // Bare scalars after a good line are records that are not events.
    let scalars = format!("{GOOD}\n42\n\"x\"\nnull\n");
    let path = write(folder.path(), "scalars.json", scalars.as_bytes());
    let (report, _, _) = check_json(&path);
    assert_eq!(report["summary"]["events"], 4);
    assert_eq!(codes(&report, 2), ["input.not_object"]);

    // A broken first line: the extension decides.
    let first_broken = format!("{{\"event_name\":\n{{\"x\n{GOOD}\n");
    let as_json = write(folder.path(), "first-broken.json", first_broken.as_bytes());
    let output = pinspect(&["check", "--now", NOW, as_json.to_str().expect("path")]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "one syntax error for a .json file"
    );
    let as_lines = write(folder.path(), "first-broken.jsonl", first_broken.as_bytes());
    let (report, _, _) = check_json(&as_lines);
    assert_eq!(report["summary"]["events"], 3);
    assert_eq!(report["summary"]["sendable"], 1);
}

#[test]
fn every_error_names_its_place_once() {
    let folder = tempfile::tempdir().expect("temp dir");

    let array = write(
        folder.path(),
        "bigarr.json",
        format!("[{GOOD}, {{\"value\": 1e999}}]").as_bytes(),
    );
    let (report, stderr, _) = check_json(&array);
    // The parser points at the last character of the number, `[GOOD, {"value": 1e999`.
    let column = GOOD.len() + 18;
    let place = format!("{}:1:{column}: ", array.display());
    let message = report["events"][1]["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.starts_with(&place), "{message}");
    assert!(message.contains("number out of range"), "{message}");
    assert!(stderr.contains(&place), "{stderr}");

    let lines = write(
        folder.path(),
        "badline.ndjson",
        format!("{GOOD}\n{{\"event_name\": tru}}\n").as_bytes(),
    );
    let (_, stderr, _) = check_json(&lines);
    let name = lines.display().to_string();
    assert_eq!(stderr.matches(&name).count(), 1, "{stderr}");
    assert!(stderr.contains(&format!("{name}:2:")), "{stderr}");

    let config = write(
        folder.path(),
        "latin-config.json",
        b"{\"format\": \"pinspect-mapping/1\",\n \"preset\": \"caf\xe9\"}",
    );
    let output = pinspect(&[
        "check",
        "--config",
        config.to_str().expect("path"),
        lines.to_str().expect("path"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "{}:2:16: the file is not UTF-8 text",
            config.display()
        )),
        "{stderr}"
    );

    let surrogate = write(
        folder.path(),
        "surrogate.json",
        br#"{"event_name": "\ud800"}"#,
    );
    let output = pinspect(&["check", surrogate.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("invalid \\u escape: a lone UTF-16 surrogate"),
        "{stderr}"
    );
}

#[test]
fn a_key_given_twice_is_read_last_wins_and_warned() {
    let folder = tempfile::tempdir().expect("temp dir");
    let twice = GOOD.replacen('{', r#"{"event_name": "page_view", "#, 1);
    let path = write(folder.path(), "twice.json", twice.as_bytes());
    let (report, stderr, status) = check_json(&path);
    assert_eq!(status, Some(0), "a warning does not stop the event");
    assert_eq!(
        report["events"][0]["event_name"], "checkout",
        "last value wins"
    );
    let warning = &report["events"][0]["diagnostics"][0];
    assert_eq!(warning["code"], "input.duplicate_key");
    assert_eq!(warning["severity"], "warning");
    assert_eq!(warning["field"], Value::Null);
    let message = warning["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("the key \"event_name\" appears twice in this event; the last value (\"purchase\") is used"),
        "{message}"
    );
    assert!(stderr.contains("warning: "), "{stderr}");
}

#[test]
fn a_bad_advertiser_id_is_refused_by_every_command() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = write(folder.path(), "e.json", GOOD.as_bytes());
    let path = path.to_str().expect("path");
    for command in ["check", "map", "send"] {
        let output = pinspect(&[command, "--advertiser-id", "12-34", "--now", NOW, path]);
        assert_eq!(output.status.code(), Some(2), "{command}");
        assert!(output.stdout.is_empty(), "{command}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(
                "--advertiser-id \"12-34\" must be the ad account number: digits only, at most 18"
            ),
            "{command}: {stderr}"
        );
    }
    let fine = pinspect(&[
        "check",
        "--advertiser-id",
        " 549755885175 ",
        "--now",
        NOW,
        path,
    ]);
    assert_eq!(fine.status.code(), Some(0));
}

#[test]
fn thousands_of_events_on_one_event_id_give_a_short_report() {
    let folder = tempfile::tempdir().expect("temp dir");
    let lines: Vec<String> = (0..3000)
        .map(|n| GOOD.replace("\"O-1\"", &format!("\"O-{n}\"")))
        .collect();
    let path = write(
        folder.path(),
        "static-id.ndjson",
        lines.join("\n").as_bytes(),
    );
    let (report, _, _) = check_json(&path);
    assert_eq!(report["summary"]["events"], 3000);
    for event in report["events"].as_array().expect("events") {
        let duplicate = event["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .find(|d| d["code"] == "event_id.duplicate")
            .expect("every event is flagged");
        let message = duplicate["message"].as_str().unwrap_or_default();
        assert!(message.len() < 400, "{message}");
        assert!(message.contains("2999 other events"), "{message}");
    }
}
