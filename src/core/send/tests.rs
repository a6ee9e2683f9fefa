//! Tests of the send loop with a scripted transport and a recording sleeper: no network, no
//! real waiting.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use super::*;
use crate::core::event::SourceEvent;
use crate::core::inspect::{Inspection, inspect_all};
use crate::core::mapping::Mapping;

/// The clock of the test events.
pub const NOW: i64 = 1_744_956_000;

/// A fake token; tests assert it never shows up.
pub const FAKE_TOKEN: &str = "pina_FAKE_unit_test_token_9f8e7d";

/// A clean purchase `e-<n>`, or (`broken`) one without event id and identity.
pub fn source(n: usize, broken: bool) -> SourceEvent {
    let body = if broken {
        json!({"event_name": "purchase", "context": {"event_timestamp": 1_744_955_619_974_i64}})
    } else {
        json!({"event_name": "purchase", "id": format!("O-{n}"), "value": 10, "currency": "EUR",
            "items": [{"id": "A", "quantity": 1, "product": {"price": 10}}],
            "user": {"email": "jane.doe@example.com"},
            "context": {"event_id": format!("e-{n}"), "event_timestamp": 1_744_955_619_974_i64}})
    };
    SourceEvent::new("t", n, body)
}

/// Inspections of events that are broken where `broken` says so.
pub fn inspections(broken: &[bool]) -> Vec<Inspection> {
    let events: Vec<SourceEvent> = broken
        .iter()
        .enumerate()
        .map(|(n, b)| source(n, *b))
        .collect();
    inspect_all(&events, &Mapping::default(), NOW)
}

/// Answers from a script, recording what was posted.
#[derive(Default)]
struct Scripted {
    answers: Mutex<Vec<Result<HttpResponse, TransportError>>>,
    posted: Mutex<Vec<(String, String)>>,
}

impl Scripted {
    fn new(answers: Vec<Result<HttpResponse, TransportError>>) -> Self {
        Self {
            answers: Mutex::new(answers),
            ..Self::default()
        }
    }

    fn posted(&self) -> Vec<(String, String)> {
        self.posted.lock().unwrap().clone()
    }
}

impl Transport for Scripted {
    fn post_json(
        &self,
        url: &str,
        token: &AccessToken,
        body: &[u8],
    ) -> Result<HttpResponse, TransportError> {
        assert_eq!(token.expose(), FAKE_TOKEN);
        self.posted
            .lock()
            .unwrap()
            .push((url.to_owned(), String::from_utf8(body.to_vec()).unwrap()));
        let mut answers = self.answers.lock().unwrap();
        assert!(!answers.is_empty(), "more requests than scripted answers");
        answers.remove(0)
    }
}

/// Records the waits instead of waiting; optionally cancels while "waiting".
#[derive(Default)]
struct Recorder {
    waits: Mutex<Vec<Duration>>,
    cancel_on_wait: bool,
}

impl Sleeper for Recorder {
    fn sleep(&self, delay: Duration, cancel: &AtomicBool) {
        self.waits.lock().unwrap().push(delay);
        if self.cancel_on_wait {
            cancel.store(true, Ordering::Relaxed);
        }
    }
}

#[expect(
    clippy::unnecessary_wraps,
    reason = "scripts mix answers and transport failures"
)]
fn json_response(status: u16, body: &Value) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status,
        content_type: Some("application/json".to_owned()),
        body: body.to_string().into_bytes(),
        ..HttpResponse::default()
    })
}

fn processed(n: usize) -> Value {
    json!({"num_events_received": n, "num_events_processed": n,
        "events": vec![json!({"status": "processed", "error_message": "", "warning_message": ""}); n]})
}

fn options(test: bool) -> SendOptions {
    SendOptions::new(Endpoint::new("https://api.pinterest.com/v5", "549755885175", test).unwrap())
}

fn token() -> AccessToken {
    AccessToken::new(FAKE_TOKEN).unwrap()
}

fn run(plan: &Plan, transport: &Scripted, sleeper: &Recorder) -> (SendOutcome, Vec<Progress>) {
    let seen = Mutex::new(Vec::new());
    let outcome = send(
        plan,
        transport,
        &token(),
        &options(true),
        sleeper,
        &|p| seen.lock().unwrap().push(p.clone()),
        &AtomicBool::new(false),
    );
    (outcome, seen.into_inner().unwrap())
}

fn results(outcome: &SendOutcome) -> Vec<EventResult> {
    outcome.events.iter().map(|e| e.result).collect()
}

#[test]
fn answers_land_on_their_source_events_not_on_file_positions() {
    let all = inspections(&[false, true, false, false]);
    let plan = Plan::new(&all, false);
    let transport = Scripted::new(vec![json_response(
        422,
        &json!({"code": 953, "message": "Some data invalid", "details": {
            "num_events_received": 3, "num_events_processed": 2, "events": [
                {"status": "processed", "error_message": "", "warning_message": ""},
                {"status": "failed", "error_message": "Invalid event_timestamp parameter",
                 "warning_message": ""},
                {"status": "processed", "error_message": "", "warning_message": "odd field"}]}}),
    )]);
    let (outcome, _) = run(&plan, &transport, &Recorder::default());

    let posted = transport.posted();
    assert_eq!(posted.len(), 1);
    let body: Value = serde_json::from_str(&posted[0].1).unwrap();
    let ids: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["e-0", "e-2", "e-3"]);

    assert_eq!(
        results(&outcome),
        [
            EventResult::Processed,
            EventResult::NotSent,
            EventResult::Failed,
            EventResult::Processed
        ]
    );
    assert_eq!(
        outcome.events[2].error_message.as_deref(),
        Some("Invalid event_timestamp parameter")
    );
    assert_eq!(
        outcome.events[3].warning_message.as_deref(),
        Some("odd field")
    );
    assert_eq!(outcome.events[1].request, None);
    let reason = outcome.events[1].error_message.as_deref().unwrap();
    let first_error = all[1]
        .diagnostics
        .iter()
        .find(|d| d.severity == crate::core::diagnostics::Severity::Error)
        .unwrap();
    assert_eq!(reason, format!("not sent: {}", first_error.message));
    assert_eq!(outcome.requests[0].indexes, [0, 2, 3]);
    assert!(
        outcome.requests[0]
            .message
            .as_deref()
            .unwrap()
            .contains("Some data invalid")
    );
    assert_eq!(outcome.summary().sent, 3);
}

#[test]
fn a_request_level_error_is_one_message_on_the_request() {
    let plan = Plan::new(&inspections(&[false, false]), false);
    let transport = Scripted::new(vec![json_response(
        401,
        &json!({"code": 2, "message": "Authentication failed."}),
    )]);
    let sleeper = Recorder::default();
    let (outcome, _) = run(&plan, &transport, &sleeper);
    assert_eq!(transport.posted().len(), 1, "401 is never retried");
    assert!(sleeper.waits.lock().unwrap().is_empty());
    assert_eq!(results(&outcome), [EventResult::Failed; 2]);
    assert!(outcome.events.iter().all(|e| e.error_message.is_none()));
    assert!(outcome.events.iter().all(|e| e.request == Some(0)));
    let message = outcome.requests[0].message.as_deref().unwrap();
    assert!(message.contains("HTTP 401"), "{message}");
}

#[test]
fn rate_limits_wait_for_retry_after_then_succeed() {
    let plan = Plan::new(&inspections(&[false, false]), false);
    let mut limited = HttpResponse {
        status: 429,
        body: br#"{"code": 8, "message": "rate limited"}"#.to_vec(),
        ..HttpResponse::default()
    };
    limited.retry_after = Some("7".to_owned());
    let transport = Scripted::new(vec![Ok(limited), json_response(200, &processed(2))]);
    let sleeper = Recorder::default();
    let (outcome, progress) = run(&plan, &transport, &sleeper);
    assert_eq!(*sleeper.waits.lock().unwrap(), [Duration::from_secs(7)]);
    assert_eq!(results(&outcome), [EventResult::Processed; 2]);
    let record = &outcome.requests[0];
    assert_eq!(record.http_status, Some(200));
    assert_eq!(record.message, None);
    assert_eq!(record.attempts.len(), 2);
    assert_eq!(record.attempts[0].http_status, Some(429));
    assert_eq!(
        record.attempts[0].wait_before_next,
        Some(Duration::from_secs(7))
    );
    assert!(progress.iter().any(|p| matches!(
        &p.stage,
        Stage::Waiting { delay, .. } if *delay == Duration::from_secs(7)
    )));
    assert_eq!(progress.last().unwrap().stage, Stage::Done);
    assert!((progress.last().unwrap().fraction() - 1.0).abs() < f32::EPSILON);
}

#[test]
fn server_errors_are_retried_a_bounded_number_of_times() {
    let plan = Plan::new(&inspections(&[false]), false);
    let unavailable = || {
        json_response(
            503,
            &json!({"code": 4197, "message": "The endpoint has been ramped down"}),
        )
    };
    let transport = Scripted::new(vec![unavailable(), unavailable(), unavailable()]);
    let sleeper = Recorder::default();
    let (outcome, _) = run(&plan, &transport, &sleeper);
    assert_eq!(transport.posted().len(), 3);
    assert_eq!(
        *sleeper.waits.lock().unwrap(),
        [Duration::from_secs(1), Duration::from_secs(2)]
    );
    assert_eq!(results(&outcome), [EventResult::Failed]);
    let message = outcome.requests[0].message.as_deref().unwrap();
    assert!(message.contains("HTTP 503") && message.contains("gave up after 3 attempts"));
}

#[test]
fn cancelling_between_requests_leaves_the_rest_not_sent() {
    let all = inspections(&[false, false, false]);
    let plan = Plan::with_batch_size(&all, false, 1);
    let transport = Scripted::new(vec![json_response(200, &processed(1))]);
    let cancel = AtomicBool::new(false);
    let outcome = send(
        &plan,
        &transport,
        &token(),
        &options(true),
        &Recorder::default(),
        &|p| {
            if matches!(p.stage, Stage::Finished { .. }) {
                cancel.store(true, Ordering::Relaxed);
            }
        },
        &cancel,
    );
    assert_eq!(transport.posted().len(), 1);
    assert!(outcome.cancelled);
    assert_eq!(
        results(&outcome),
        [
            EventResult::Processed,
            EventResult::NotSent,
            EventResult::NotSent
        ]
    );
    assert!(
        outcome.events[2]
            .error_message
            .as_deref()
            .unwrap()
            .contains("cancelled")
    );
    assert!(outcome.text_report().contains("cancelled"));
}

#[test]
fn cancelling_during_a_retry_wait_stops_retrying() {
    let plan = Plan::new(&inspections(&[false]), false);
    let transport = Scripted::new(vec![json_response(
        500,
        &json!({"code": 1, "message": "x"}),
    )]);
    let sleeper = Recorder {
        cancel_on_wait: true,
        ..Recorder::default()
    };
    let (outcome, _) = run(&plan, &transport, &sleeper);
    assert_eq!(transport.posted().len(), 1);
    assert!(outcome.cancelled);
    assert_eq!(results(&outcome), [EventResult::Unknown]);
    assert!(
        outcome.requests[0]
            .message
            .as_deref()
            .unwrap()
            .contains("cancelled before retrying")
    );
}

#[test]
fn nothing_to_send_makes_no_request() {
    let plan = Plan::new(&inspections(&[true, true]), false);
    let transport = Scripted::new(Vec::new());
    let (outcome, progress) = run(&plan, &transport, &Recorder::default());
    assert!(transport.posted().is_empty());
    assert_eq!(results(&outcome), [EventResult::NotSent; 2]);
    assert!(!outcome.all_processed());
    assert_eq!(progress.len(), 1);
}

#[test]
fn a_token_echoed_by_a_server_is_removed() {
    let plan = Plan::new(&inspections(&[false]), false);
    let echo = format!("<html>Authorization: Bearer {FAKE_TOKEN}</html>");
    let transport = Scripted::new(vec![Ok(HttpResponse {
        status: 400,
        content_type: Some("text/plain".to_owned()),
        body: echo.into_bytes(),
        ..HttpResponse::default()
    })]);
    let (outcome, _) = run(&plan, &transport, &Recorder::default());
    let everything = format!("{}{}{:?}", outcome.report(), outcome.text_report(), outcome);
    assert!(!everything.contains(FAKE_TOKEN));
    assert!(
        outcome.requests[0]
            .response_body
            .as_deref()
            .unwrap()
            .contains("Bearer ***")
    );
}

#[test]
fn the_report_has_exactly_the_contract_keys() {
    let plan = Plan::new(&inspections(&[false, true]), false);
    let transport = Scripted::new(vec![json_response(200, &processed(1))]);
    let (outcome, _) = run(&plan, &transport, &Recorder::default());
    let report = outcome.report();
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&report), ["test", "requests", "events", "summary"]);
    assert_eq!(
        keys(&report["requests"][0]),
        ["url", "http_status", "num_events", "message", "duration_ms"]
    );
    assert_eq!(
        keys(&report["events"][0]),
        [
            "index",
            "event_id",
            "request",
            "result",
            "error_message",
            "warning_message"
        ]
    );
    assert_eq!(
        report["summary"],
        json!({"events": 2, "sent": 1, "processed": 1, "failed": 0, "not_sent": 1, "unknown": 0})
    );
    assert_eq!(report["test"], true);
    assert_eq!(
        report["requests"][0]["url"],
        "https://api.pinterest.com/v5/ad_accounts/549755885175/events?test=true"
    );
    assert_eq!(report["events"][0]["event_id"], "e-0");
    assert_eq!(report["events"][1]["event_id"], Value::Null);
    assert_eq!(report["events"][1]["result"], "not_sent");
    let text = outcome.text_report();
    assert!(text.starts_with("TEST MODE"), "{text}");
    assert!(text.contains("#0 e-0: processed [request 1]"), "{text}");
}

#[test]
fn unsent_outcomes_say_why() {
    let plan = Plan::new(&inspections(&[false, true]), false);
    let outcome = SendOutcome::unsent(&plan, true, "SSL_CERT_FILE=x cannot be read");
    assert_eq!(results(&outcome), [EventResult::NotSent; 2]);
    assert_eq!(
        outcome.events[0].error_message.as_deref(),
        Some("not sent: SSL_CERT_FILE=x cannot be read")
    );
    assert!(outcome.requests.is_empty());
    assert_eq!(outcome.event(1).unwrap().index, 1);
}

#[test]
fn long_bodies_are_cut_for_the_log() {
    assert_eq!(truncate_for_log("short", 10), "short");
    let cut = truncate_for_log("ééééé", 3);
    assert_eq!(cut, "é… [8 more bytes not shown]");
}

#[test]
fn a_send_that_sends_nothing_does_not_claim_a_verdict() {
    let plan = Plan::new(&inspections(&[true, true]), false);
    let (outcome, _) = run(&plan, &Scripted::new(Vec::new()), &Recorder::default());
    let text = outcome.text_report();
    assert!(
        text.starts_with("TEST MODE (?test=true): no request was made; nothing was sent\n"),
        "{text}"
    );
    assert!(!text.contains("validated"), "{text}");
    assert!(text.ends_with("2 events: 0 sent, 0 processed, 0 failed, 2 not sent, 0 unknown\n"));

    let sent = Plan::new(&inspections(&[false]), false);
    let (outcome, _) = run(
        &sent,
        &Scripted::new(vec![json_response(200, &processed(1))]),
        &Recorder::default(),
    );
    let text = outcome.text_report();
    assert!(
        text.starts_with("TEST MODE (?test=true): Pinterest checks"),
        "{text}"
    );
    assert!(text.contains(", 1 event, "), "{text}");
    assert!(text.contains("\n1 event: 1 sent, 1 processed, "), "{text}");
}

#[test]
fn a_timeout_says_how_many_attempts_and_how_long_in_all() {
    let plan = Plan::new(&inspections(&[false]), false);
    let timeout = || {
        Err(TransportError::Timeout {
            host: "api.pinterest.com:443".to_owned(),
            limit: Duration::from_mins(1),
        })
    };
    let transport = Scripted::new(vec![timeout(), timeout(), timeout()]);
    let (outcome, _) = run(&plan, &transport, &Recorder::default());
    assert_eq!(results(&outcome), [EventResult::Unknown]);
    let message = outcome.requests[0].message.as_deref().unwrap();
    assert!(
        message.contains("within 60 s (the time limit of one attempt)"),
        "{message}"
    );
    assert!(message.contains("(gave up after 3 attempts, "), "{message}");
    assert!(message.ends_with(" in all)"), "{message}");
}

#[test]
fn a_422_that_cannot_be_mapped_does_not_point_at_per_event_reasons() {
    let plan = Plan::new(&inspections(&[false, false]), false);
    let body = json!({"code": 2, "message": "Some data invalid",
        "details": {"num_events_received": 2, "events": [{"status": "failed"}]}});
    let (outcome, _) = run(
        &plan,
        &Scripted::new(vec![json_response(422, &body)]),
        &Recorder::default(),
    );
    assert_eq!(results(&outcome), [EventResult::Unknown; 2]);
    let message = outcome.requests[0].message.as_deref().unwrap();
    assert!(message.contains("cannot map the answer"), "{message}");
    assert!(!message.contains("Each event shows"), "{message}");
}

#[test]
fn the_token_inside_the_events_is_hidden_in_everything_shown() {
    let event = SourceEvent::new(
        "t",
        0,
        json!({"event_name": "purchase", "id": "O-1", "value": 10, "currency": "EUR",
            "search_term": FAKE_TOKEN,
            "items": [{"id": "A", "quantity": 1, "product": {"price": 10}}],
            "user": {"email": "jane.doe@example.com"},
            "context": {"event_id": FAKE_TOKEN, "event_timestamp": 1_744_955_619_974_i64}}),
    );
    let plan = Plan::new(&inspect_all(&[event], &Mapping::default(), NOW), true);
    assert!(
        plan.batches()[0].body().contains(FAKE_TOKEN),
        "sent as it is"
    );
    let transport = Scripted::new(vec![json_response(200, &processed(1))]);
    let (outcome, _) = run(&plan, &transport, &Recorder::default());
    assert!(transport.posted()[0].1.contains(FAKE_TOKEN));
    let everything = format!("{}{}{:?}", outcome.report(), outcome.text_report(), outcome);
    assert!(!everything.contains(FAKE_TOKEN), "{everything}");
    assert!(
        outcome.requests[0]
            .request_body
            .contains("\"search_string\":\"***\"")
    );
    assert_eq!(outcome.events[0].event_id.as_deref(), Some("***"));
}

#[test]
fn a_long_retry_after_on_a_second_attempt_says_both() {
    let plan = Plan::new(&inspections(&[false]), false);
    let limited = |after: &str| {
        Ok(HttpResponse {
            status: 429,
            retry_after: Some(after.to_owned()),
            body: br#"{"code": 8, "message": "rate limited"}"#.to_vec(),
            ..HttpResponse::default()
        })
    };
    let transport = Scripted::new(vec![limited("1"), limited("3600")]);
    let (outcome, _) = run(&plan, &transport, &Recorder::default());
    let message = outcome.requests[0].message.as_deref().unwrap();
    assert!(
        message.contains("longer than pinspect waits (60 s); send again later; 2 attempts, "),
        "{message}"
    );
    assert!(message.ends_with(" in all)"), "{message}");
}
