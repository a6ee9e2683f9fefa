//! Reading one HTTP attempt: Pinterest's status, body and per-event results become a request
//! message, a result per event of the request, and whether to retry.
//!
//! The rules that keep results honest:
//! - per-event results come only from an `events` list exactly as long as the request's `data`;
//!   any other shape makes every event of the request `unknown`, never `processed`;
//! - a request-level problem is one message on the request, not copied onto its events;
//! - an answer that says nothing about the events (a timeout after sending, a 5xx other than
//!   503, an unreadable 200 or 422) leaves them `unknown`; a refusal of the whole request (4xx,
//!   503) makes them `failed`; a request that never left makes them `not_sent`.

use serde_json::{Map, Value};

use super::EventResult;
use super::plan::{API_BASE_ENV, Endpoint};
use super::transport::{HttpResponse, TransportError};
use crate::core::report::plural;

/// Longest piece of a non-JSON answer quoted in a message.
const SNIPPET_CHARS: usize = 200;

/// Pinterest's verdict on one event of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventAnswer {
    /// `processed`, `failed` or `unknown` (a status pinspect does not know).
    pub result: EventResult,

    /// Pinterest's `error_message`; `""` is read as none.
    pub error_message: Option<String>,

    /// Pinterest's `warning_message`; `""` is read as none.
    pub warning_message: Option<String>,
}

/// What an attempt says about the events of its request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventsAnswer {
    /// One answer per event, in request order.
    PerEvent(Vec<EventAnswer>),

    /// The same result for every event; the reason is the request's message.
    All(EventResult),
}

/// Why an attempt may be repeated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RetryReason {
    /// HTTP 429, with the raw `Retry-After` header.
    RateLimited {
        /// `Retry-After` as sent (seconds or an HTTP date).
        retry_after: Option<String>,
    },

    /// HTTP 5xx.
    ServerError,

    /// A timeout.
    Timeout,
}

/// The reading of one attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status, if an answer came.
    pub http_status: Option<u16>,

    /// The request-level message, if there is something to say.
    pub message: Option<String>,

    /// The events' results.
    pub events: EventsAnswer,

    /// Set when trying again may help.
    pub retry: Option<RetryReason>,

    /// `num_events_received`, when Pinterest sent it.
    pub received: Option<u64>,

    /// `num_events_processed`, when Pinterest sent it.
    pub processed: Option<u64>,
}

impl Answer {
    fn all(http_status: Option<u16>, result: EventResult, message: String) -> Self {
        Self {
            http_status,
            message: Some(message),
            events: EventsAnswer::All(result),
            retry: None,
            received: None,
            processed: None,
        }
    }

    fn retry(mut self, reason: RetryReason) -> Self {
        self.retry = Some(reason);
        self
    }
}

/// Reads one attempt of a request that carried `batch_len` events.
pub fn interpret(
    result: &Result<HttpResponse, TransportError>,
    batch_len: usize,
    endpoint: &Endpoint,
) -> Answer {
    match result {
        Err(err) => {
            let events = if err.may_have_arrived() {
                EventResult::Unknown
            } else {
                EventResult::NotSent
            };
            let answer = Answer::all(None, events, err.to_string());
            if err.is_retryable() {
                answer.retry(RetryReason::Timeout)
            } else {
                answer
            }
        }
        Ok(response) => interpret_response(response, batch_len, endpoint),
    }
}

fn interpret_response(response: &HttpResponse, batch_len: usize, endpoint: &Endpoint) -> Answer {
    let status = response.status;
    let http = Some(status);
    let said = pinterest_said(response);
    let id = endpoint.advertiser_id();

    match status {
        200..=299 => success(response, batch_len),
        422 => detailed_error(response, batch_len),
        400 => Answer::all(
            http,
            EventResult::Failed,
            format!(
                "Pinterest refused the request as malformed (HTTP 400); {said}. A field does not \
                 match Pinterest's format: run `pinspect check` on these events and fix the field \
                 named above — sending it unchanged will fail again"
            ),
        ),
        401 => Answer::all(
            http,
            EventResult::Failed,
            format!(
                "the access token was refused (HTTP 401: wrong, expired or revoked token); \
                 {said}. Generate a new conversion access token in Ads Manager (Conversions → \
                 Conversion access token) and use it"
            ),
        ),
        403 => Answer::all(
            http,
            EventResult::Failed,
            format!(
                "the token is valid but may not send events to ad account {id} (HTTP 403); \
                 {said}. Check that {id} is the right advertiser id, and that the token was \
                 generated by the owner of ad account {id} or by a user with an Admin, Analyst, \
                 Audience or Campaign role on it"
            ),
        ),
        404 => Answer::all(
            http,
            EventResult::Failed,
            format!(
                "not found (HTTP 404): ad account {id} does not exist or the URL is wrong; \
                 {said}. Check the advertiser id, and the API base {} ({API_BASE_ENV})",
                endpoint.base()
            ),
        ),
        429 => Answer::all(
            http,
            EventResult::Failed,
            format!(
                "Pinterest's rate limit was exceeded (HTTP 429); {said}. {}, or send fewer \
                 events at once",
                wait_advice(response.retry_after.as_deref())
            ),
        )
        .retry(RetryReason::RateLimited {
            retry_after: response.retry_after.clone(),
        }),
        503 => Answer::all(
            http,
            EventResult::Failed,
            format!(
                "the Conversions API is unavailable (HTTP 503); {said}. Nothing was recorded; \
                 try again later"
            ),
        )
        .retry(RetryReason::ServerError),
        500..=599 => Answer::all(
            http,
            EventResult::Unknown,
            format!(
                "Pinterest's server failed (HTTP {status}); {said}. Whether the events were \
                 recorded is unknown; try again later (Pinterest deduplicates events with the \
                 same event_id)"
            ),
        )
        .retry(RetryReason::ServerError),
        300..=399 => Answer::all(
            http,
            EventResult::Failed,
            format!(
                "the API answered with a redirect (HTTP {status}) to {}; pinspect does not \
                 follow redirects with the token. Check the API base {} ({API_BASE_ENV})",
                response.location.as_deref().unwrap_or("an unknown place"),
                endpoint.base()
            ),
        ),
        100..=199 => Answer::all(
            http,
            EventResult::Unknown,
            format!("unexpected interim answer (HTTP {status}); {said}"),
        ),
        _ => Answer::all(
            http,
            EventResult::Failed,
            format!(
                "Pinterest refused the request (HTTP {status}); {said}. Check the API base {} \
                 ({API_BASE_ENV}) and the events",
                endpoint.base()
            ),
        ),
    }
}

/// HTTP 2xx: a `ConversionApiResponse`.
fn success(response: &HttpResponse, batch_len: usize) -> Answer {
    let status = response.status;
    let object = match json_object(response) {
        Ok(object) => object,
        Err(why) => {
            return Answer::all(
                Some(status),
                EventResult::Unknown,
                format!(
                    "Pinterest's answer (HTTP {status}) cannot be read: {why}. Whether the events \
                     were recorded is unknown"
                ),
            );
        }
    };
    let mut answer = per_event(Some(status), &object, batch_len);
    if let EventsAnswer::PerEvent(events) = &answer.events {
        let processed = events
            .iter()
            .filter(|e| e.result == EventResult::Processed)
            .count();
        if processed < batch_len {
            let note = format!(
                "Pinterest processed {processed} of {} (HTTP {status}); each other event shows \
                 Pinterest's reason",
                plural(batch_len, "event")
            );
            answer.message = Some(join(Some(note), answer.message.take()));
        }
    }
    answer
}

/// HTTP 422: a `DetailedError` whose `details` holds the per-event results.
fn detailed_error(response: &HttpResponse, batch_len: usize) -> Answer {
    let status = Some(response.status);
    let said = pinterest_said(response);
    let details = match json_object(response) {
        Ok(object) => object.get("details").and_then(Value::as_object).cloned(),
        Err(_) => None,
    };
    let Some(details) = details else {
        return Answer::all(
            status,
            EventResult::Unknown,
            format!(
                "Pinterest rejected some or all events (HTTP 422) without per-event details; \
                 {said}. Which events were recorded is unknown"
            ),
        );
    };
    let mut answer = per_event(status, &details, batch_len);
    // Only an answer tied to each event can point at each event's reason.
    let headline = match answer.events {
        EventsAnswer::PerEvent(_) => format!(
            "Pinterest rejected some or all events (HTTP 422); {said}. Each event shows \
             Pinterest's reason"
        ),
        EventsAnswer::All(_) => {
            format!("Pinterest rejected some or all events (HTTP 422); {said}")
        }
    };
    answer.message = Some(join(Some(headline), answer.message.take()));
    answer
}

/// Ties `events[i]` to the i-th event of the request, or gives up on the whole request.
fn per_event(status: Option<u16>, object: &Map<String, Value>, batch_len: usize) -> Answer {
    let received = object.get("num_events_received").and_then(Value::as_u64);
    let processed = object.get("num_events_processed").and_then(Value::as_u64);
    let mut notes = Vec::new();
    if let Some(received) = received
        && received != batch_len as u64
    {
        notes.push(format!(
            "Pinterest says it received {}, but the request carried {batch_len}",
            plural(usize::try_from(received).unwrap_or(usize::MAX), "event")
        ));
    }

    let events = match object.get("events").and_then(Value::as_array) {
        Some(list) if list.len() == batch_len => list,
        other => {
            let why = match other {
                Some(list) => format!(
                    "the answer lists {} for the {} of the request",
                    plural(list.len(), "result"),
                    plural(batch_len, "event")
                ),
                None => "the answer has no events list".to_owned(),
            };
            notes.insert(
                0,
                format!(
                    "cannot map the answer to events: {why}; every event of this request is \
                     marked unknown"
                ),
            );
            return Answer {
                http_status: status,
                message: Some(notes.join("; ")),
                events: EventsAnswer::All(EventResult::Unknown),
                retry: None,
                received,
                processed,
            };
        }
    };

    let answers: Vec<EventAnswer> = events.iter().map(event_answer).collect();
    let counted = answers
        .iter()
        .filter(|a| a.result == EventResult::Processed)
        .count() as u64;
    if let Some(processed) = processed
        && processed != counted
    {
        notes.push(format!(
            "Pinterest says it processed {}, but marks {counted} as processed",
            plural(usize::try_from(processed).unwrap_or(usize::MAX), "event")
        ));
    }
    let unknown = answers
        .iter()
        .filter(|a| a.result == EventResult::Unknown)
        .count();
    if unknown > 0 {
        notes.push(if unknown == 1 {
            "1 result has a status other than processed or failed; it is marked unknown".to_owned()
        } else {
            format!(
                "{unknown} results have a status other than processed or failed; they are marked \
                 unknown"
            )
        });
    }

    Answer {
        http_status: status,
        message: (!notes.is_empty()).then(|| notes.join("; ")),
        events: EventsAnswer::PerEvent(answers),
        retry: None,
        received,
        processed,
    }
}

fn event_answer(entry: &Value) -> EventAnswer {
    let text = |key: &str| {
        entry
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let result = match entry.get("status").and_then(Value::as_str) {
        Some("processed") => EventResult::Processed,
        Some("failed") => EventResult::Failed,
        _ => EventResult::Unknown,
    };
    EventAnswer {
        result,
        error_message: text("error_message"),
        warning_message: text("warning_message"),
    }
}

/// The body as a JSON object, or a sentence saying what it is instead.
fn json_object(response: &HttpResponse) -> Result<Map<String, Value>, String> {
    if response.body_truncated {
        return Err(format!(
            "it is larger than {} bytes, so pinspect did not read it",
            response.body.len()
        ));
    }
    match serde_json::from_slice::<Value>(&response.body) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err("it is JSON but not an object".to_owned()),
        Err(_) => Err(describe_non_json(response)),
    }
}

fn describe_non_json(response: &HttpResponse) -> String {
    let text = String::from_utf8_lossy(&response.body);
    let trimmed = text.trim();
    let html = response
        .content_type
        .as_deref()
        .is_some_and(|t| t.to_ascii_lowercase().contains("html"))
        || trimmed.starts_with('<');
    if trimmed.is_empty() {
        "the answer is empty".to_owned()
    } else if html {
        format!(
            "it is an HTML page, not Pinterest's JSON — a proxy, a captive portal or a wrong \
             {API_BASE_ENV} may have answered"
        )
    } else {
        let snippet: String = trimmed.chars().take(SNIPPET_CHARS).collect();
        let more = if trimmed.chars().count() > SNIPPET_CHARS {
            "…"
        } else {
            ""
        };
        format!("it is not JSON: {snippet:?}{more}")
    }
}

/// "Pinterest said: "…" (code 2)", or what the body is when it is not Pinterest's JSON error.
fn pinterest_said(response: &HttpResponse) -> String {
    match json_object(response) {
        Ok(object) => {
            let message = object.get("message").and_then(Value::as_str);
            let code = object.get("code").and_then(Value::as_i64);
            match (message, code) {
                (Some(message), Some(code)) => {
                    format!("Pinterest said: {message:?} (code {code})")
                }
                (Some(message), None) => format!("Pinterest said: {message:?}"),
                (None, Some(code)) => format!("Pinterest gave code {code} without a message"),
                (None, None) => "the answer carries no message".to_owned(),
            }
        }
        Err(why) => format!("the answer cannot be read: {why}"),
    }
}

fn join(first: Option<String>, second: Option<String>) -> String {
    [first, second]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ")
}

/// What a 429 tells the user to wait: the `Retry-After` when Pinterest sent one, else a
/// minute.
fn wait_advice(retry_after: Option<&str>) -> String {
    // Seconds or an HTTP date, read as the retry logic reads them; anything else (`-1`,
    // `soon`) is no advice.
    let now = jiff::Timestamp::now().as_second();
    match retry_after.and_then(|header| super::retry::parse_retry_after(header, now)) {
        Some(wait) => format!(
            "Pinterest asks to wait {} (Retry-After); send again after that",
            super::retry::spoken_duration(wait)
        ),
        None => "Wait a minute and send again".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::core::send::transport::TlsFailure;

    fn endpoint() -> Endpoint {
        Endpoint::new("https://api.pinterest.com/v5", "549755885175", true).unwrap()
    }

    fn response(status: u16, body: &Value) -> HttpResponse {
        HttpResponse {
            status,
            content_type: Some("application/json".to_owned()),
            body: body.to_string().into_bytes(),
            ..HttpResponse::default()
        }
    }

    fn read(status: u16, body: &Value, batch_len: usize) -> Answer {
        interpret(&Ok(response(status, body)), batch_len, &endpoint())
    }

    fn results(answer: &Answer) -> Vec<EventResult> {
        match &answer.events {
            EventsAnswer::PerEvent(events) => events.iter().map(|e| e.result).collect(),
            EventsAnswer::All(result) => vec![*result],
        }
    }

    #[test]
    fn a_clean_200_is_processed_and_empty_strings_are_none() {
        let body = json!({"num_events_received": 2, "num_events_processed": 2, "events": [
            {"status": "processed", "error_message": "", "warning_message": ""},
            {"status": "processed", "error_message": null, "warning_message": "unknown field x"}]});
        let answer = read(200, &body, 2);
        assert_eq!(answer.message, None);
        assert_eq!(answer.retry, None);
        assert_eq!((answer.received, answer.processed), (Some(2), Some(2)));
        let EventsAnswer::PerEvent(events) = &answer.events else {
            panic!("{answer:?}")
        };
        assert_eq!(events[0].error_message, None);
        assert_eq!(events[0].warning_message, None);
        assert_eq!(
            events[1].warning_message.as_deref(),
            Some("unknown field x")
        );
    }

    #[test]
    fn a_200_with_failures_says_how_many_were_processed() {
        let body = json!({"num_events_received": 2, "num_events_processed": 1, "events": [
            {"status": "failed", "error_message": "bad em"}, {"status": "processed"}]});
        let answer = read(200, &body, 2);
        assert_eq!(
            results(&answer),
            [EventResult::Failed, EventResult::Processed]
        );
        assert!(answer.message.unwrap().contains("processed 1 of 2 events"));
    }

    #[test]
    fn a_length_mismatch_marks_everything_unknown() {
        let body = json!({"num_events_received": 3, "num_events_processed": 3,
            "events": [{"status": "processed"}, {"status": "processed"}]});
        let answer = read(200, &body, 3);
        assert_eq!(answer.events, EventsAnswer::All(EventResult::Unknown));
        let message = answer.message.unwrap();
        assert!(message.contains("cannot map the answer"), "{message}");
        assert!(message.contains("2 results for the 3 events"), "{message}");

        let missing = read(200, &json!({"num_events_processed": 1}), 1);
        assert_eq!(missing.events, EventsAnswer::All(EventResult::Unknown));
        assert!(missing.message.unwrap().contains("no events list"));
    }

    #[test]
    fn unknown_statuses_and_count_disagreements_are_flagged() {
        let body = json!({"num_events_received": 1, "num_events_processed": 1,
            "events": [{"status": "queued"}]});
        let answer = read(200, &body, 1);
        assert_eq!(results(&answer), [EventResult::Unknown]);
        let message = answer.message.unwrap();
        assert!(
            message.contains("other than processed or failed"),
            "{message}"
        );
        // Counts agree with their nouns.
        assert!(
            message.contains("Pinterest says it processed 1 event, but marks 0"),
            "{message}"
        );
        assert!(
            message.contains("processed 0 of 1 event (HTTP 200)"),
            "{message}"
        );
        assert!(
            message.contains(
                "1 result has a status other than processed or failed; it is marked unknown"
            ),
            "{message}"
        );
    }

    #[test]
    fn a_422_maps_details_per_event() {
        let body = json!({"code": 953, "message": "Some data invalid", "details": {
            "num_events_received": 2, "num_events_processed": 1, "events": [
                {"status": "processed", "error_message": "", "warning_message": ""},
                {"status": "failed", "error_message": "Invalid event_timestamp parameter",
                 "warning_message": ""}]}});
        let answer = read(422, &body, 2);
        assert_eq!(answer.http_status, Some(422));
        assert_eq!(
            results(&answer),
            [EventResult::Processed, EventResult::Failed]
        );
        let message = answer.message.unwrap();
        assert!(
            message.contains("\"Some data invalid\" (code 953)"),
            "{message}"
        );
        assert_eq!(answer.retry, None);

        let bare = read(422, &json!({"code": 953, "message": "x"}), 2);
        assert_eq!(bare.events, EventsAnswer::All(EventResult::Unknown));
        assert!(bare.message.unwrap().contains("without per-event details"));
    }

    #[test]
    fn request_level_errors_say_what_to_do() {
        let cases: [(u16, &str, EventResult, bool); 8] = [
            (400, "malformed", EventResult::Failed, false),
            (
                401,
                "Generate a new conversion access token",
                EventResult::Failed,
                false,
            ),
            (403, "ad account 549755885175", EventResult::Failed, false),
            (404, "Check the advertiser id", EventResult::Failed, false),
            (429, "rate limit", EventResult::Failed, true),
            (503, "unavailable", EventResult::Failed, true),
            (500, "recorded is unknown", EventResult::Unknown, true),
            (
                418,
                "refused the request (HTTP 418)",
                EventResult::Failed,
                false,
            ),
        ];
        for (status, phrase, result, retried) in cases {
            let answer = read(status, &json!({"code": 2, "message": "Nope."}), 3);
            let message = answer.message.unwrap();
            assert!(message.contains(phrase), "{status}: {message}");
            assert!(
                message.contains("Pinterest said: \"Nope.\" (code 2)"),
                "{message}"
            );
            assert_eq!(answer.events, EventsAnswer::All(result), "{status}");
            assert_eq!(answer.retry.is_some(), retried, "{status}");
        }
    }

    #[test]
    fn retry_after_is_passed_on() {
        let mut limited = response(429, &json!({"code": 8, "message": "slow down"}));
        limited.retry_after = Some("7".to_owned());
        let answer = interpret(&Ok(limited), 1, &endpoint());
        assert_eq!(
            answer.retry,
            Some(RetryReason::RateLimited {
                retry_after: Some("7".to_owned())
            })
        );
        let said = |retry_after: Option<&str>| {
            let mut limited = response(429, &json!({"code": 8, "message": "slow down"}));
            limited.retry_after = retry_after.map(str::to_owned);
            interpret(&Ok(limited), 1, &endpoint())
                .message
                .unwrap_or_default()
        };
        assert!(said(Some("86400")).contains("asks to wait 24 h"));
        assert!(!said(Some("86400")).contains("Wait a minute"));
        assert!(said(None).contains("Wait a minute"));
        assert!(said(Some("-1")).contains("Wait a minute"));
    }

    #[test]
    fn non_json_bodies_are_described() {
        let html = HttpResponse {
            status: 200,
            content_type: Some("text/html; charset=utf-8".to_owned()),
            body: b"<html><body>Welcome to the hotel wifi</body></html>".to_vec(),
            ..HttpResponse::default()
        };
        let answer = interpret(&Ok(html), 2, &endpoint());
        assert_eq!(answer.events, EventsAnswer::All(EventResult::Unknown));
        let message = answer.message.unwrap();
        assert!(message.contains("HTML page"), "{message}");

        let text = HttpResponse {
            status: 502,
            body: b"upstream connect error".to_vec(),
            ..HttpResponse::default()
        };
        let message = interpret(&Ok(text), 1, &endpoint()).message.unwrap();
        assert!(message.contains("\"upstream connect error\""), "{message}");

        let huge = HttpResponse {
            status: 200,
            body: vec![b'{'; 10],
            body_truncated: true,
            ..HttpResponse::default()
        };
        let answer = interpret(&Ok(huge), 1, &endpoint());
        assert_eq!(answer.events, EventsAnswer::All(EventResult::Unknown));
        assert!(answer.message.unwrap().contains("larger than 10 bytes"));
    }

    #[test]
    fn transport_failures_are_not_sent_or_unknown() {
        let refused = Err(TransportError::ConnectionRefused {
            host: "127.0.0.1:9".to_owned(),
        });
        let answer = interpret(&refused, 2, &endpoint());
        assert_eq!(answer.events, EventsAnswer::All(EventResult::NotSent));
        assert_eq!(answer.retry, None);

        let timeout = Err(TransportError::Timeout {
            host: "h".to_owned(),
            limit: std::time::Duration::from_secs(1),
        });
        let answer = interpret(&timeout, 2, &endpoint());
        assert_eq!(answer.events, EventsAnswer::All(EventResult::Unknown));
        assert_eq!(answer.retry, Some(RetryReason::Timeout));

        let tls = Err(TransportError::Tls {
            host: "h".to_owned(),
            kind: TlsFailure::UnknownIssuer,
            detail: "x".to_owned(),
        });
        let answer = interpret(&tls, 2, &endpoint());
        assert_eq!(answer.events, EventsAnswer::All(EventResult::NotSent));
        assert_eq!(answer.retry, None);
    }
}
