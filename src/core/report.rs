//! The check report (PRODUCT.md §3.1), a stable contract: exactly the keys `schema_version`,
//! `events` and `summary` at the top, and `index`, `source_event_name`, `event_name`,
//! `payload`, `diagnostics`, `trace` per event. Also the `map` body and a text rendering.
//!
//! A report of a big input is written event by event ([`write_check_report`]): traces are most
//! of its size, so holding every event's trace at once would take gigabytes.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io;

use serde::Serialize;
use serde_json::{Value, json};

use super::checks::{self, EventIdKey};
use super::diagnostics::{Diagnostic, Severity, SeverityCounts};
use super::event::SourceEvent;
use super::inspect::{Inspection, TraceEntry, inspect_each};
use super::mapping::Mapping;
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
        let mut summary = Self::default();
        for inspection in inspections {
            summary.add(inspection);
        }
        summary
    }

    /// Counts one more event.
    pub fn add(&mut self, inspection: &Inspection) {
        let counts = SeverityCounts::of(&inspection.diagnostics);
        self.events += 1;
        self.errors += counts.errors;
        self.warnings += counts.warnings;
        if inspection.is_sendable() {
            self.sendable += 1;
        }
    }

    fn to_json(self) -> Value {
        json!({
            "events": self.events,
            "sendable": self.sendable,
            "errors": self.errors,
            "warnings": self.warnings,
        })
    }
}

/// One event's entry in the check report, serialized without copying the inspection.
#[derive(Serialize)]
struct EventEntry<'a> {
    index: usize,
    source_event_name: &'a Option<String>,
    event_name: &'a Option<String>,
    payload: &'a Option<Value>,
    diagnostics: &'a [Diagnostic],
    trace: &'a [TraceEntry],
}

impl<'a> EventEntry<'a> {
    fn of(inspection: &'a Inspection) -> Self {
        Self {
            index: inspection.index,
            source_event_name: &inspection.source_event_name,
            event_name: &inspection.event_name,
            payload: &inspection.payload,
            diagnostics: &inspection.diagnostics,
            trace: &inspection.trace,
        }
    }
}

/// One event's entry in the check report.
pub fn event_entry(inspection: &Inspection) -> Value {
    serde_json::to_value(EventEntry::of(inspection)).unwrap_or_default()
}

/// The whole check report.
pub fn check_report(inspections: &[Inspection]) -> Value {
    json!({
        "schema_version": SCHEMA_VERSION,
        "events": inspections.iter().map(event_entry).collect::<Vec<_>>(),
        "summary": Summary::of(inspections).to_json(),
    })
}

/// Events inspected at once while a report is streamed: enough to keep every core busy, few
/// enough that their traces take little memory.
pub const STREAM_CHUNK: usize = 2_000;

/// Writes the check report of `events` to `out`, byte for byte what
/// `serde_json::to_string_pretty(&check_report(&inspect_all(events, mapping, now)))` gives,
/// while holding at most `chunk` events' traces in memory.
///
/// A first pass inspects every event without traces and keeps only what the duplicate
/// event-id check needs; the second pass inspects `chunk` events at a time with traces,
/// attaches each event's cross-event diagnostics, and writes the events one by one. Returns
/// the summary (also written at the end of the report).
pub fn write_check_report(
    out: &mut dyn io::Write,
    events: &[SourceEvent],
    mapping: &Mapping,
    now: i64,
    chunk: usize,
) -> io::Result<Summary> {
    let chunk = chunk.max(1);
    let always = |_: usize| true;

    let mut keys: Vec<EventIdKey> = Vec::new();
    for (number, part) in events.chunks(chunk).enumerate() {
        let inspections =
            inspect_each(part, number * chunk, mapping, now, false, &always).unwrap_or_default();
        keys.extend(inspections.iter().filter_map(EventIdKey::of));
    }
    let mut shared: HashMap<usize, Diagnostic> = checks::duplicate_event_id_findings(&keys)
        .into_iter()
        .filter_map(|(position, diagnostic)| Some((keys.get(position)?.index, diagnostic)))
        .collect();
    drop(keys);

    write!(
        out,
        "{{\n  \"schema_version\": {},\n  \"events\": [",
        Value::from(SCHEMA_VERSION)
    )?;
    let mut summary = Summary::default();
    for (number, part) in events.chunks(chunk).enumerate() {
        let inspections =
            inspect_each(part, number * chunk, mapping, now, true, &always).unwrap_or_default();
        for mut inspection in inspections {
            if let Some(diagnostic) = shared.remove(&inspection.index) {
                inspection.diagnostics.push(diagnostic);
            }
            summary.add(&inspection);
            out.write_all(if summary.events == 1 {
                b"\n    "
            } else {
                b",\n    "
            })?;
            serde_json::to_writer_pretty(
                Indented::new(&mut *out, "    "),
                &EventEntry::of(&inspection),
            )?;
        }
    }
    if summary.events > 0 {
        out.write_all(b"\n  ")?;
    }
    out.write_all(b"],\n  \"summary\": ")?;
    serde_json::to_writer_pretty(Indented::new(&mut *out, "  "), &summary.to_json())?;
    out.write_all(b"\n}")?;
    Ok(summary)
}

/// Indents every line after the first by `indent`, so that a value pretty-printed on its own
/// nests inside an enclosing pretty-printed document. JSON strings never hold a raw line
/// break, so every `\n` of pretty JSON is a line of its layout.
struct Indented<'w> {
    out: &'w mut dyn io::Write,
    indent: &'static str,
}

impl<'w> Indented<'w> {
    fn new(out: &'w mut dyn io::Write, indent: &'static str) -> Self {
        Self { out, indent }
    }
}

impl io::Write for Indented<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut lines = buf.split(|b| *b == b'\n');
        if let Some(first) = lines.next() {
            self.out.write_all(first)?;
        }
        for line in lines {
            self.out.write_all(b"\n")?;
            self.out.write_all(self.indent.as_bytes())?;
            self.out.write_all(line)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
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

/// How JSON is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Indented, one key per line, for people.
    Pretty,
    /// One line, for scripts.
    Compact,
}

/// Writes [`map_body`] to `out` without building a copy of the payloads.
pub fn write_map_body(
    out: &mut dyn io::Write,
    inspections: &[Inspection],
    include_errors: bool,
    layout: Layout,
) -> io::Result<()> {
    #[derive(Serialize)]
    struct Body<'a> {
        data: Vec<&'a Value>,
    }

    let body = Body {
        data: selected_payloads(inspections, include_errors)
            .map(|(_, payload)| payload)
            .collect(),
    };
    match layout {
        Layout::Pretty => serde_json::to_writer_pretty(&mut *out, &body)?,
        Layout::Compact => serde_json::to_writer(&mut *out, &body)?,
    }
    Ok(())
}

/// A human-readable report: one block per event with its diagnostics, then the totals.
pub fn text_report(inspections: &[Inspection], events: &[SourceEvent]) -> String {
    let mut out = String::new();
    for inspection in inspections {
        let origin = events
            .get(inspection.index)
            .map(|e| e.origin.to_string())
            .unwrap_or_default();
        let origin = printable(&origin);
        let source = printable(inspection.source_event_name.as_deref().unwrap_or("?"));
        let target = printable(inspection.event_name.as_deref().unwrap_or("not sent"));
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
            let field = printable(diagnostic.field.as_deref().unwrap_or("event"));
            let _ = writeln!(
                out,
                "  {marker} {field}: {} [{}]",
                printable(&diagnostic.message),
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

/// `text` with control characters escaped (`\u{1b}`), for text written to a terminal. Event
/// names and values come from other people's data: an escape sequence in them could recolour
/// the terminal, and a newline could forge a report line.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    escape_where(text, char::is_control)
}

/// [`printable`] for a whole text of lines: line breaks and tabs stay, every other control
/// character (escape sequences, carriage returns, bells) is escaped. The CLI passes every
/// text it prints through this, since answers from servers and values from events end up in
/// it.
pub fn printable_lines(text: &str) -> std::borrow::Cow<'_, str> {
    escape_where(text, |c| c.is_control() && c != '\n' && c != '\t')
}

fn escape_where(text: &str, escaped: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(&escaped) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `1 error`, `2 errors`: a count with its noun, for every message that counts something.
pub fn plural(count: usize, noun: &str) -> String {
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

    const NOW: i64 = 1_744_956_000;

    #[test]
    fn text_report_escapes_control_characters_from_the_data() {
        let events = vec![SourceEvent::new(
            "t\u{7}.json",
            0,
            json!({
                "event_name": "pur\u{1b}[31mchase\nforged line",
                "context": {"event_id": "a"}
            }),
        )];
        let inspections = inspect_all(&events, &Mapping::default(), NOW);
        let text = text_report(&inspections, &events);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text}"
        );
        assert!(
            text.contains("pur\\u{1b}[31mchase\\u{a}forged line"),
            "{text}"
        );
        assert_eq!(printable("plain é"), "plain é");
        assert_eq!(
            printable_lines("a\tb\n\u{1b}[2Jc\r\n"),
            "a\tb\n\\u{1b}[2Jc\\u{d}\n"
        );
    }

    fn streamed(events: &[SourceEvent], chunk: usize) -> (String, Summary) {
        let mut out = Vec::new();
        let summary =
            write_check_report(&mut out, events, &Mapping::default(), NOW, chunk).unwrap();
        (String::from_utf8(out).unwrap(), summary)
    }

    #[test]
    fn the_streamed_report_is_the_whole_report_byte_for_byte() {
        let event = |n: usize, event_id: &str, order: &str| {
            SourceEvent::new(
                "t",
                n,
                json!({"event_name": "purchase", "id": order, "value": 10, "currency": "eur",
                    "items": [{"id": "A", "quantity": 1, "product": {"price": 10}}],
                    "user": {"email": " Jane@Example.com", "phone": "+33 6 55 50 12 34"},
                    "search_term": "caf\u{e9} \"quoted\"\nline",
                    "context": {"event_id": event_id, "event_timestamp": NOW - 60}}),
            )
        };
        // Events 0, 3 and 6 share an id across orders, in different chunks.
        let events: Vec<SourceEvent> = (0..7)
            .map(|n| {
                if n % 3 == 0 {
                    event(n, "shared", &format!("O-{n}"))
                } else {
                    event(n, &format!("e-{n}"), "O-x")
                }
            })
            .chain([SourceEvent::new("t", 7, json!(42))])
            .collect();
        let inspections = inspect_all(&events, &Mapping::default(), NOW);
        let whole = serde_json::to_string_pretty(&check_report(&inspections)).unwrap();
        assert!(whole.contains("event_id.duplicate"));
        for chunk in [1, 2, 3, 100] {
            let (text, summary) = streamed(&events, chunk);
            assert_eq!(text, whole, "chunk {chunk}");
            assert_eq!(summary, Summary::of(&inspections));
        }

        let (empty, summary) = streamed(&[], 2);
        assert_eq!(
            empty,
            serde_json::to_string_pretty(&check_report(&[])).unwrap()
        );
        assert_eq!(summary.events, 0);
    }

    #[test]
    fn the_written_map_body_is_the_map_body() {
        let events = [SourceEvent::new(
            "t",
            0,
            json!({"event_name": "purchase", "user": {"email": "a@b.co"}}),
        )];
        let inspections = inspect_all(&events, &Mapping::default(), NOW);
        for (layout, include) in [
            (Layout::Pretty, true),
            (Layout::Compact, true),
            (Layout::Pretty, false),
        ] {
            let mut out = Vec::new();
            write_map_body(&mut out, &inspections, include, layout).unwrap();
            let body = map_body(&inspections, include);
            let expected = if layout == Layout::Pretty {
                serde_json::to_string_pretty(&body)
            } else {
                serde_json::to_string(&body)
            }
            .unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
    }

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
            text.contains("1 event, 0 sendable, 3 errors, 3 warnings\n"),
            "{text}"
        );
    }
}
