//! The normalization rules that real inputs broke, each checked as a rule through the whole
//! mapping (`inspect_all`) or the CLI: non-string values in checked fields, phone prefixes and
//! labels, ISO 3166-2 states, ambiguous decimals, zone-annotated timestamps, digest-looking ids,
//! the hash checker on dropped values, IP chains and reserved ranges, and the smaller gaps.
//!
//! Expected hashes were computed with `printf '%s' 'value' | sha256sum`.

use pinspect::core::diagnostics::{Code, Diagnostic};
use pinspect::core::event::parse_text;
use pinspect::core::inspect::{Inspection, TraceEntry, inspect_all};
use pinspect::core::mapping::Mapping;
use serde_json::{Value, json};

use crate::support::lookup;

const NOW: i64 = 1_744_956_000;

/// A valid web page view; each test changes one thing in it.
fn base() -> Value {
    json!({
        "event_name": "page_view",
        "user": {"email": "jane.doe@example.com"},
        "context": {"event_id": "evt-1", "event_timestamp": (NOW - 60) * 1000,
            "device": {"user_agent": "Mozilla/5.0"}}
    })
}

/// `base()` with `value` at the JSON pointer `pointer` (parents are created).
fn with(pointer: &str, value: Value) -> Value {
    let mut event = base();
    let mut current = &mut event;
    let parts: Vec<&str> = pointer.split('/').skip(1).collect();
    for (position, part) in parts.iter().enumerate() {
        let map = current.as_object_mut().expect("an object on the way");
        if position + 1 == parts.len() {
            map.insert((*part).to_owned(), value);
            break;
        }
        current = map.entry((*part).to_owned()).or_insert_with(|| json!({}));
    }
    event
}

fn inspect_with(event: &Value, mapping: &Mapping) -> Inspection {
    let events = parse_text("rule", &event.to_string()).expect("parses");
    inspect_all(&events, mapping, NOW).remove(0)
}

fn inspect(event: &Value) -> Inspection {
    inspect_with(event, &Mapping::default())
}

fn with_phone_country(country: &str) -> Mapping {
    let mut mapping = Mapping::default();
    mapping.settings.default_phone_country = Some(country.to_owned());
    mapping
}

fn on<'a>(inspection: &'a Inspection, code: Code, field: &str) -> Option<&'a Diagnostic> {
    inspection
        .diagnostics
        .iter()
        .find(|d| d.code == code && d.field.as_deref() == Some(field))
}

fn sent<'a>(inspection: &'a Inspection, path: &str) -> Option<&'a Value> {
    lookup(inspection.payload.as_ref().expect("a payload"), path)
}

fn trace<'a>(inspection: &'a Inspection, field: &str) -> &'a TraceEntry {
    inspection
        .trace
        .iter()
        .find(|t| t.field == field)
        .unwrap_or_else(|| panic!("no trace for {field}"))
}

// ---- 13: `.length` counts arrays only ----

#[test]
fn a_string_of_items_is_not_a_list() {
    let inspection = inspect(&with("/items", json!("A,B")));
    assert_eq!(sent(&inspection, "custom_data.num_items"), None);
    let listed = inspect(&with("/items", json!([{"id": "A"}, {"id": "B"}])));
    assert_eq!(sent(&listed, "custom_data.num_items"), Some(&json!(2)));
}
