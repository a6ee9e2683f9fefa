//! The send report (PRODUCT.md §7), a stable contract: exactly `test`, `requests`, `events`
//! and `summary`; `requests[]` with `url`, `http_status`, `num_events`, `message`,
//! `duration_ms`; `events[]` with `index`, `event_id`, `request`, `result`, `error_message`,
//! `warning_message`; `summary` with `events`, `sent`, `processed`, `failed`, `not_sent`,
//! `unknown`. Also a text rendering for people.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{EventResult, SendOutcome};
use crate::core::report::plural;

/// Totals of a send.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SendSummary {
    /// Input events.
    pub events: usize,

    /// Events that left in a request that got somewhere (processed + failed + unknown).
    pub sent: usize,

    /// Processed by Pinterest.
    pub processed: usize,

    /// Not accepted.
    pub failed: usize,

    /// Not sent by pinspect.
    pub not_sent: usize,

    /// Sent, fate unknown.
    pub unknown: usize,
}

impl SendOutcome {
    /// The totals.
    pub fn summary(&self) -> SendSummary {
        let mut summary = SendSummary {
            events: self.events.len(),
            ..SendSummary::default()
        };
        for event in &self.events {
            match event.result {
                EventResult::Processed => summary.processed += 1,
                EventResult::Failed => summary.failed += 1,
                EventResult::NotSent => summary.not_sent += 1,
                EventResult::Unknown => summary.unknown += 1,
            }
            if event.was_sent() {
                summary.sent += 1;
            }
        }
        summary
    }

    /// The JSON report of `pinspect send --format json`.
    pub fn report(&self) -> Value {
        let requests: Vec<Value> = self
            .requests
            .iter()
            .map(|r| {
                json!({
                    "url": r.url,
                    "http_status": r.http_status,
                    "num_events": r.num_events,
                    "message": r.message,
                    "duration_ms": u64::try_from(r.duration.as_millis()).unwrap_or(u64::MAX),
                })
            })
            .collect();
        let events: Vec<Value> = self
            .events
            .iter()
            .map(|e| {
                json!({
                    "index": e.index,
                    "event_id": e.event_id,
                    "request": e.request,
                    "result": e.result.as_str(),
                    "error_message": e.error_message,
                    "warning_message": e.warning_message,
                })
            })
            .collect();
        let summary = self.summary();
        json!({
            "test": self.test,
            "requests": requests,
            "events": events,
            "summary": {
                "events": summary.events,
                "sent": summary.sent,
                "processed": summary.processed,
                "failed": summary.failed,
                "not_sent": summary.not_sent,
                "unknown": summary.unknown,
            },
        })
    }

    /// A report for people: the mode, each request with its message, each event, the totals.
    /// Requests are numbered from 1 here, as in the progress lines (the JSON `request` field
    /// is a 0-based index into `requests`).
    pub fn text_report(&self) -> String {
        let mut out = String::new();
        let headline = match (self.test, self.requests.is_empty()) {
            (true, false) => {
                "TEST MODE (?test=true): Pinterest checks test requests as strictly as live ones \
                 and records none of their events"
            }
            (false, false) => "LIVE: Pinterest records every event it processed",
            (true, true) => "TEST MODE (?test=true): no request was made; nothing was sent",
            (false, true) => "LIVE: no request was made; nothing was sent",
        };
        let _ = writeln!(out, "{headline}");
        for (number, request) in self.requests.iter().enumerate() {
            let status = request
                .http_status
                .map_or_else(|| "no answer".to_owned(), |s| format!("HTTP {s}"));
            let attempts = match request.attempts.len() {
                0 | 1 => String::new(),
                n => format!(", {n} attempts"),
            };
            let _ = writeln!(
                out,
                "request {}: POST {} → {status}, {}, {} ms{attempts}",
                number + 1,
                request.url,
                plural(request.num_events, "event"),
                request.duration.as_millis()
            );
            if let Some(message) = &request.message {
                let _ = writeln!(out, "  {message}");
            }
        }
        for event in &self.events {
            let id = event.event_id.as_deref().unwrap_or("(no event_id)");
            let request = event
                .request
                .map(|r| format!(" [request {}]", r + 1))
                .unwrap_or_default();
            let _ = write!(
                out,
                "#{} {id}: {}{request}",
                event.index,
                event.result.as_str()
            );
            if let Some(error) = &event.error_message {
                let _ = write!(out, " — {error}");
            }
            if let Some(warning) = &event.warning_message {
                let _ = write!(out, " (warning: {warning})");
            }
            out.push('\n');
        }
        if self.cancelled {
            out.push_str("cancelled: the remaining requests were not made\n");
        }
        let s = self.summary();
        let _ = writeln!(
            out,
            "{}: {} sent, {} processed, {} failed, {} not sent, {} unknown",
            plural(s.events, "event"),
            s.sent,
            s.processed,
            s.failed,
            s.not_sent,
            s.unknown
        );
        out
    }
}
