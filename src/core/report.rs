//! The check report (PRODUCT.md §3.1), a stable contract: exactly the keys `schema_version`,
//! `events` and `summary` at the top, and `index`, `source_event_name`, `event_name`,
//! `payload`, `diagnostics`, `trace` per event. Also the `map` body and a text rendering.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::diagnostics::{Severity, SeverityCounts};
use super::event::SourceEvent;
use super::inspect::Inspection;
use super::schema::SCHEMA_VERSION;

/// Totals over a set of inspections.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Number of events.
    pub events: usize,

    /// Events with a payload and no error.
    pub sendable: usize,

    /// Error diagnostics over all events.
    pub errors: usize,

    /// Warning diagnostics over all events.
    pub warnings: usize,
}

impl Summary {
    /// Computes the totals.
    pub fn of(inspections: &[Inspection]) -> Self {
        let mut summary = Self {
            events: inspections.len(),
            ..Self::default()
        };
        for inspection in inspections {
            let counts = SeverityCounts::of(&inspection.diagnostics);
            summary.errors += counts.errors;
            summary.warnings += counts.warnings;
            if inspection.is_sendable() {
                summary.sendable += 1;
            }
        }
        summary
    }
}

/// One event's entry in the check report.
pub fn event_entry(inspection: &Inspection) -> Value {
    json!({
        "index": inspection.index,
        "source_event_name": inspection.source_event_name,
        "event_name": inspection.event_name,
        "payload": inspection.payload,
        "diagnostics": inspection.diagnostics,
        "trace": inspection.trace,
    })
}

/// The whole check report.
pub fn check_report(inspections: &[Inspection]) -> Value {
    let summary = Summary::of(inspections);
    json!({
        "schema_version": SCHEMA_VERSION,
        "events": inspections.iter().map(event_entry).collect::<Vec<_>>(),
        "summary": {
            "events": summary.events,
            "sendable": summary.sendable,
            "errors": summary.errors,
            "warnings": summary.warnings,
        },
    })
}

/// The payloads that are sent, with the input position of their event: those of sendable
/// events, or of every mapped event with `include_errors`. `map` and the sender both select
/// with this, so the preview and the request never differ.
pub fn selected_payloads(
    inspections: &[Inspection],
    include_errors: bool,
) -> impl Iterator<Item = (usize, &Value)> {
    inspections
        .iter()
        .filter(move |i| include_errors || !i.has_errors())
        .filter_map(|i| i.payload.as_ref().map(|payload| (i.index, payload)))
}

/// A Pinterest request body `{"data": [...]}` around these payloads.
pub fn request_body<'a>(payloads: impl IntoIterator<Item = &'a Value>) -> Value {
    let data: Vec<&Value> = payloads.into_iter().collect();
    json!({ "data": data })
}

/// The request body `map` prints: the payloads of sendable events, or of every mapped event
/// with `include_errors`.
pub fn map_body(inspections: &[Inspection], include_errors: bool) -> Value {
    request_body(selected_payloads(inspections, include_errors).map(|(_, payload)| payload))
}

/// A human-readable report: one block per event with its diagnostics, then the totals.
pub fn text_report(inspections: &[Inspection], events: &[SourceEvent]) -> String {
    let mut out = String::new();
    for inspection in inspections {
        let origin = events
            .get(inspection.index)
            .map(|e| e.origin.to_string())
            .unwrap_or_default();
        let source = inspection.source_event_name.as_deref().unwrap_or("?");
        let target = inspection.event_name.as_deref().unwrap_or("not sent");
        let counts = SeverityCounts::of(&inspection.diagnostics);
        let _ = writeln!(
            out,
            "#{} {source} → {target}  ({origin}; {}, {})",
            inspection.index,
            plural(counts.errors, "error"),
            plural(counts.warnings, "warning")
        );
        for diagnostic in &inspection.diagnostics {
            let marker = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warn ",
                Severity::Info => "info ",
            };
            let field = diagnostic.field.as_deref().unwrap_or("event");
            let _ = writeln!(
                out,
                "  {marker} {field}: {} [{}]",
                diagnostic.message,
                diagnostic.code.as_str()
            );
        }
    }
    let summary = Summary::of(inspections);
    let _ = writeln!(
        out,
        "{}, {} sendable, {}, {}",
        plural(summary.events, "event"),
        summary.sendable,
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning")
    );
    out
}

/// `1 error`, `2 errors`.
fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::core::inspect::inspect_all;
    use crate::core::mapping::Mapping;

    #[test]
    fn report_has_exactly_the_contract_keys() {
        let events = [SourceEvent::new("t", 0, json!({"event_name": "purchase"}))];
        let inspections = inspect_all(&events, &Mapping::default(), 0);
        let report = check_report(&inspections);
        let keys: Vec<&String> = report.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["schema_version", "events", "summary"]);
        let event_keys: Vec<&String> = report["events"][0].as_object().unwrap().keys().collect();
        assert_eq!(
            event_keys,
            [
                "index",
                "source_event_name",
                "event_name",
                "payload",
                "diagnostics",
                "trace"
            ]
        );
        assert_eq!(report["summary"]["events"], 1);
        assert_eq!(report["summary"]["sendable"], 0);
        assert_eq!(map_body(&inspections, false), json!({"data": []}));
        assert_eq!(
            map_body(&inspections, true)["data"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let text = text_report(&inspections, &events);
        assert!(text.contains("purchase → checkout"), "{text}");
        assert!(
            text.contains("1 event, 0 sendable, 3 errors, 1 warning\n"),
            "{text}"
        );
    }
}
