//! The pinned Pinterest schema (API 5.23.0, MIT licence in `assets/pinterest/`), and payload
//! validation against it with a real JSON Schema validator.
//!
//! Validation is the last safety net: pinspect's own rules explain most problems in plain
//! words first, and a schema error that repeats one of them is not reported twice.

use std::sync::OnceLock;

use serde_json::{Value, json};

use super::diagnostics::{Code, Diagnostic, Severity};

/// The schema version the payloads are checked against; also the report's `schema_version`.
pub const SCHEMA_VERSION: &str = "5.23.0";

const SCHEMA_TEXT: &str =
    include_str!("../../assets/pinterest/conversion-events-5.23.0.schema.json");

/// The embedded schema as JSON.
pub fn schema_json() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        serde_json::from_str(SCHEMA_TEXT).unwrap_or_else(|err| {
            log::error!("the embedded Pinterest schema is not valid JSON: {err}");
            Value::Null
        })
    })
}

fn validator() -> Option<&'static jsonschema::Validator> {
    static VALIDATOR: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| match jsonschema::validator_for(schema_json()) {
            Ok(validator) => Some(validator),
            Err(err) => {
                log::error!("the embedded Pinterest schema cannot be compiled: {err}");
                None
            }
        })
        .as_ref()
}

/// Validates a whole request body `{"data": [...]}`; returns `(JSON pointer, message)` pairs.
pub fn validate_body(body: &Value) -> Vec<(String, String)> {
    let Some(validator) = validator() else {
        return vec![(
            String::new(),
            "the pinned schema could not be loaded".to_owned(),
        )];
    };
    let mut found = Vec::new();
    for err in validator.iter_errors(body) {
        let pointer = err.instance_path().to_string();
        match err.kind() {
            // Point at the missing or unexpected key itself, not at its parent object.
            jsonschema::error::ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                found.push((format!("{pointer}/{name}"), format!("{name} is required")));
            }
            jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                for name in unexpected {
                    found.push((
                        format!("{pointer}/{name}"),
                        format!("{name} is not a field Pinterest accepts here"),
                    ));
                }
            }
            _ => {
                // The validator quotes the whole value; a 300-character text would drown the
                // message, so it is cut to its start.
                let whole = err.instance().to_string();
                let message = err.to_string();
                let message = if whole.chars().count() > EXCERPT_CHARS + 2 {
                    message.replacen(&whole, &excerpt(err.instance()), 1)
                } else {
                    message
                };
                found.push((pointer, message));
            }
        }
    }
    found
}

/// How many characters of a long value messages quote.
pub const EXCERPT_CHARS: usize = 60;

/// A JSON value for a message: as JSON, but a long one is cut to its first
/// [`EXCERPT_CHARS`] characters, followed by `…` and, for text, its length.
pub fn excerpt(value: &Value) -> String {
    match value {
        Value::String(text) if text.chars().count() > EXCERPT_CHARS => {
            let head: String = text.chars().take(EXCERPT_CHARS).collect();
            let quoted = Value::String(head).to_string();
            let open = quoted.strip_suffix('"').unwrap_or(&quoted);
            format!("{open}…\" ({} characters)", text.chars().count())
        }
        other => {
            let whole = other.to_string();
            if whole.chars().count() > EXCERPT_CHARS {
                let head: String = whole.chars().take(EXCERPT_CHARS).collect();
                format!("{head}…")
            } else {
                whole
            }
        }
    }
}

/// Validates one event payload and turns each violation into a diagnostic, unless an error
/// about the same field (or a parent or child of it) is already in `existing`.
pub fn check_payload(payload: &Value, existing: &[Diagnostic]) -> Vec<Diagnostic> {
    let body = json!({ "data": [payload] });
    let mut found: Vec<Diagnostic> = Vec::new();
    for (pointer, message) in validate_body(&body) {
        let field = pointer_to_field(&pointer);
        let already = existing.iter().chain(found.iter()).any(|d| {
            d.severity == Severity::Error
                && match (&d.field, &field) {
                    (Some(own), Some(new)) => d.is_about(new) || overlaps(new, own),
                    (None, None) => true,
                    _ => false,
                }
        });
        if already {
            continue;
        }
        // The field is in `field`, and every reader prints it before the message: the message
        // does not repeat it.
        let text = format!("{message} (Pinterest schema {SCHEMA_VERSION})");
        found.push(Diagnostic {
            code: Code::SchemaViolation,
            severity: Code::SchemaViolation.severity(),
            field,
            message: text,
        });
    }
    found
}

/// `new` is a child of `own`.
fn overlaps(new: &str, own: &str) -> bool {
    new.strip_prefix(own)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

/// `/data/0/custom_data/contents/1/item_price` → `custom_data.contents[1].item_price`;
/// `/data/0` → `None` (the whole event).
pub fn pointer_to_field(pointer: &str) -> Option<String> {
    let mut parts = pointer.split('/').skip(1);
    if parts.next() != Some("data") {
        return None;
    }
    let _event_index = parts.next();
    let mut field = String::new();
    for part in parts {
        let part = part.replace("~1", "/").replace("~0", "~");
        if part.chars().all(|c| c.is_ascii_digit()) && !part.is_empty() {
            field.push('[');
            field.push_str(&part);
            field.push(']');
        } else {
            if !field.is_empty() {
                field.push('.');
            }
            field.push_str(&part);
        }
    }
    (!field.is_empty()).then_some(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minimal_event_is_valid() {
        let body = json!({"data": [{
            "event_name": "checkout", "action_source": "web", "event_time": 1,
            "event_id": "e", "user_data": {"em": ["x"]}
        }]});
        assert!(validate_body(&body).is_empty());
    }

    #[test]
    fn violations_become_diagnostics_with_field_paths() {
        let payload = json!({
            "event_name": "checkout", "action_source": "web", "event_time": 1,
            "event_id": "e", "user_data": {"em": ["x"]},
            "custom_data": {"value": 5, "category_name": "x"}
        });
        let found = check_payload(&payload, &[]);
        let fields: Vec<_> = found.iter().filter_map(|d| d.field.as_deref()).collect();
        assert!(fields.contains(&"custom_data.value"), "{found:?}");
        assert!(fields.contains(&"custom_data.category_name"), "{found:?}");
        assert!(found.iter().all(|d| d.code == Code::SchemaViolation));
    }

    #[test]
    fn messages_name_the_field_once_and_cut_long_values() {
        let long = "x".repeat(300);
        let payload = json!({
            "event_name": "checkout", "action_source": "web", "event_time": 1,
            "event_id": "e", "user_data": {"em": ["x"]},
            "app_info": {"app_name": long}
        });
        let found = check_payload(&payload, &[]);
        let [violation] = found.as_slice() else {
            panic!("one violation expected: {found:?}");
        };
        assert_eq!(violation.field.as_deref(), Some("app_info.app_name"));
        assert!(
            !violation.message.contains("app_info.app_name"),
            "{}",
            violation.message
        );
        assert!(
            violation
                .message
                .contains(&format!("\"{}…\" (300 characters)", "x".repeat(60))),
            "{}",
            violation.message
        );
        assert!(!violation.message.contains(&"x".repeat(61)));
        assert!(violation.message.contains("longer than 200"));
    }

    #[test]
    fn excerpts_keep_short_values_whole() {
        assert_eq!(excerpt(&json!("abc")), "\"abc\"");
        assert_eq!(excerpt(&json!(150)), "150");
        let list = json!(vec!["abcdefghij"; 10]);
        let cut = excerpt(&list);
        assert!(cut.ends_with('…') && cut.chars().count() == EXCERPT_CHARS + 1);
    }

    #[test]
    fn known_errors_are_not_repeated() {
        let payload = json!({"event_name": "checkout", "action_source": "web", "event_time": 1,
            "user_data": {"em": ["x"]}});
        let existing = vec![Diagnostic::new(Code::EventIdMissing, "event_id", "no id")];
        assert!(check_payload(&payload, &existing).is_empty());
        assert_eq!(check_payload(&payload, &[]).len(), 1);
    }

    #[test]
    fn pointers_become_field_paths() {
        assert_eq!(
            pointer_to_field("/data/0/custom_data/contents/1/item_price").as_deref(),
            Some("custom_data.contents[1].item_price")
        );
        assert_eq!(pointer_to_field("/data/0"), None);
    }
}
