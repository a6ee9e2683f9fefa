//! The 21 real Commanders Act examples: every one is reported, nothing panics, and every
//! payload without errors validates against the pinned Pinterest schema.

use pinspect::core::event::load_file;
use pinspect::core::inspect::inspect_all;
use pinspect::core::mapping::Mapping;
use pinspect::core::schema::validate_body;
use serde_json::json;

use crate::support::{pinspect, stdout_json, test_file};

#[test]
fn check_reports_all_21_examples() {
    let path = test_file("data/doc-examples.json");
    let output = pinspect(&[
        "check",
        "--format",
        "json",
        "--now",
        "1673571700",
        path.to_str().unwrap(),
    ]);
    let report = stdout_json(&output);
    assert_eq!(report["events"].as_array().unwrap().len(), 21);
    assert_eq!(report["summary"]["events"], 21);
    // Most examples lack event ids and times, so the run ends with errors (1), not a crash.
    assert_eq!(output.status.code(), Some(1));
    for (index, event) in report["events"].as_array().unwrap().iter().enumerate() {
        assert_eq!(event["index"], index);
        assert!(event["payload"].is_object(), "event {index} has no payload");
    }
}

#[test]
fn payloads_without_errors_validate_against_the_schema() {
    let events = load_file(&test_file("data/doc-examples.json")).unwrap();
    let inspections = inspect_all(&events, &Mapping::default(), 1_673_571_700);
    let mut validated = 0;
    for inspection in inspections.iter().filter(|i| !i.has_errors()) {
        let payload = inspection.payload.as_ref().unwrap();
        let problems = validate_body(&json!({ "data": [payload] }));
        assert!(
            problems.is_empty(),
            "event {}: {problems:?}",
            inspection.index
        );
        validated += 1;
    }
    assert!(
        validated >= 1,
        "no example was error-free, so nothing was validated"
    );
}

#[test]
fn inspecting_without_traces_gives_the_same_payloads_and_diagnostics() {
    use pinspect::core::inspect::inspect_all_with;

    let mut events = load_file(&test_file("data/doc-examples.json")).unwrap();
    events.extend(
        load_file(&crate::support::root().join("assets/samples/sample-events.json")).unwrap(),
    );
    let mapping = Mapping::default();
    let full = inspect_all(&events, &mapping, 1_796_126_400);
    let light = inspect_all_with(&events, &mapping, 1_796_126_400, false, &|_| true).unwrap();
    assert_eq!(full.len(), light.len());
    for (with, without) in full.iter().zip(&light) {
        assert_eq!(with.payload, without.payload, "event {}", with.index);
        assert_eq!(
            with.diagnostics, without.diagnostics,
            "event {}",
            with.index
        );
        assert!(without.trace.is_empty());
    }
    assert!(
        full.iter().any(|i| !i.trace.is_empty()),
        "the full run keeps traces"
    );
}
