//! Every golden case in `tests/cases/` (copied from `../shared/cases/`, format in its README),
//! run through the core and through the built CLI with the same expectations.

use std::path::PathBuf;

use pinspect::core::config::parse_config;
use pinspect::core::event::parse_text;
use pinspect::core::inspect::inspect_all;
use pinspect::core::mapping::Mapping;
use pinspect::core::report::check_report;
use serde_json::Value;

use crate::support::{lookup, pinspect, test_file};

fn cases() -> Vec<(PathBuf, Value)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(test_file("cases"))
        .expect("tests/cases exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable case");
            let case = serde_json::from_str(&text).expect("case is JSON");
            (path, case)
        })
        .collect()
}

/// Checks one expectation against a report and exit status; `Err` says why it failed.
fn check_expectation(expect: &Value, report: Option<&Value>, exit: i32) -> Result<(), String> {
    if let Some(want) = expect.get("exit") {
        return (Some(i64::from(exit)) == want.as_i64())
            .then_some(())
            .ok_or_else(|| format!("exit {exit}, want {want}"));
    }
    if expect.get("config_error") == Some(&Value::Bool(true)) {
        return (exit == 2)
            .then_some(())
            .ok_or_else(|| format!("config error expected, got exit {exit}"));
    }
    let report = report.ok_or("no report")?;
    let events = report["events"].as_array().ok_or("no events")?;
    let candidates: Vec<&Value> = if expect.get("any_event") == Some(&Value::Bool(true)) {
        events.iter().collect()
    } else {
        let index = usize::try_from(expect["event"].as_u64().unwrap_or(0)).unwrap_or(usize::MAX);
        vec![events.get(index).ok_or(format!("no event {index}"))?]
    };

    if let Some(want) = expect.get("diagnostic") {
        let matches = |d: &Value| {
            let field = d["field"].as_str().unwrap_or("");
            want.get("field").is_none_or(|f| f.as_str() == Some(field))
                && want
                    .get("field_prefix")
                    .is_none_or(|p| field.starts_with(p.as_str().unwrap_or("")))
                && want.get("severity").is_none_or(|s| *s == d["severity"])
                && want
                    .get("severity_in")
                    .is_none_or(|s| s.as_array().is_some_and(|a| a.contains(&d["severity"])))
                && want.get("code").is_none_or(|c| *c == d["code"])
        };
        return candidates
            .iter()
            .any(|event| {
                event["diagnostics"]
                    .as_array()
                    .is_some_and(|ds| ds.iter().any(matches))
            })
            .then_some(())
            .ok_or_else(|| format!("no diagnostic like {want}"));
    }

    let event = candidates[0];
    if expect.get("no_errors") == Some(&Value::Bool(true)) {
        let errors: Vec<&Value> = event["diagnostics"]
            .as_array()
            .map(|ds| ds.iter().filter(|d| d["severity"] == "error").collect())
            .unwrap_or_default();
        return errors
            .is_empty()
            .then_some(())
            .ok_or_else(|| format!("unexpected errors {errors:?}"));
    }

    let payload = &event["payload"];
    if payload.is_null() {
        return Err("payload is null".to_owned());
    }
    let path = expect["path"].as_str().ok_or("expectation without path")?;
    let got = lookup(payload, path);
    if expect.get("absent") == Some(&Value::Bool(true)) {
        return got
            .is_none()
            .then_some(())
            .ok_or_else(|| format!("{path} should be absent, got {got:?}"));
    }
    let got = got.ok_or_else(|| format!("{path} is missing"))?;
    if let Some(want) = expect.get("equals") {
        // serde_json equality already tells "59.9" from 59.9.
        return (got == want)
            .then_some(())
            .ok_or_else(|| format!("{path} = {got}, want {want}"));
    }
    if expect.get("type").and_then(Value::as_str) == Some("integer") {
        return (got.is_i64() || got.is_u64())
            .then_some(())
            .ok_or_else(|| format!("{path} = {got}, want an integer"));
    }
    Err(format!("unknown expectation {expect}"))
}

fn run_core(case: &Value) -> (Option<Value>, i32) {
    let mapping = match case.get("config") {
        Some(config) => match parse_config("config", &config.to_string()) {
            Ok(mapping) => mapping,
            Err(_) => return (None, 2),
        },
        None => Mapping::default(),
    };
    let events = parse_text("input", &case["input"].to_string()).expect("case input parses");
    let now = case["now"].as_i64().expect("case has now");
    let inspections = inspect_all(&events, &mapping, now);
    let exit = i32::from(
        inspections
            .iter()
            .any(pinspect::core::inspect::Inspection::has_errors),
    );
    (Some(check_report(&inspections)), exit)
}

fn run_cli(case: &Value) -> (Option<Value>, i32) {
    let folder = tempfile::tempdir().expect("temporary folder");
    let input = folder.path().join("events.json");
    std::fs::write(&input, case["input"].to_string()).expect("input written");
    let now = case["now"].to_string();
    let mut args = vec!["check", "--format", "json", "--now", &now];
    let config_path = folder.path().join("mapping.json");
    let config_arg;
    if let Some(config) = case.get("config") {
        std::fs::write(&config_path, config.to_string()).expect("config written");
        config_arg = config_path.display().to_string();
        args.extend(["--config", &config_arg]);
    }
    let input_arg = input.display().to_string();
    args.push(&input_arg);
    let output = pinspect(&args);
    let report = serde_json::from_slice(&output.stdout).ok();
    (report, output.status.code().unwrap_or(-1))
}

fn run_all(runner: fn(&Value) -> (Option<Value>, i32)) {
    let cases = cases();
    assert!(
        cases.len() >= 22,
        "expected the 22 shared cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for (path, case) in &cases {
        let (report, exit) = runner(case);
        for expect in case["expect"].as_array().expect("expect is a list") {
            if let Err(reason) = check_expectation(expect, report.as_ref(), exit) {
                failures.push(format!("{}: {reason}", path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn golden_cases_through_the_core() {
    run_all(run_core);
}

#[test]
fn golden_cases_through_the_cli() {
    run_all(run_cli);
}

#[test]
fn the_case_checker_can_fail() {
    // An expectation that does not hold must be reported, or the suite above proves nothing.
    let report =
        serde_json::json!({"events": [{"payload": {"event_name": "custom"}, "diagnostics": []}]});
    let wrong = serde_json::json!({"event": 0, "path": "event_name", "equals": "checkout"});
    assert!(check_expectation(&wrong, Some(&report), 0).is_err());
    let number = serde_json::json!({"event": 0, "path": "event_name", "equals": 1});
    assert!(check_expectation(&number, Some(&report), 0).is_err());
    let diagnostic = serde_json::json!({"event": 0, "diagnostic": {"severity": "error"}});
    assert!(check_expectation(&diagnostic, Some(&report), 0).is_err());
}
