//! Loading Commanders Act events from files, stdin or pasted text.
//!
//! Three layouts are accepted and told apart by content, not by file name: one JSON object,
//! a JSON array of objects, and NDJSON / JSON Lines (one object per line). A file that cannot
//! be read as a whole is a [`LoadError`] naming the place; inside an array or an NDJSON file a
//! single bad record does not sink the others: it becomes a [`SourceEvent`] carrying the
//! problem, so positions in the input and in the report stay aligned and nothing is dropped
//! silently.

use serde_json::Value;
use serde_json::value::RawValue;

use super::diagnostics::{Code, Diagnostic};

/// Where an event came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// File path as given, `-` for stdin, or a label such as `samples`.
    pub source: String,

    /// 1-based line where the record starts.
    pub line: usize,

    /// 0-based position of the record inside its source.
    pub position: usize,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.source, self.line)
    }
}

/// One record of the input: normally a JSON object, or a record that could not be an event.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceEvent {
    /// Where it was read.
    pub origin: Origin,

    /// The event as read. For a broken NDJSON line, the line's text as a JSON string.
    pub body: Value,

    /// Set when the record cannot be mapped (not an object, bad JSON line).
    pub problem: Option<Diagnostic>,
}

impl SourceEvent {
    /// A well-formed event, e.g. built in code or in tests.
    pub fn new(source: impl Into<String>, position: usize, body: Value) -> Self {
        let problem = (!body.is_object()).then(|| not_object(&body));
        Self {
            origin: Origin {
                source: source.into(),
                line: 1,
                position,
            },
            body,
            problem,
        }
    }

    /// The source `event_name` if it is a string.
    pub fn event_name(&self) -> Option<&str> {
        self.body.get("event_name").and_then(Value::as_str)
    }
}

/// Why a whole input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be opened or read.
    #[error("cannot read {source_name}: {err}")]
    Io {
        /// File path as given.
        source_name: String,
        /// The operating system's reason.
        #[source]
        err: std::io::Error,
    },

    /// Nothing but whitespace.
    #[error(
        "{source_name}: the file is empty; expected a JSON object, a JSON array of objects or NDJSON"
    )]
    Empty {
        /// File path as given.
        source_name: String,
    },

    /// Bytes that are not UTF-8.
    #[error("{source_name}:{line}:{column}: the file is not UTF-8 text")]
    NotUtf8 {
        /// File path as given.
        source_name: String,
        /// 1-based line of the first bad byte.
        line: usize,
        /// 1-based column (in bytes) of the first bad byte.
        column: usize,
    },

    /// The JSON document is malformed.
    #[error("{source_name}:{line}:{column}: {message}")]
    Syntax {
        /// File path as given.
        source_name: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },

    /// Valid JSON that holds no events (a number, a string, `null`).
    #[error(
        "{source_name}: the top-level JSON value is {kind}; expected an event object, an array of events or NDJSON"
    )]
    NotEvents {
        /// File path as given.
        source_name: String,
        /// `a number`, `a string`, …
        kind: &'static str,
    },
}

impl LoadError {
    /// The 1-based line and column the error points at, if any.
    pub fn location(&self) -> Option<(usize, usize)> {
        match self {
            Self::NotUtf8 { line, column, .. } | Self::Syntax { line, column, .. } => {
                Some((*line, *column))
            }
            _ => None,
        }
    }
}

/// Reads and parses one file.
pub fn load_file(path: &std::path::Path) -> Result<Vec<SourceEvent>, LoadError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|err| LoadError::Io {
        source_name: name.clone(),
        err,
    })?;
    parse_bytes(&name, &bytes)
}

/// Parses the bytes of one input, whatever its layout.
pub fn parse_bytes(source_name: &str, bytes: &[u8]) -> Result<Vec<SourceEvent>, LoadError> {
    let text = std::str::from_utf8(bytes).map_err(|err| {
        let (line, column) = line_column(bytes, err.valid_up_to());
        LoadError::NotUtf8 {
            source_name: source_name.to_owned(),
            line,
            column,
        }
    })?;
    parse_text(source_name, text)
}

/// Parses text that holds one object, an array of objects or NDJSON.
pub fn parse_text(source_name: &str, text: &str) -> Result<Vec<SourceEvent>, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(LoadError::Empty {
            source_name: source_name.to_owned(),
        });
    }

    let whole_error = match serde_json::from_str::<&RawValue>(text) {
        Ok(raw) => return from_document(source_name, text, raw),
        Err(err) => err,
    };

    if looks_like_ndjson(text) {
        return Ok(from_lines(source_name, text));
    }
    Err(syntax_error(source_name, &whole_error))
}

/// A document that parsed as a whole: an object, or an array of records.
fn from_document(
    source_name: &str,
    text: &str,
    raw: &RawValue,
) -> Result<Vec<SourceEvent>, LoadError> {
    let trimmed = raw.get().trim_start();
    if trimmed.starts_with('[') {
        // Parse the array as raw slices first so each record knows its line.
        let records: Vec<&RawValue> =
            serde_json::from_str(trimmed).map_err(|err| syntax_error(source_name, &err))?;
        return Ok(records
            .into_iter()
            .enumerate()
            .map(|(position, record)| {
                let offset = offset_in(text, record.get());
                match serde_json::from_str::<Value>(record.get()) {
                    Ok(body) => event_at(source_name, text, offset, position, body),
                    Err(err) => {
                        let message = syntax_message(&err);
                        let mut event = event_at(source_name, text, offset, position, Value::Null);
                        let at = &event.origin;
                        event.problem = Some(Diagnostic::whole_event(
                            Code::InputSyntax,
                            format!("{at}: {message}"),
                        ));
                        event
                    }
                }
            })
            .collect());
    }

    let value: Value =
        serde_json::from_str(trimmed).map_err(|err| syntax_error(source_name, &err))?;
    match value {
        Value::Object(_) => {
            let offset = offset_in(text, raw.get());
            Ok(vec![event_at(source_name, text, offset, 0, value)])
        }
        other => Err(LoadError::NotEvents {
            source_name: source_name.to_owned(),
            kind: kind_of(&other),
        }),
    }
}

/// NDJSON: each non-empty line is a record; a bad line is kept as a broken record.
fn from_lines(source_name: &str, text: &str) -> Vec<SourceEvent> {
    let mut events = Vec::new();
    for (line_index, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let line_number = line_index + 1;
        let origin = Origin {
            source: source_name.to_owned(),
            line: line_number,
            position: events.len(),
        };
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Array(elements)) => {
                for element in elements {
                    let problem = (!element.is_object()).then(|| not_object(&element));
                    events.push(SourceEvent {
                        origin: Origin {
                            position: events.len(),
                            ..origin.clone()
                        },
                        body: element,
                        problem,
                    });
                }
            }
            Ok(body) => {
                let problem = (!body.is_object()).then(|| not_object(&body));
                events.push(SourceEvent {
                    origin,
                    body,
                    problem,
                });
            }
            Err(err) => {
                let message = format!(
                    "{source_name}:{line_number}:{}: this line is not valid JSON ({}); the other lines were still read",
                    err.column(),
                    syntax_message(&err)
                );
                events.push(SourceEvent {
                    origin,
                    body: Value::String(line.to_owned()),
                    problem: Some(Diagnostic::whole_event(Code::InputSyntax, message)),
                });
            }
        }
    }
    events
}

/// Whether a text that failed to parse as one document is NDJSON: at least two non-empty lines
/// and at least half of them JSON values on their own. A pretty-printed document with a typo
/// has almost no line that parses alone, so it is reported as one syntax error instead.
fn looks_like_ndjson(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.len() < 2 {
        return false;
    }
    let parsed = lines
        .iter()
        .filter(|line| {
            let line = line.trim();
            (line.starts_with('{') || line.starts_with('['))
                && serde_json::from_str::<&RawValue>(line).is_ok()
        })
        .count();
    parsed * 2 >= lines.len()
}

fn event_at(
    source_name: &str,
    text: &str,
    offset: usize,
    position: usize,
    body: Value,
) -> SourceEvent {
    let (line, _) = line_column(text.as_bytes(), offset);
    let problem = (!body.is_object()).then(|| not_object(&body));
    SourceEvent {
        origin: Origin {
            source: source_name.to_owned(),
            line,
            position,
        },
        body,
        problem,
    }
}

fn not_object(body: &Value) -> Diagnostic {
    Diagnostic::whole_event(
        Code::InputNotObject,
        format!(
            "this record is {}, not a JSON object, so it cannot be an event",
            kind_of(body)
        ),
    )
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn syntax_error(source_name: &str, err: &serde_json::Error) -> LoadError {
    LoadError::Syntax {
        source_name: source_name.to_owned(),
        line: err.line(),
        column: err.column(),
        message: syntax_message(err),
    }
}

fn syntax_message(err: &serde_json::Error) -> String {
    let message = strip_location(err);
    if message.contains("recursion limit") {
        "the JSON is nested more than 128 levels deep".to_owned()
    } else {
        message
    }
}

/// `serde_json`'s message without its trailing "at line X column Y".
fn strip_location(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

/// Byte offset of `inner` inside `outer`; `inner` must be a slice of `outer`.
fn offset_in(outer: &str, inner: &str) -> usize {
    let start = outer.as_ptr() as usize;
    let position = inner.as_ptr() as usize;
    position.saturating_sub(start).min(outer.len())
}

fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.split(|b| *b == b'\n').count();
    let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_one_object() {
        let events = parse_text("a.json", r#"{"event_name": "purchase"}"#).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].event_name(), Some("purchase"));
        assert!(events[0].problem.is_none());
    }

    #[test]
    fn reads_array_with_lines_and_keeps_non_objects() {
        let text = "[\n  {\"event_name\": \"a\"},\n  42,\n  {\"event_name\": \"b\"}\n]";
        let events = parse_text("a.json", text).unwrap();
        assert_eq!(events.len(), 3);
        assert_eq!(events[0].origin.line, 2);
        assert_eq!(events[1].origin.line, 3);
        assert_eq!(
            events[1].problem.as_ref().map(|d| d.code),
            Some(Code::InputNotObject)
        );
        assert_eq!(events[2].event_name(), Some("b"));
    }

    #[test]
    fn reads_ndjson_and_keeps_going_after_a_bad_line() {
        let text = "{\"event_name\": \"a\"}\n{\"event_name\": \n\n{\"event_name\": \"c\"}\r\n";
        let events = parse_text("e.ndjson", text).unwrap();
        assert_eq!(events.len(), 3);
        assert_eq!(events[1].origin.line, 2);
        let problem = events[1].problem.as_ref().unwrap();
        assert_eq!(problem.code, Code::InputSyntax);
        assert!(
            problem.message.starts_with("e.ndjson:2:"),
            "{}",
            problem.message
        );
        assert_eq!(events[2].event_name(), Some("c"));
        assert_eq!(events[2].origin.line, 4);
    }

    #[test]
    fn syntax_error_names_line_and_column() {
        let text = "{\n  \"event_name\": \"a\",\n  \"value\": ,\n}";
        let err = parse_text("bad.json", text).unwrap_err();
        assert_eq!(err.location(), Some((3, 12)));
        assert!(err.to_string().starts_with("bad.json:3:12: "), "{err}");
    }

    #[test]
    fn empty_bom_scalar_and_deep_inputs_are_clear_errors() {
        assert!(matches!(
            parse_text("e", " \n "),
            Err(LoadError::Empty { .. })
        ));
        assert!(matches!(
            parse_text("e", "\u{feff}"),
            Err(LoadError::Empty { .. })
        ));
        let bom = parse_text("b", "\u{feff}{\"event_name\": \"x\"}").unwrap();
        assert_eq!(bom[0].event_name(), Some("x"));
        assert!(matches!(
            parse_text("n", "42"),
            Err(LoadError::NotEvents { .. })
        ));
        let deep_object = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
        let err = parse_text("deep", &deep_object).unwrap_err();
        assert!(
            err.to_string().contains("nested more than 128 levels"),
            "{err}"
        );
        // Inside an array the deep record is kept as a broken event, with the same message.
        let deep_array = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let events = parse_text("deep", &deep_array).unwrap();
        let problem = events[0].problem.as_ref().unwrap();
        assert!(
            problem.message.contains("nested more than 128 levels"),
            "{}",
            problem.message
        );
    }

    #[test]
    fn invalid_utf8_names_the_place() {
        let err = parse_bytes("x", b"{\"a\":\n\"\xff\"}").unwrap_err();
        assert_eq!(err.location(), Some((2, 2)));
    }

    #[test]
    fn new_flags_non_objects() {
        assert!(SourceEvent::new("t", 0, json!([])).problem.is_some());
        assert!(SourceEvent::new("t", 0, json!({})).problem.is_none());
    }
}
