//! Sending against mock servers on 127.0.0.1 (mockito, a silent listener, a closed port and a
//! small HTTPS server with throwaway certificates): every answer Pinterest can give, every
//! network failure, the mapping of answers back to source events, batching, test mode, and
//! that the token never leaks. No test sleeps for real: retry waits go through a recorder.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mockito::{Matcher, Server, ServerGuard};
use pinspect::core::config::to_config_text;
use pinspect::core::event::SourceEvent;
use pinspect::core::inspect::{Inspection, inspect_all};
use pinspect::core::mapping::Mapping;
use pinspect::core::send::{
    self, AccessToken, Endpoint, EndpointError, EventResult, HttpConfig, HttpTransport, Plan,
    SendOptions, SendOutcome, Sleeper, TlsFailure, TransportError,
};
use serde_json::{Value, json};

use crate::support::{stdout_json, test_file};

const NOW: i64 = 1_744_956_000;
const ACCOUNT: &str = "549755885175";
const PATH: &str = "/ad_accounts/549755885175/events";

/// A fake token that must never show up anywhere but in the Authorization header.
const FAKE_TOKEN: &str = "pina_FAKE_integration_token_5c4b3a2910zz";

fn clean(n: usize) -> Value {
    json!({"event_name": "purchase", "id": format!("O-{n}"), "value": 10, "currency": "EUR",
        "items": [{"id": "A", "quantity": 1, "product": {"price": 10}}],
        "user": {"email": "jane.doe@example.com"},
        "context": {"event_id": format!("e-{n}"), "event_timestamp": 1_744_955_619_974_i64}})
}

/// No event id and no identity: error diagnostics, still a payload.
fn broken() -> Value {
    json!({"event_name": "purchase", "context": {"event_timestamp": 1_744_955_619_974_i64}})
}

fn inspect(bodies: Vec<Value>) -> Vec<Inspection> {
    let events: Vec<SourceEvent> = bodies
        .into_iter()
        .enumerate()
        .map(|(n, body)| SourceEvent::new("test", n, body))
        .collect();
    inspect_all(&events, &Mapping::default(), NOW)
}

fn clean_events(count: usize) -> Vec<Inspection> {
    inspect((0..count).map(clean).collect())
}

fn token() -> AccessToken {
    AccessToken::new(FAKE_TOKEN).expect("the fake token is well formed")
}

/// Records retry waits instead of sleeping.
#[derive(Default)]
struct Recorder(Mutex<Vec<Duration>>);

impl Sleeper for Recorder {
    fn sleep(&self, delay: Duration, _cancel: &AtomicBool) {
        self.0.lock().expect("recorder lock").push(delay);
    }
}

impl Recorder {
    fn waits(&self) -> Vec<Duration> {
        self.0.lock().expect("recorder lock").clone()
    }
}

/// Sends `plan` to `base` with a real HTTP client, asserting that nothing panicked.
fn send_to(base: &str, plan: &Plan, config: HttpConfig, sleeper: &Recorder) -> SendOutcome {
    let endpoint = Endpoint::new(base, ACCOUNT, true).expect("valid endpoint");
    let transport = HttpTransport::new(config.for_endpoint(&endpoint)).expect("client builds");
    let options = SendOptions::new(endpoint);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        send::send(
            plan,
            &transport,
            &token(),
            &options,
            sleeper,
            &|_| {},
            &AtomicBool::new(false),
        )
    }));
    let outcome = result.expect("sending never panics");
    let everything = format!("{outcome:?}{}{}", outcome.report(), outcome.text_report());
    assert!(!everything.contains(FAKE_TOKEN), "the token leaked");
    outcome
}

fn quick() -> HttpConfig {
    HttpConfig {
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_secs(20),
        ..HttpConfig::default()
    }
}

/// A mock of the events endpoint in test mode with the right headers.
fn events_mock(server: &mut ServerGuard) -> mockito::Mock {
    server
        .mock("POST", PATH)
        .match_query(Matcher::UrlEncoded("test".into(), "true".into()))
        .match_header("authorization", format!("Bearer {FAKE_TOKEN}").as_str())
        .match_header("content-type", "application/json")
}

fn results(outcome: &SendOutcome) -> Vec<EventResult> {
    outcome.events.iter().map(|e| e.result).collect()
}

fn message(outcome: &SendOutcome) -> String {
    outcome.requests[0].message.clone().unwrap_or_default()
}

/// `{"num_events_received": n, …}` with every event processed, n read from the request.
fn all_processed(request: &mockito::Request) -> Vec<u8> {
    let body: Value = serde_json::from_slice(request.body().expect("body")).expect("JSON body");
    let n = body["data"].as_array().expect("data array").len();
    json!({"num_events_received": n, "num_events_processed": n,
        "events": vec![json!({"status": "processed", "error_message": "", "warning_message": ""}); n]})
    .to_string()
    .into_bytes()
}

fn error_body(code: i64, text: &str) -> String {
    json!({"code": code, "message": text}).to_string()
}

#[test]
fn status_200_all_processed() {
    let mut server = Server::new();
    let mock = events_mock(&mut server)
        .with_status(200)
        .with_header("content-type", "application/json")
        .with_body_from_request(all_processed)
        .expect(1)
        .create();
    let plan = Plan::new(&clean_events(3), false);
    let outcome = send_to(&server.url(), &plan, quick(), &Recorder::default());
    mock.assert();
    assert_eq!(results(&outcome), [EventResult::Processed; 3]);
    assert!(outcome.all_processed());
    assert_eq!(outcome.requests[0].http_status, Some(200));
    assert_eq!(outcome.requests[0].message, None);
    assert_eq!(outcome.requests[0].processed, Some(3));
    let report = outcome.report();
    assert_eq!(report["summary"]["processed"], 3);
    assert_eq!(report["summary"]["sent"], 3);
}

#[test]
fn status_200_with_per_event_errors_and_warnings() {
    let mut server = Server::new();
    events_mock(&mut server)
        .with_status(200)
        .with_body(
            json!({"num_events_received": 3, "num_events_processed": 2, "events": [
                {"status": "processed", "error_message": "", "warning_message": "Unknown field 'x'"},
                {"status": "failed", "error_message": "Invalid user_data.em", "warning_message": null},
                {"status": "processed", "error_message": null, "warning_message": ""}]})
            .to_string(),
        )
        .create();
    let plan = Plan::new(&clean_events(3), false);
    let outcome = send_to(&server.url(), &plan, quick(), &Recorder::default());
    assert_eq!(
        results(&outcome),
        [
            EventResult::Processed,
            EventResult::Failed,
            EventResult::Processed
        ]
    );
    assert_eq!(
        outcome.events[0].warning_message.as_deref(),
        Some("Unknown field 'x'")
    );
    assert_eq!(
        outcome.events[1].error_message.as_deref(),
        Some("Invalid user_data.em")
    );
    assert_eq!(outcome.events[2].warning_message, None);
    assert!(
        message(&outcome).contains("processed 2 of 3 events"),
        "{}",
        message(&outcome)
    );
    assert!(!outcome.all_processed());
}

#[test]
fn status_422_detailed_per_event() {
    let mut server = Server::new();
    events_mock(&mut server)
        .with_status(422)
        .with_body(
            json!({"code": 953, "message": "Some data invalid", "details": {
                "num_events_received": 2, "num_events_processed": 1, "events": [
                {"status": "failed", "error_message": "Invalid event_timestamp parameter. Given timestamp is in the past.", "warning_message": ""},
                {"status": "processed", "error_message": "", "warning_message": ""}]}})
            .to_string(),
        )
        .create();
    let plan = Plan::new(&clean_events(2), false);
    let recorder = Recorder::default();
    let outcome = send_to(&server.url(), &plan, quick(), &recorder);
    assert!(recorder.waits().is_empty(), "422 is never retried");
    assert_eq!(
        results(&outcome),
        [EventResult::Failed, EventResult::Processed]
    );
    assert!(
        outcome.events[0]
            .error_message
            .as_deref()
            .is_some_and(|m| m.starts_with("Invalid event_timestamp"))
    );
    let text = message(&outcome);
    assert!(
        text.contains("HTTP 422") && text.contains("Some data invalid"),
        "{text}"
    );
    assert_eq!(outcome.report()["requests"][0]["http_status"], 422);
}

/// A request-level error: one message on the request, every event `failed`, no retry.
fn request_level(status: usize, body: &str, phrases: &[&str]) {
    let mut server = Server::new();
    let mock = events_mock(&mut server)
        .with_status(status)
        .with_body(body)
        .expect(1)
        .create();
    let plan = Plan::new(&clean_events(2), false);
    let recorder = Recorder::default();
    let outcome = send_to(&server.url(), &plan, quick(), &recorder);
    mock.assert();
    assert!(
        recorder.waits().is_empty(),
        "HTTP {status} is never retried"
    );
    assert_eq!(results(&outcome), [EventResult::Failed; 2], "HTTP {status}");
    assert!(outcome.events.iter().all(|e| e.error_message.is_none()));
    let text = message(&outcome);
    for phrase in phrases {
        assert!(
            text.contains(phrase),
            "HTTP {status}: {phrase:?} missing in {text}"
        );
    }
    let report = outcome.report();
    assert_eq!(report["summary"]["failed"], 2);
    assert_eq!(report["summary"]["processed"], 0);
}

#[test]
fn status_400_says_the_body_is_malformed() {
    request_level(
        400,
        &error_body(4196, "The request was invalid."),
        &["HTTP 400", "The request was invalid.", "pinspect check"],
    );
}

#[test]
fn status_401_says_the_token_is_wrong() {
    request_level(
        401,
        &error_body(2, "Authentication failed."),
        &[
            "HTTP 401",
            "expired",
            "Generate a new conversion access token",
        ],
    );
}

#[test]
fn status_403_names_the_ad_account() {
    request_level(
        403,
        &error_body(29, "You are not permitted to access that resource."),
        &["HTTP 403", "ad account 549755885175", "Admin, Analyst"],
    );
}

#[test]
fn status_404_says_to_check_the_account_and_base() {
    request_level(
        404,
        &error_body(404, "Not found"),
        &["HTTP 404", "ad account 549755885175", "PINSPECT_API_BASE"],
    );
}

#[test]
fn status_429_then_200_honours_retry_after() {
    let mut server = Server::new();
    let limited = events_mock(&mut server)
        .with_status(429)
        .with_header("retry-after", "3")
        .with_body(error_body(8, "Rate limit exceeded"))
        .expect(1)
        .create();
    let ok = events_mock(&mut server)
        .with_status(200)
        .with_body_from_request(all_processed)
        .expect(1)
        .create();
    let plan = Plan::new(&clean_events(2), false);
    let recorder = Recorder::default();
    let outcome = send_to(&server.url(), &plan, quick(), &recorder);
    limited.assert();
    ok.assert();
    assert_eq!(recorder.waits(), [Duration::from_secs(3)]);
    assert_eq!(results(&outcome), [EventResult::Processed; 2]);
    let attempts = &outcome.requests[0].attempts;
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[0].http_status, Some(429));
    assert_eq!(attempts[0].wait_before_next, Some(Duration::from_secs(3)));
    assert_eq!(outcome.requests[0].http_status, Some(200));
}

#[test]
fn status_503_is_retried_then_reported() {
    let mut server = Server::new();
    let mock = events_mock(&mut server)
        .with_status(503)
        .with_body(error_body(
            4197,
            "The endpoint has been ramped down and is currently not accepting any traffic.",
        ))
        .expect(3)
        .create();
    let plan = Plan::new(&clean_events(1), false);
    let recorder = Recorder::default();
    let outcome = send_to(&server.url(), &plan, quick(), &recorder);
    mock.assert();
    assert_eq!(
        recorder.waits(),
        [Duration::from_secs(1), Duration::from_secs(2)]
    );
    assert_eq!(results(&outcome), [EventResult::Failed]);
    let text = message(&outcome);
    assert!(
        text.contains("HTTP 503") && text.contains("try again later"),
        "{text}"
    );
    assert!(text.contains("gave up after 3 attempts"), "{text}");
}

#[test]
fn a_timeout_is_retried_and_leaves_the_events_unknown() {
    // Accepts connections (the kernel completes them) but never answers.
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", silent.local_addr().expect("address"));
    let plan = Plan::new(&clean_events(2), false);
    let config = HttpConfig {
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_millis(300),
        ..HttpConfig::default()
    };
    let recorder = Recorder::default();
    let outcome = send_to(&base, &plan, config, &recorder);
    assert_eq!(recorder.waits().len(), 2, "timeouts are retried, boundedly");
    assert_eq!(outcome.requests[0].attempts.len(), 3);
    assert_eq!(results(&outcome), [EventResult::Unknown; 2]);
    assert_eq!(outcome.requests[0].http_status, None);
    let text = message(&outcome);
    assert!(
        text.contains("no answer from") && text.contains("within 0.3 s"),
        "{text}"
    );
    assert!(text.contains("may or may not have been recorded"), "{text}");
    assert_eq!(outcome.summary().unknown, 2);
    drop(silent);
}

#[test]
fn a_cancel_abandons_the_request_on_the_wire_at_once() {
    // Accepts connections but never answers: without abandoning, the send would wait for the
    // 20 s time limit.
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", silent.local_addr().expect("address"));
    let plan = Plan::new(&clean_events(1_500), false);
    let endpoint = Endpoint::new(&base, ACCOUNT, true).expect("valid endpoint");
    let cancel = Arc::new(AtomicBool::new(false));
    let transport = HttpTransport::new(quick().for_endpoint(&endpoint))
        .expect("client builds")
        .with_cancel(Arc::clone(&cancel));
    let flag = Arc::clone(&cancel);
    let canceller = std::thread::Builder::new()
        .name("test-cancel".to_owned())
        .spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            flag.store(true, Ordering::Relaxed);
        })
        .expect("thread starts");

    let started = std::time::Instant::now();
    let outcome = send::send(
        &plan,
        &transport,
        &token(),
        &SendOptions::new(endpoint),
        &Recorder::default(),
        &|_| {},
        &cancel,
    );
    let took = started.elapsed();
    canceller.join().expect("canceller ends");

    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(outcome.cancelled);
    assert_eq!(outcome.requests.len(), 1, "the second batch is never sent");
    // The abandoned request may have arrived; the events of the other batch were not sent.
    let summary = outcome.summary();
    assert_eq!(summary.unknown, 1_000);
    assert_eq!(summary.not_sent, 500);
    let text = message(&outcome);
    assert!(text.contains("cancelled while the request"), "{text}");
    drop(silent);
}

#[test]
fn a_refused_connection_sends_nothing() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let plan = Plan::new(&clean_events(2), false);
    let recorder = Recorder::default();
    let outcome = send_to(
        &format!("http://127.0.0.1:{port}"),
        &plan,
        quick(),
        &recorder,
    );
    assert!(
        recorder.waits().is_empty(),
        "a refused connection is not retried"
    );
    assert_eq!(results(&outcome), [EventResult::NotSent; 2]);
    assert_eq!(outcome.summary().sent, 0);
    let text = message(&outcome);
    assert!(text.contains("refused"), "{text}");
    assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
}

#[test]
fn an_html_body_is_not_read_as_an_answer() {
    let mut server = Server::new();
    events_mock(&mut server)
        .with_status(200)
        .with_header("content-type", "text/html")
        .with_body("<!DOCTYPE html><html><body>Please log in to the network</body></html>")
        .create();
    let plan = Plan::new(&clean_events(2), false);
    let outcome = send_to(&server.url(), &plan, quick(), &Recorder::default());
    assert_eq!(results(&outcome), [EventResult::Unknown; 2]);
    let text = message(&outcome);
    assert!(
        text.contains("HTML page") && text.contains("not Pinterest's JSON"),
        "{text}"
    );
    assert!(
        outcome.requests[0]
            .response_body
            .as_deref()
            .is_some_and(|b| b.contains("Please log in"))
    );
}

#[test]
fn an_oversized_body_is_cut_and_not_trusted() {
    let mut server = Server::new();
    events_mock(&mut server)
        .with_status(200)
        .with_body_from_request(all_processed)
        .create();
    let plan = Plan::new(&clean_events(2), false);
    let config = HttpConfig {
        max_response_bytes: 40,
        ..quick()
    };
    let outcome = send_to(&server.url(), &plan, config, &Recorder::default());
    assert_eq!(results(&outcome), [EventResult::Unknown; 2]);
    assert!(
        message(&outcome).contains("larger than 40 bytes"),
        "{}",
        message(&outcome)
    );
}

#[test]
fn a_mismatched_events_list_marks_every_event_unknown() {
    let mut server = Server::new();
    events_mock(&mut server)
        .with_status(200)
        .with_body(
            json!({"num_events_received": 3, "num_events_processed": 3,
                "events": [{"status": "processed"}, {"status": "processed"}]})
            .to_string(),
        )
        .create();
    let plan = Plan::new(&clean_events(3), false);
    let outcome = send_to(&server.url(), &plan, quick(), &Recorder::default());
    assert_eq!(results(&outcome), [EventResult::Unknown; 3]);
    assert!(message(&outcome).contains("cannot map the answer"));
    assert_eq!(outcome.report()["summary"]["processed"], 0);
}

#[test]
fn four_events_with_a_broken_second_map_back_through_the_request() {
    let mut server = Server::new();
    let mock = events_mock(&mut server)
        .match_request(|request| {
            let body: Value = serde_json::from_slice(request.body().expect("body")).expect("JSON");
            let ids: Vec<&str> = body["data"]
                .as_array()
                .map(|d| d.iter().filter_map(|e| e["event_id"].as_str()).collect())
                .unwrap_or_default();
            ids == ["e-0", "e-2", "e-3"]
        })
        .with_status(422)
        .with_body(
            json!({"code": 953, "message": "Some data invalid", "details": {
                "num_events_received": 3, "num_events_processed": 2, "events": [
                {"status": "processed", "error_message": "", "warning_message": ""},
                {"status": "failed", "error_message": "Invalid event_timestamp parameter", "warning_message": ""},
                {"status": "processed", "error_message": "", "warning_message": "Unknown field"}]}})
            .to_string(),
        )
        .expect(1)
        .create();
    let inspections = inspect(vec![clean(0), broken(), clean(2), clean(3)]);
    assert!(inspections[1].has_errors());
    let plan = Plan::new(&inspections, false);
    let outcome = send_to(&server.url(), &plan, quick(), &Recorder::default());
    mock.assert();

    assert_eq!(
        results(&outcome),
        [
            EventResult::Processed,
            EventResult::NotSent,
            EventResult::Failed,
            EventResult::Processed
        ]
    );
    let failed = &outcome.events[2];
    assert_eq!(failed.event_id.as_deref(), Some("e-2"));
    assert_eq!(
        failed.error_message.as_deref(),
        Some("Invalid event_timestamp parameter")
    );
    assert_eq!(
        outcome.events[3].warning_message.as_deref(),
        Some("Unknown field")
    );
    let not_sent = &outcome.events[1];
    assert_eq!(not_sent.request, None);
    assert!(
        not_sent
            .error_message
            .as_deref()
            .is_some_and(|m| m.starts_with("not sent: ")),
        "{not_sent:?}"
    );
    let report = outcome.report();
    assert_eq!(report["events"][1]["result"], "not_sent");
    assert_eq!(report["events"][2]["index"], 2);
    assert_eq!(report["events"][2]["request"], 0);
    assert_eq!(report["requests"][0]["num_events"], 3);
    assert_eq!(
        report["summary"],
        json!({"events": 4, "sent": 3, "processed": 2, "failed": 1, "not_sent": 1, "unknown": 0})
    );
}

#[test]
fn an_empty_advertiser_id_makes_no_request() {
    let mut server = Server::new();
    let any = server.mock("POST", Matcher::Any).expect(0).create();

    for id in ["", "   ", "549-755-885175", "549 755 885175"] {
        let err = Endpoint::new(&server.url(), id, true).expect_err("invalid id");
        assert!(matches!(err, EndpointError::AdvertiserId(_)), "{err}");
        assert!(err.to_string().contains("advertiser id"), "{err}");
    }

    let events = write_events(&[clean(0)]);
    let output = cli(
        &["send", "--now", &NOW.to_string(), &events.path_str()],
        &server.url(),
        Some(FAKE_TOKEN),
    );
    any.assert();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("the advertiser id is empty"), "{stderr}");
    assert!(stderr.contains("nothing was sent"), "{stderr}");
}

#[test]
fn a_thousand_and_one_events_make_two_test_requests() {
    let mut server = Server::new();
    let sizes = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&sizes);
    let mock = events_mock(&mut server)
        .with_status(200)
        .with_body_from_request(move |request| {
            let body = all_processed(request);
            let answer: Value = serde_json::from_slice(&body).expect("JSON");
            seen.lock()
                .expect("lock")
                .push(answer["num_events_received"].as_u64().unwrap_or(0));
            body
        })
        .expect(2)
        .create();
    let plan = Plan::new(&clean_events(1001), false);
    let outcome = send_to(&server.url(), &plan, quick(), &Recorder::default());
    mock.assert();
    assert_eq!(*sizes.lock().expect("lock"), [1000, 1]);
    assert_eq!(outcome.requests.len(), 2);
    assert!(
        outcome
            .requests
            .iter()
            .all(|r| r.url.ends_with("?test=true"))
    );
    assert!(outcome.all_processed());
    assert_eq!(outcome.events[1000].request, Some(1));
}

#[test]
fn the_cli_sends_two_batches_in_test_mode_and_live_only_with_live() {
    let events = write_events(&(0..1001).map(clean).collect::<Vec<_>>());
    let args = |extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = ["send", "--format", "json", "--advertiser-id", ACCOUNT]
            .map(str::to_owned)
            .to_vec();
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        args.extend(["--now".to_owned(), NOW.to_string(), events.path_str()]);
        args
    };

    let mut server = Server::new();
    let test_mode = events_mock(&mut server)
        .with_status(200)
        .with_body_from_request(all_processed)
        .expect(2)
        .create();
    let args_test = args(&[]);
    let output = cli(
        &args_test.iter().map(String::as_str).collect::<Vec<_>>(),
        &server.url(),
        Some(FAKE_TOKEN),
    );
    test_mode.assert();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = stdout_json(&output);
    assert_eq!(report["test"], true);
    assert_eq!(report["requests"][0]["num_events"], 1000);
    assert_eq!(report["requests"][1]["num_events"], 1);
    assert_eq!(report["summary"]["processed"], 1001);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("test mode"), "{stderr}");
    assert!(stderr.contains("request 2/2: HTTP 200"), "{stderr}");

    let mut live_server = Server::new();
    let live = live_server
        .mock("POST", PATH)
        .match_request(|request| !request.path_and_query().contains('?'))
        .with_status(200)
        .with_body_from_request(all_processed)
        .expect(2)
        .create();
    let args_live = args(&["--live"]);
    let output = cli(
        &args_live.iter().map(String::as_str).collect::<Vec<_>>(),
        &live_server.url(),
        Some(FAKE_TOKEN),
    );
    live.assert();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout_json(&output)["test"], false);
    assert!(String::from_utf8_lossy(&output.stderr).contains("LIVE"));
}

#[test]
fn the_cli_exits_one_when_an_event_is_not_processed() {
    let mut server = Server::new();
    events_mock(&mut server)
        .with_status(200)
        .with_body_from_request(all_processed)
        .create();
    let events = write_events(&[clean(0), broken()]);
    let output = cli(
        &[
            "send",
            "--advertiser-id",
            ACCOUNT,
            "--now",
            &NOW.to_string(),
            &events.path_str(),
        ],
        &server.url(),
        Some(FAKE_TOKEN),
    );
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("#0 e-0: processed"), "{stdout}");
    assert!(
        stdout.contains("#1 (no event_id): not_sent — not sent: "),
        "{stdout}"
    );
}

#[test]
fn the_cli_needs_the_token_from_the_environment() {
    let mut server = Server::new();
    let any = server.mock("POST", Matcher::Any).expect(0).create();
    let events = write_events(&[clean(0)]);
    let output = cli(
        &["send", "--advertiser-id", ACCOUNT, &events.path_str()],
        &server.url(),
        None,
    );
    any.assert();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("PINTEREST_ACCESS_TOKEN is not set"),
        "{stderr}"
    );

    let refused = cli(
        &["send", "--token", FAKE_TOKEN, &events.path_str()],
        &server.url(),
        None,
    );
    assert_eq!(refused.status.code(), Some(2), "no --token option exists");
}

#[test]
fn the_cli_prints_curl_with_the_variable_instead_of_the_token() {
    let mut server = Server::new();
    let any = server.mock("POST", Matcher::Any).expect(0).create();
    let events = write_events(&[clean(0)]);
    let output = cli(
        &[
            "send",
            "--curl",
            "--advertiser-id",
            ACCOUNT,
            "--now",
            &NOW.to_string(),
            &events.path_str(),
        ],
        &server.url(),
        Some(FAKE_TOKEN),
    );
    any.assert();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("--header \"Authorization: Bearer $PINTEREST_ACCESS_TOKEN\""),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{}{PATH}?test=true", server.url())),
        "{stdout}"
    );
    assert!(!stdout.contains(FAKE_TOKEN));

    // Events left out of the commands: status 1, as `map` has; no token needed.
    let mixed = write_events(&[clean(0), broken()]);
    let output = cli(
        &[
            "send",
            "--curl",
            "--advertiser-id",
            ACCOUNT,
            "--now",
            &NOW.to_string(),
            &mixed.path_str(),
        ],
        &server.url(),
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("curl"));
}

#[test]
fn the_token_leaks_nowhere() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut server = Server::new();
    // A hostile proxy page that echoes the request headers back.
    events_mock(&mut server)
        .with_status(400)
        .with_header("content-type", "text/html")
        .with_body_from_request(|request| {
            let auth = request
                .header("authorization")
                .first()
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            format!("<html><pre>Authorization: {auth}</pre></html>").into_bytes()
        })
        .create();
    let events = write_events(&[clean(0), clean(1)]);
    for format in ["json", "text"] {
        let output = Command::new(env!("CARGO_BIN_EXE_pinspect"))
            .args([
                "send",
                "--format",
                format,
                "--advertiser-id",
                ACCOUNT,
                "--now",
                &NOW.to_string(),
                &events.path_str(),
            ])
            .current_dir(home.path())
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env("RUST_LOG", "trace")
            .env("PINSPECT_API_BASE", server.url())
            .env("PINTEREST_ACCESS_TOKEN", FAKE_TOKEN)
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env_remove("SSL_CERT_FILE")
            .output()
            .expect("pinspect runs");
        assert_eq!(output.status.code(), Some(1));
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stdout.contains("HTTP 400"), "{stdout}");
        assert!(stderr.lines().count() > 3, "trace logging is on: {stderr}");
        assert!(!stdout.contains(FAKE_TOKEN), "token on stdout");
        assert!(
            !stderr.contains(FAKE_TOKEN),
            "token in a log line or message"
        );
    }
    assert_no_file_contains(home.path(), FAKE_TOKEN);

    // The request log and every other output of the core, and an exported config.
    let plan = Plan::new(&clean_events(1), false);
    let outcome = send_to(&server.url(), &plan, quick(), &Recorder::default());
    let log = format!("{:?}", outcome.requests);
    assert!(
        log.contains("Bearer ***"),
        "the echo is kept, redacted: {log}"
    );
    assert!(!log.contains(FAKE_TOKEN));
    let mut mapping = Mapping::default();
    mapping.settings.advertiser_id = ACCOUNT.to_owned();
    assert!(!to_config_text(&mapping).contains(FAKE_TOKEN));
    assert!(!format!("{:?}", token()).contains(FAKE_TOKEN));
}

#[test]
fn an_unknown_certificate_authority_is_a_tls_message_and_not_retried() {
    let server = TlsServer::start();
    let plan = Plan::new(&clean_events(2), false);
    let config = HttpConfig {
        ca_file: Some(test_file("data/tls/other-ca.pem")),
        ..quick()
    };
    let recorder = Recorder::default();
    let outcome = send_to(&server.base(), &plan, config, &recorder);
    assert!(recorder.waits().is_empty(), "TLS failures are not retried");
    assert_eq!(server.connections(), 1);
    assert_eq!(results(&outcome), [EventResult::NotSent; 2]);
    let text = message(&outcome);
    assert!(text.contains("unknown certificate authority"), "{text}");
    assert!(text.contains("SSL_CERT_FILE"), "{text}");
    assert!(text.contains("not Pinterest's verdict"), "{text}");

    let endpoint = Endpoint::new(&server.base(), ACCOUNT, true).expect("endpoint");
    let transport = HttpTransport::new(
        HttpConfig {
            ca_file: Some(test_file("data/tls/other-ca.pem")),
            ..quick()
        }
        .for_endpoint(&endpoint),
    )
    .expect("client");
    let err =
        pinspect::core::send::Transport::post_json(&transport, &endpoint.url(), &token(), b"{}")
            .expect_err("untrusted");
    assert!(
        matches!(
            err,
            TransportError::Tls {
                kind: TlsFailure::UnknownIssuer,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn ssl_cert_file_makes_a_private_ca_trusted() {
    let server = TlsServer::start();
    let events = write_events(&[clean(0)]);
    let output = Command::new(env!("CARGO_BIN_EXE_pinspect"))
        .args([
            "send",
            "--format",
            "json",
            "--advertiser-id",
            ACCOUNT,
            "--now",
            &NOW.to_string(),
            &events.path_str(),
        ])
        .env("PINSPECT_API_BASE", server.base())
        .env("PINTEREST_ACCESS_TOKEN", FAKE_TOKEN)
        .env("SSL_CERT_FILE", test_file("data/tls/ca.pem"))
        .env("NO_PROXY", "127.0.0.1,localhost")
        .output()
        .expect("pinspect runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = stdout_json(&output);
    assert_eq!(report["summary"]["processed"], 1);
    assert!(
        report["requests"][0]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://127.0.0.1:"))
    );
}

// ---- helpers: event files, the CLI, the HTTPS server ----

/// A temporary NDJSON file of events.
struct EventsFile {
    _folder: tempfile::TempDir,
    path: std::path::PathBuf,
}

impl EventsFile {
    fn path_str(&self) -> String {
        self.path.display().to_string()
    }
}

fn write_events(events: &[Value]) -> EventsFile {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("events.ndjson");
    let lines: Vec<String> = events.iter().map(Value::to_string).collect();
    let text = lines.join("\n") + "\n";
    std::fs::write(&path, text).expect("write events");
    EventsFile {
        _folder: folder,
        path,
    }
}

/// Runs `pinspect` against `base`, with the token in the environment when given.
fn cli(args: &[&str], base: &str, token: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pinspect"));
    command
        .args(args)
        .env("PINSPECT_API_BASE", base)
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env_remove("SSL_CERT_FILE")
        .env_remove("PINTEREST_ACCESS_TOKEN");
    if let Some(token) = token {
        command.env("PINTEREST_ACCESS_TOKEN", token);
    }
    let output = command.output().expect("pinspect runs");
    for stream in [&output.stdout, &output.stderr] {
        assert!(
            !String::from_utf8_lossy(stream).contains(FAKE_TOKEN),
            "the token leaked into the output"
        );
    }
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("panicked"),
        "pinspect panicked"
    );
    output
}

fn assert_no_file_contains(folder: &Path, secret: &str) {
    for entry in std::fs::read_dir(folder).expect("readable folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            assert_no_file_contains(&path, secret);
        } else {
            let bytes = std::fs::read(&path).expect("readable file");
            assert!(
                !String::from_utf8_lossy(&bytes).contains(secret),
                "{} holds the token",
                path.display()
            );
        }
    }
}

/// A small HTTPS server on 127.0.0.1 with the throwaway certificate of `tests/data/tls`,
/// answering every request with "all processed". It counts the connections it accepts.
struct TlsServer {
    port: u16,
    connections: Arc<AtomicUsize>,
}

impl TlsServer {
    fn start() -> Self {
        use rustls::pki_types::pem::PemObject as _;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};

        let certs = CertificateDer::pem_file_iter(test_file("data/tls/server.pem"))
            .expect("server.pem")
            .collect::<Result<Vec<_>, _>>()
            .expect("certificates");
        let key = PrivateKeyDer::from_pem_file(test_file("data/tls/server.key")).expect("key");
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("protocols")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server config");
        let config = Arc::new(config);

        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&connections);
        std::thread::Builder::new()
            .name("tls-mock".to_owned())
            .spawn(move || {
                for stream in listener.incoming() {
                    let Ok(stream) = stream else { continue };
                    counter.fetch_add(1, Ordering::SeqCst);
                    let Ok(connection) = rustls::ServerConnection::new(Arc::clone(&config)) else {
                        continue;
                    };
                    let tls = rustls::StreamOwned::new(connection, stream);
                    let _ = answer_one(tls);
                }
            })
            .expect("server thread");
        Self { port, connections }
    }

    fn base(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Reads one HTTP/1.1 request and answers it with every event processed.
fn answer_one(
    tls: rustls::StreamOwned<rustls::ServerConnection, std::net::TcpStream>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(tls);
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let request: Value = serde_json::from_slice(&body).unwrap_or_default();
    let n = request["data"].as_array().map_or(0, Vec::len);
    let answer = json!({"num_events_received": n, "num_events_processed": n,
        "events": vec![json!({"status": "processed"}); n]})
    .to_string();
    let mut tls = reader.into_inner();
    write!(
        tls,
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
        answer.len()
    )?;
    tls.flush()?;
    tls.conn.send_close_notify();
    tls.flush()
}

#[test]
fn an_empty_api_base_is_an_error_not_production() {
    // No token either: if the base were taken for production, the command would still stop
    // before any request, with another message.
    let events = write_events(&[clean(0)]);
    for base in ["", "  "] {
        let output = cli(
            &["send", "--advertiser-id", ACCOUNT, &events.path_str()],
            base,
            None,
        );
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(
                "PINSPECT_API_BASE is set but empty; unset it to use https://api.pinterest.com/v5"
            ),
            "{stderr}"
        );
    }
}

#[test]
fn the_token_inside_events_never_shows_in_the_cli() {
    let mut leaky = clean(0);
    leaky["search_term"] = json!(FAKE_TOKEN);
    let events = write_events(&[leaky, clean(1)]);
    let mut server = Server::new();
    let mock = events_mock(&mut server)
        .with_status(200)
        .with_body_from_request(all_processed)
        .expect(2)
        .create();
    // `cli` fails the test if the token shows on stdout or stderr.
    let output = cli(
        &[
            "send",
            "--format",
            "json",
            "--advertiser-id",
            ACCOUNT,
            "--now",
            &NOW.to_string(),
            &events.path_str(),
        ],
        &server.url(),
        Some(FAKE_TOKEN),
    );
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("the access token's value is in the payload of event #0;"),
        "{stderr}"
    );

    // With every log line on, the token's value still shows nowhere.
    let traced = Command::new(env!("CARGO_BIN_EXE_pinspect"))
        .args([
            "send",
            "--advertiser-id",
            ACCOUNT,
            "--now",
            &NOW.to_string(),
            &events.path_str(),
        ])
        .env("RUST_LOG", "trace")
        .env("PINSPECT_API_BASE", server.url())
        .env("PINTEREST_ACCESS_TOKEN", FAKE_TOKEN)
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env_remove("SSL_CERT_FILE")
        .output()
        .expect("pinspect runs");
    assert_eq!(traced.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&traced.stderr);
    assert!(stderr.lines().count() > 3, "trace logging is on: {stderr}");
    for stream in [&traced.stdout, &traced.stderr] {
        assert!(!String::from_utf8_lossy(stream).contains(FAKE_TOKEN));
    }
    mock.assert();

    let curl = cli(
        &[
            "send",
            "--curl",
            "--advertiser-id",
            ACCOUNT,
            "--now",
            &NOW.to_string(),
            &events.path_str(),
        ],
        &server.url(),
        Some(FAKE_TOKEN),
    );
    assert_eq!(curl.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&curl.stdout);
    assert!(stdout.contains("\"search_string\":\"***\""), "{stdout}");
}

#[test]
fn sending_nothing_says_so_once() {
    let events = write_events(&[broken()]);
    let mut server = Server::new();
    let any = server.mock("POST", Matcher::Any).expect(0).create();
    let output = cli(
        &[
            "send",
            "--advertiser-id",
            ACCOUNT,
            "--now",
            &NOW.to_string(),
            &events.path_str(),
        ],
        &server.url(),
        Some(FAKE_TOKEN),
    );
    any.assert();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("nothing to send: 0 of 1 event can be sent (--include-errors"),
        "{stderr}"
    );
    assert!(!stderr.contains("sending 0 of"), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("TEST MODE (?test=true): no request was made; nothing was sent"),
        "{stdout}"
    );
}
