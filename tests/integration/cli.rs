//! The command line's contract: exit statuses, stdout versus stderr, inputs from stdin.

use crate::support::{pinspect, pinspect_with_stdin, stdout_json, test_file};

const NOW: &str = "1744956000";

const GOOD: &str = r#"{"event_name": "purchase", "id": "O-1", "value": 10, "currency": "EUR",
  "items": [{"id": "A", "quantity": 1, "product": {"price": 10}}],
  "user": {"email": "jane.doe@example.com"},
  "context": {"event_id": "e-1", "event_timestamp": 1744955619974}}"#;

#[test]
fn clean_events_exit_zero_and_map_prints_the_body() {
    let output = pinspect_with_stdin(&["map", "--now", NOW, "-"], GOOD.as_bytes());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let body = stdout_json(&output);
    assert_eq!(body["data"][0]["event_name"], "checkout");
    assert_eq!(body["data"][0]["custom_data"]["value"], "10");
}

#[test]
fn errors_exit_one_and_map_leaves_them_out() {
    let bad = r#"{"event_name": "purchase", "context": {"event_timestamp": 1744955619974}}"#;
    let output = pinspect_with_stdin(&["map", "--now", NOW, "-"], bad.as_bytes());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout_json(&output)["data"].as_array().unwrap().len(), 0);
    let included = pinspect_with_stdin(
        &["map", "--include-errors", "--now", NOW, "-"],
        bad.as_bytes(),
    );
    assert_eq!(stdout_json(&included)["data"].as_array().unwrap().len(), 1);
}

#[test]
fn unreadable_input_exits_two_with_the_place() {
    let output = pinspect_with_stdin(&["check", "--now", NOW, "-"], b"{\n  \"a\": ,\n}");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("stdin:2:8"), "{stderr}");

    let missing = pinspect(&["check", "/nonexistent/events.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/events.json"));
}

#[test]
fn nothing_goes_to_stdout_when_no_input_could_be_read() {
    for command in [
        vec!["map", "/nonexistent/events.json"],
        vec!["check", "/nonexistent/events.json"],
        vec!["check", "--format", "json", "/nonexistent/events.json"],
    ] {
        let output = pinspect(&command);
        assert_eq!(output.status.code(), Some(2), "{command:?}");
        assert!(output.stdout.is_empty(), "{command:?}: {:?}", output.stdout);
        assert!(!output.stderr.is_empty(), "{command:?}");
    }

    // A file cut short says so, at its end.
    let cut = pinspect_with_stdin(
        &["check", "-"],
        b"[{\"event_name\": \"purchase\",\n \"x\": ",
    );
    assert_eq!(cut.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&cut.stderr);
    assert!(
        stderr.contains("stdin:2:6") && stderr.contains("ends too early"),
        "{stderr}"
    );
}

#[test]
fn a_result_that_cannot_be_written_is_an_error() {
    let events = test_file("data/doc-examples.json");
    let events = events.to_str().unwrap();
    for args in [
        vec!["map", "--include-errors", "--now", NOW, events],
        vec!["check", "--format", "json", "--now", NOW, events],
        vec!["check", "--now", NOW, events],
        vec!["config", "show"],
        vec!["hash", "--field", "em", "jane@example.com"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full exists on Linux");
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_pinspect"))
            .args(&args)
            .stdout(full)
            .output()
            .expect("pinspect runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("cannot write the result to stdout"),
            "{args:?}: {stderr}"
        );
    }

    // A reader that stops early (`| head`) is not an error: the status is the usual one.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pinspect"))
        .args(["check", "--format", "json", "--now", NOW, events])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("pinspect starts");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("pinspect finishes");
    assert_eq!(output.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("cannot write"));
}

#[test]
fn map_says_when_its_body_holds_no_event() {
    let empty = pinspect_with_stdin(&["map", "-"], b"[]");
    assert_eq!(empty.status.code(), Some(0));
    assert_eq!(stdout_json(&empty)["data"], serde_json::json!([]));
    let stderr = String::from_utf8_lossy(&empty.stderr);
    assert!(
        stderr.contains("holds no event") && stderr.contains("no events"),
        "{stderr}"
    );

    let bad = r#"{"event_name": "purchase", "context": {"event_timestamp": 1744955619974}}"#;
    let all_errors = pinspect_with_stdin(&["map", "--now", NOW, "-"], bad.as_bytes());
    let stderr = String::from_utf8_lossy(&all_errors.stderr);
    assert!(
        stderr.contains("holds no event") && stderr.contains("--include-errors"),
        "{stderr}"
    );

    let good = pinspect_with_stdin(&["map", "--now", NOW, "-"], GOOD.as_bytes());
    assert!(
        good.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );

    // Some left out: said with the count.
    let mixed = format!("[{GOOD}, {bad}]");
    let output = pinspect_with_stdin(&["map", "--now", NOW, "-"], mixed.as_bytes());
    assert_eq!(stdout_json(&output)["data"].as_array().unwrap().len(), 1);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("1 event of 2 left out of the body because of errors"),
        "{stderr}"
    );

    // Over Pinterest's 1000 events a request: said, with what to do.
    let many: Vec<String> = (0..1001)
        .map(|n| GOOD.replace('\n', " ").replace("e-1", &format!("e-{n}")))
        .collect();
    let output = pinspect_with_stdin(&["map", "--now", NOW, "-"], many.join("\n").as_bytes());
    assert_eq!(stdout_json(&output)["data"].as_array().unwrap().len(), 1001);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("holds 1001 events; Pinterest takes at most 1000"),
        "{stderr}"
    );
}

#[test]
fn a_bad_ndjson_line_is_reported_and_the_rest_is_checked() {
    let ndjson = format!(
        "{}\n{{\"event_name\": \n{}\n",
        GOOD.replace('\n', " "),
        GOOD.replace('\n', " ")
    );
    let output = pinspect_with_stdin(
        &["check", "--format", "json", "--now", NOW, "-"],
        ndjson.as_bytes(),
    );
    let report = stdout_json(&output);
    assert_eq!(report["summary"]["events"], 3);
    assert_eq!(report["summary"]["sendable"], 2);
    assert_eq!(
        report["events"][1]["diagnostics"][0]["code"],
        "input.syntax"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("stdin:2"));
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(pinspect(&["check"]).status.code(), Some(2));
    assert_eq!(pinspect(&["frobnicate"]).status.code(), Some(2));
    let preset = pinspect(&[
        "check",
        "--preset",
        "nope",
        test_file("data/doc-examples.json").to_str().unwrap(),
    ]);
    assert_eq!(preset.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&preset.stderr).contains("unknown preset"));

    let milliseconds = pinspect(&[
        "check",
        "--now",
        "1744956000000",
        test_file("data/doc-examples.json").to_str().unwrap(),
    ]);
    assert_eq!(milliseconds.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&milliseconds.stderr).contains("looks like milliseconds"));
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let hashed = pinspect(&[
        "hash",
        "--field",
        "em",
        "\u{1b}[2J\u{1b}[31mJane@x.com\u{7}",
    ]);
    let event = r#"{"event_name": "pur\u001b[2Jchase\r", "context": {"event_id": "e\u0007"}}"#;
    let checked = pinspect_with_stdin(&["check", "--now", NOW, "-"], event.as_bytes());
    for output in [&hashed, &checked] {
        for stream in [&output.stdout, &output.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(!text.contains(['\u{1b}', '\u{7}', '\r']), "{text:?}");
        }
    }
    assert!(String::from_utf8_lossy(&hashed.stdout).contains("\\u{1b}[2J"));
}

#[test]
fn hash_prints_normalized_value_and_digest() {
    let output = pinspect(&[
        "hash",
        "--field",
        "em",
        "--format",
        "json",
        " Jane.Doe@Example.COM",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let result = stdout_json(&output);
    assert_eq!(result["normalized"], "jane.doe@example.com");
    assert_eq!(
        result["sha256"],
        "86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d"
    );
}
