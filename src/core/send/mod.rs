//! Sending events to the Pinterest Conversions API and tying its answer back to each event.
//!
//! # The flow
//!
//! 1. [`Plan::new`] takes the inspections (the same ones the preview shows) and cuts the
//!    payloads to send into batches of at most 1000 events. Each [`Batch`] keeps the input
//!    positions of its events, because Pinterest's `events[i]` is the i-th event *of that
//!    request*. Events that are not sent (errors, no payload) are listed with a reason.
//! 2. [`Endpoint::new`] validates the API base and the advertiser id; an empty, spaced or dashed
//!    id is an error and no request is ever made.
//! 3. [`send`] posts each batch through a [`Transport`], retries 429/5xx/timeouts within a
//!    [`RetryPolicy`] (waiting through a [`Sleeper`]), reads each answer, and returns a
//!    [`SendOutcome`]: one [`EventOutcome`] per input event, in input order, and one
//!    [`RequestRecord`] per request made (the request log).
//!
//! # Calling it from a user interface
//!
//! [`send`] blocks until every batch is done, so a window calls it on a named background
//! thread and keeps drawing:
//!
//! ```no_run
//! use std::sync::atomic::AtomicBool;
//! use std::sync::{Arc, Mutex};
//!
//! use pinspect::core::send::{
//!     self, AccessToken, Endpoint, HttpConfig, HttpTransport, Plan, Progress, SendOptions,
//!     ThreadSleeper,
//! };
//! # fn demo(inspections: Vec<pinspect::core::inspect::Inspection>, token: AccessToken)
//! #     -> Result<(), Box<dyn std::error::Error>> {
//! let plan = Plan::new(&inspections, false); // "N events in M requests" before sending
//! let endpoint = Endpoint::from_env("549755885175", true)?; // show the error, send nothing
//! let cancel = Arc::new(AtomicBool::new(false)); // a Cancel button stores true
//! let latest: Arc<Mutex<Option<Progress>>> = Arc::default(); // read each frame
//!
//! let (cancel_flag, progress_slot) = (Arc::clone(&cancel), Arc::clone(&latest));
//! let worker = std::thread::Builder::new().name("send".to_owned()).spawn(move || {
//!     let config = HttpConfig::from_env().for_endpoint(&endpoint);
//!     let options = SendOptions::new(endpoint);
//!     match HttpTransport::new(config) {
//!         Ok(transport) => send::send(
//!             &plan,
//!             &transport,
//!             &token,
//!             &options,
//!             &ThreadSleeper,
//!             &|p: &Progress| {
//!                 if let Ok(mut slot) = progress_slot.lock() {
//!                     *slot = Some(p.clone()); // and ask the window to repaint
//!                 }
//!             },
//!             &cancel_flag,
//!         ),
//!         Err(err) => send::SendOutcome::unsent(&plan, options.endpoint.is_test(), &err.to_string()),
//!     }
//! })?;
//! let outcome = worker.join().map_err(|_| "the send thread panicked")?;
//! for event in &outcome.events {
//!     // event.index is the input position: put event.result on that row of the list, and
//!     // outcome.request_of(event) gives the request (URL, status, message, bodies).
//! }
//! # Ok(()) }
//! ```
//!
//! The progress callback is called from the sending thread before each attempt, before each
//! retry wait and after each request; the cancel flag is checked between requests and before
//! and during retry waits (a request in flight ends at its timeout). Cancelled requests leave
//! their events `not_sent` with a reason.
//!
//! # Honesty rules
//!
//! No event is ever dropped: every input event has exactly one [`EventOutcome`]. Nothing is
//! `processed` unless Pinterest said so for that very event. A request-level message lives once
//! on its [`RequestRecord`]. The token never appears in any outcome, log or message: see
//! [`AccessToken`].

mod answer;
mod http;
mod plan;
mod report;
mod retry;
mod token;
mod transport;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::core::report::plural;

pub use self::answer::{Answer, EventAnswer, EventsAnswer, RetryReason, interpret};
pub use self::http::{CA_FILE_ENV, HttpConfig, HttpTransport};
pub use self::plan::{
    API_BASE_ENV, AdvertiserIdError, Batch, DEFAULT_API_BASE, Endpoint, EndpointError,
    MAX_ADVERTISER_ID_DIGITS, MAX_EVENTS_PER_REQUEST, Plan, Unplanned, api_base_from_env,
    curl_command, validate_advertiser_id,
};
pub use self::report::SendSummary;
pub use self::retry::{Decision, RetryPolicy, parse_retry_after};
pub use self::token::{AccessToken, REDACTED, TOKEN_ENV, TokenError};
pub use self::transport::{
    HttpResponse, Sleeper, ThreadSleeper, TlsFailure, Transport, TransportError,
};

/// The most bytes of a request or response body kept in the request log.
pub const LOG_BODY_LIMIT: usize = 64 * 1024;

/// What became of one event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventResult {
    /// Pinterest processed it.
    Processed,

    /// Pinterest did not accept it (its own error, or the whole request was refused).
    Failed,

    /// pinspect did not send it: validation error, cancelled, or the request could not be made.
    NotSent,

    /// It was sent, but the answer cannot be tied to it.
    Unknown,
}

impl EventResult {
    /// The word used in reports: `processed`, `failed`, `not_sent`, `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Processed => "processed",
            Self::Failed => "failed",
            Self::NotSent => "not_sent",
            Self::Unknown => "unknown",
        }
    }
}

/// One input event's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventOutcome {
    /// Position in the input.
    pub index: usize,

    /// The payload's `event_id`, if it has one.
    pub event_id: Option<String>,

    /// Which request (index into [`SendOutcome::requests`]) carried it, if any.
    pub request: Option<usize>,

    /// What became of it.
    pub result: EventResult,

    /// Pinterest's error for this event, or why pinspect did not send it (`not sent: …`). A
    /// problem of the whole request is on the request instead.
    pub error_message: Option<String>,

    /// Pinterest's warning for this event.
    pub warning_message: Option<String>,
}

impl EventOutcome {
    /// Whether the event left this machine in a request that got somewhere.
    pub fn was_sent(&self) -> bool {
        self.request.is_some() && self.result != EventResult::NotSent
    }
}

/// One attempt of a request, for the request log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// When it started.
    pub started_at: jiff::Timestamp,

    /// How long it took.
    pub duration: Duration,

    /// The HTTP status, if an answer came.
    pub http_status: Option<u16>,

    /// The answer's body (at most [`LOG_BODY_LIMIT`] bytes, token removed).
    pub response_body: Option<String>,

    /// What went wrong, when no answer came.
    pub problem: Option<String>,

    /// The wait before the next attempt, when there was one.
    pub wait_before_next: Option<Duration>,
}

/// One request made: the request log entry and the `requests[]` item of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRecord {
    /// The URL (it never holds the token).
    pub url: String,

    /// When the first attempt started.
    pub started_at: jiff::Timestamp,

    /// Events in the request.
    pub num_events: usize,

    /// Their input positions, in request order.
    pub indexes: Vec<usize>,

    /// The final HTTP status, if an answer came.
    pub http_status: Option<u16>,

    /// What the user should know about the request as a whole.
    pub message: Option<String>,

    /// Pinterest's `num_events_received`.
    pub received: Option<u64>,

    /// Pinterest's `num_events_processed`.
    pub processed: Option<u64>,

    /// Time spent in the attempts (waits between them not counted).
    pub duration: Duration,

    /// The request body (at most [`LOG_BODY_LIMIT`] bytes).
    pub request_body: String,

    /// The final answer's body (at most [`LOG_BODY_LIMIT`] bytes, token removed).
    pub response_body: Option<String>,

    /// Every attempt, in order.
    pub attempts: Vec<Attempt>,
}

/// Where a send is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Attempt `attempt` (1-based) of request `request` is under way.
    Sending {
        /// 0-based request number.
        request: usize,
        /// 1-based attempt number.
        attempt: u32,
    },

    /// Waiting before retrying request `request`.
    Waiting {
        /// 0-based request number.
        request: usize,
        /// How long.
        delay: Duration,
        /// Why the request is retried.
        reason: String,
    },

    /// Request `request` is finished.
    Finished {
        /// 0-based request number.
        request: usize,
        /// Its final HTTP status.
        http_status: Option<u16>,
    },

    /// Every request is finished (or the send was cancelled).
    Done,
}

/// A progress report across batches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Requests finished.
    pub requests_done: usize,

    /// Requests planned.
    pub requests_total: usize,

    /// Events in finished requests.
    pub events_done: usize,

    /// Events planned.
    pub events_total: usize,

    /// What is happening now.
    pub stage: Stage,
}

impl Progress {
    /// Share of planned events whose request is finished, 0.0 to 1.0.
    pub fn fraction(&self) -> f32 {
        if self.events_total == 0 {
            1.0
        } else {
            #[expect(
                clippy::cast_precision_loss,
                reason = "a progress bar needs no more than f32 precision"
            )]
            let fraction = self.events_done as f32 / self.events_total as f32;
            fraction.clamp(0.0, 1.0)
        }
    }
}

/// How to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendOptions {
    /// Where to.
    pub endpoint: Endpoint,

    /// How hard to retry.
    pub retry: RetryPolicy,
}

impl SendOptions {
    /// Sending to `endpoint` with the default retry policy.
    pub fn new(endpoint: Endpoint) -> Self {
        Self {
            endpoint,
            retry: RetryPolicy::default(),
        }
    }
}

/// Everything a send produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendOutcome {
    /// Whether requests carried `?test=true`.
    pub test: bool,

    /// The requests made, in order: the request log.
    pub requests: Vec<RequestRecord>,

    /// One per input event, in input order.
    pub events: Vec<EventOutcome>,

    /// Whether the user cancelled.
    pub cancelled: bool,
}

impl SendOutcome {
    /// Nothing sent: planned events are `not_sent` with `reason` (e.g. the client could not be
    /// set up), the others with their own reason.
    pub fn unsent(plan: &Plan, test: bool, reason: &str) -> Self {
        let mut outcome = Self::from_plan(plan, test);
        let positions = outcome.positions();
        for batch in plan.batches() {
            for index in batch.indexes() {
                if let Some(event) = positions
                    .get(index)
                    .and_then(|&p| outcome.events.get_mut(p))
                {
                    event.error_message = Some(format!("not sent: {reason}"));
                }
            }
        }
        outcome
    }

    /// Every event `not_sent`; unplanned ones carry their reason, planned ones none yet.
    fn from_plan(plan: &Plan, test: bool) -> Self {
        let reasons: HashMap<usize, &str> = plan
            .unplanned()
            .iter()
            .map(|u| (u.index, u.reason.as_str()))
            .collect();
        let events = plan
            .events()
            .iter()
            .map(|(index, event_id)| EventOutcome {
                index: *index,
                event_id: event_id.clone(),
                request: None,
                result: EventResult::NotSent,
                error_message: reasons.get(index).map(|r| (*r).to_owned()),
                warning_message: None,
            })
            .collect();
        Self {
            test,
            requests: Vec::new(),
            events,
            cancelled: false,
        }
    }

    fn positions(&self) -> HashMap<usize, usize> {
        self.events
            .iter()
            .enumerate()
            .map(|(position, event)| (event.index, position))
            .collect()
    }

    /// The outcome of the event at input position `index`.
    pub fn event(&self, index: usize) -> Option<&EventOutcome> {
        self.events
            .get(index)
            .filter(|e| e.index == index)
            .or_else(|| self.events.iter().find(|e| e.index == index))
    }

    /// The request that carried `event`.
    pub fn request_of(&self, event: &EventOutcome) -> Option<&RequestRecord> {
        event.request.and_then(|r| self.requests.get(r))
    }

    /// Whether every event was processed (and there was at least one).
    pub fn all_processed(&self) -> bool {
        !self.events.is_empty()
            && self
                .events
                .iter()
                .all(|e| e.result == EventResult::Processed)
    }
}

/// Sends every batch of `plan` in order and ties the answers back to the input events.
///
/// Blocks until done; see the module documentation for calling it from a background thread.
/// `progress` is called from this thread; `cancel` stops before the next request or retry.
pub fn send(
    plan: &Plan,
    transport: &dyn Transport,
    token: &AccessToken,
    options: &SendOptions,
    sleeper: &dyn Sleeper,
    progress: &dyn Fn(&Progress),
    cancel: &AtomicBool,
) -> SendOutcome {
    let mut outcome = SendOutcome::from_plan(plan, options.endpoint.is_test());
    // The events may carry the token's value by mistake; nothing shown may.
    for event in &mut outcome.events {
        event.event_id = event.event_id.as_deref().map(|id| token.redact(id));
        event.error_message = event.error_message.as_deref().map(|m| token.redact(m));
    }
    let positions = outcome.positions();
    let mut tracker = Progress {
        requests_done: 0,
        requests_total: plan.batches().len(),
        events_done: 0,
        events_total: plan.events_planned(),
        stage: Stage::Done,
    };

    for (number, batch) in plan.batches().iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            outcome.cancelled = true;
        }
        if outcome.cancelled {
            for index in batch.indexes() {
                if let Some(event) = positions
                    .get(index)
                    .and_then(|&p| outcome.events.get_mut(p))
                {
                    event.error_message =
                        Some("not sent: the send was cancelled before this request".to_owned());
                }
            }
            continue;
        }

        let context = BatchContext {
            number,
            batch,
            transport,
            token,
            options,
            sleeper,
            progress,
            cancel,
        };
        let (record, events, cancelled) = send_batch(&context, &mut tracker);
        outcome.cancelled |= cancelled;

        for (position, index) in batch.indexes().iter().enumerate() {
            let Some(event) = positions
                .get(index)
                .and_then(|&p| outcome.events.get_mut(p))
            else {
                continue;
            };
            event.request = Some(number);
            match &events {
                EventsAnswer::PerEvent(answers) => {
                    if let Some(answer) = answers.get(position) {
                        event.result = answer.result;
                        event.error_message =
                            answer.error_message.as_deref().map(|m| token.redact(m));
                        event.warning_message =
                            answer.warning_message.as_deref().map(|m| token.redact(m));
                    } else {
                        event.result = EventResult::Unknown;
                    }
                }
                EventsAnswer::All(result) => event.result = *result,
            }
        }

        tracker.requests_done += 1;
        tracker.events_done += batch.len();
        tracker.stage = Stage::Finished {
            request: number,
            http_status: record.http_status,
        };
        progress(&tracker);
        outcome.requests.push(record);
    }

    tracker.stage = Stage::Done;
    progress(&tracker);
    outcome
}

/// What one batch's send needs.
struct BatchContext<'a> {
    number: usize,
    batch: &'a Batch,
    transport: &'a dyn Transport,
    token: &'a AccessToken,
    options: &'a SendOptions,
    sleeper: &'a dyn Sleeper,
    progress: &'a dyn Fn(&Progress),
    cancel: &'a AtomicBool,
}

/// Sends one batch with its retries: the log entry, the events' answers, and whether the user
/// cancelled.
fn send_batch(
    context: &BatchContext<'_>,
    tracker: &mut Progress,
) -> (RequestRecord, EventsAnswer, bool) {
    let BatchContext {
        number,
        batch,
        transport,
        token,
        options,
        sleeper,
        progress,
        cancel,
    } = *context;
    let url = options.endpoint.url();
    let started_at = jiff::Timestamp::now();
    let overall = Instant::now();
    let mut attempts: Vec<Attempt> = Vec::new();
    let mut cancelled = false;

    let (answer, note) = loop {
        let attempt_number = u32::try_from(attempts.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        tracker.stage = Stage::Sending {
            request: number,
            attempt: attempt_number,
        };
        progress(tracker);

        let attempt_start = jiff::Timestamp::now();
        let clock = Instant::now();
        let result = transport
            .post_json(&url, token, batch.body().as_bytes())
            .map(|response| redact_response(response, token));
        let duration = clock.elapsed();
        let answer = answer::interpret(&result, batch.len(), &options.endpoint);

        let mut attempt = Attempt {
            started_at: attempt_start,
            duration,
            http_status: answer.http_status,
            response_body: result.as_ref().ok().map(log_response),
            problem: result.as_ref().err().map(|e| token.redact(&e.to_string())),
            wait_before_next: None,
        };

        log::debug!(
            "POST {url} (attempt {attempt_number}, {}): {} in {} ms",
            plural(batch.len(), "event"),
            attempt.http_status.map_or_else(
                || attempt.problem.clone().unwrap_or_default(),
                |status| format!("HTTP {status}")
            ),
            duration.as_millis()
        );

        let decision = options.retry.decide(
            attempt_number,
            answer.retry.as_ref(),
            attempt_start.as_second(),
        );
        let delay = match decision {
            Decision::Stop(note) => {
                attempts.push(attempt);
                // A request that still failed after several attempts says how long it took
                // in all: each attempt has its own time limit, which the message names.
                let note = if attempts.len() > 1 && answer.retry.is_some() {
                    let total = transport::seconds_text(overall.elapsed());
                    let tries = attempts.len();
                    Some(if attempt_number >= options.retry.max_attempts {
                        format!("gave up after {tries} attempts, {total} in all")
                    } else {
                        let note = note.map(|note| format!("{note}; ")).unwrap_or_default();
                        format!("{note}{tries} attempts, {total} in all")
                    })
                } else {
                    note
                };
                break (answer, note);
            }
            Decision::RetryAfter(delay) => delay,
        };
        if cancel.load(Ordering::Relaxed) {
            attempts.push(attempt);
            cancelled = true;
            break (answer, Some("cancelled before retrying".to_owned()));
        }

        attempt.wait_before_next = Some(delay);
        attempts.push(attempt);
        tracker.stage = Stage::Waiting {
            request: number,
            delay,
            reason: retry_reason_text(answer.retry.as_ref(), answer.http_status),
        };
        progress(tracker);
        sleeper.sleep(delay, cancel);
        if cancel.load(Ordering::Relaxed) {
            cancelled = true;
            break (answer, Some("cancelled before retrying".to_owned()));
        }
    };

    let message = match (answer.message.as_deref(), note) {
        (Some(message), Some(note)) => Some(format!("{message} ({note})")),
        (Some(message), None) => Some(message.to_owned()),
        (None, note) => note,
    }
    .map(|m| token.redact(&m));

    let record = RequestRecord {
        url,
        started_at,
        num_events: batch.len(),
        indexes: batch.indexes().to_vec(),
        http_status: answer.http_status,
        message,
        received: answer.received,
        processed: answer.processed,
        duration: attempts.iter().map(|a| a.duration).sum(),
        request_body: truncate_for_log(&token.redact(batch.body()), LOG_BODY_LIMIT),
        response_body: attempts.last().and_then(|a| a.response_body.clone()),
        attempts,
    };
    (record, answer.events, cancelled)
}

fn retry_reason_text(reason: Option<&RetryReason>, status: Option<u16>) -> String {
    match (reason, status) {
        (Some(RetryReason::RateLimited { .. }), _) => "rate limited (HTTP 429)".to_owned(),
        (Some(RetryReason::Timeout), _) => "timed out".to_owned(),
        (_, Some(status)) => format!("server error (HTTP {status})"),
        (_, None) => "server error".to_owned(),
    }
}

/// The answer with the token removed from its body, before anything reads it: a message may
/// quote the body, and a quote cut short would show the start of the token.
fn redact_response(mut response: HttpResponse, token: &AccessToken) -> HttpResponse {
    let text = String::from_utf8_lossy(&response.body);
    if token.appears_in(&text) {
        response.body = token.redact(&text).into_bytes();
    }
    response
}

/// The (already redacted) answer's body for the log, cut to the limit.
fn log_response(response: &HttpResponse) -> String {
    let text = String::from_utf8_lossy(&response.body);
    let mut logged = truncate_for_log(&text, LOG_BODY_LIMIT);
    if response.body_truncated {
        logged.push_str("\n[the answer was longer; pinspect stopped reading it here]");
    }
    logged
}

/// `text` cut to at most `limit` bytes at a character boundary, saying how much was left out.
pub fn truncate_for_log(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_owned();
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}… [{} more bytes not shown]",
        text.get(..end).unwrap_or_default(),
        text.len() - end
    )
}

#[cfg(test)]
pub(crate) mod tests;
