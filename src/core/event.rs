//! Loading Commanders Act events from files, stdin or pasted text.
//!
//! Three layouts are accepted: one JSON object, a JSON array of objects, and NDJSON / JSON
//! Lines (one object per line). Text that is one valid JSON document is read as that document.
//! Otherwise it is NDJSON when its first line holds a complete JSON value and more lines
//! follow, when its name ends in `.ndjson` or `.jsonl`, or when at least half of its lines are
//! JSON values on their own; anything else is one syntax error for the whole file (a
//! pretty-printed document with a typo has almost no line that parses alone).
//!
//! A file that cannot be read as a whole is a [`LoadError`] naming the place; inside an array or
//! an NDJSON file a single bad record (bad JSON, bytes that are not UTF-8, not an object) does
//! not sink the others: it becomes a [`SourceEvent`] carrying the problem, so positions in the
//! input and in the report stay aligned and nothing is dropped silently. Every problem and
//! warning found while reading starts with its place, `FILE:LINE:` or `FILE:LINE:COLUMN:`.
//!
//! A key given twice in one object is kept last-wins, as JSON parsers and Pinterest read it,
//! and noted as an `input.duplicate_key` warning on the event; duplicates are found while the
//! record is parsed, so reading costs no second pass.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::config::looks_like_access_token;
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

    /// Findings about how the record was read that do not stop it from being mapped (a key
    /// given twice); the inspection reports them with the event's other diagnostics.
    pub warnings: Vec<Diagnostic>,
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
            warnings: Vec::new(),
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

/// The UTF-8 byte order mark some editors write at the start of a file.
const BOM: &str = "\u{feff}";

/// Parses the bytes of one input, whatever its layout. Bytes that are not UTF-8 sink the whole
/// input only when it is not NDJSON; in NDJSON they make their own line a broken record.
pub fn parse_bytes(source_name: &str, bytes: &[u8]) -> Result<Vec<SourceEvent>, LoadError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_text(source_name, text),
        Err(err) => {
            let bytes = bytes.strip_prefix(BOM.as_bytes()).unwrap_or(bytes);
            if is_ndjson(source_name, bytes) {
                return Ok(from_lines(source_name, bytes));
            }
            let (line, column) = line_column(bytes, err.valid_up_to());
            Err(LoadError::NotUtf8 {
                source_name: source_name.to_owned(),
                line,
                column,
            })
        }
    }
}

/// Parses text that holds one object, an array of objects or NDJSON.
pub fn parse_text(source_name: &str, text: &str) -> Result<Vec<SourceEvent>, LoadError> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    if text.trim().is_empty() {
        return Err(LoadError::Empty {
            source_name: source_name.to_owned(),
        });
    }

    let whole_error = match serde_json::from_str::<&RawValue>(text) {
        Ok(raw) => return from_document(source_name, text, raw),
        Err(err) => err,
    };

    if is_ndjson(source_name, text.as_bytes()) {
        return Ok(from_lines(source_name, text.as_bytes()));
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
                let (line, column) = line_column(text.as_bytes(), offset_in(text, record.get()));
                let at = Place {
                    source_name,
                    line,
                    column: Some(column),
                };
                match parse_record(record.get()) {
                    Ok((body, duplicates)) => event_at(&at, position, body, &duplicates),
                    Err(err) => {
                        // The parser counts from the record's start; the message counts from
                        // the file's.
                        let error_at = Place {
                            source_name,
                            line: line + err.line().saturating_sub(1),
                            column: Some(if err.line() <= 1 {
                                column + err.column().saturating_sub(1)
                            } else {
                                err.column().max(1)
                            }),
                        };
                        let mut event = event_at(&at, position, Value::Null, &[]);
                        event.problem = Some(Diagnostic::whole_event(
                            Code::InputSyntax,
                            format!(
                                "{error_at}: this record is not valid JSON ({}); the other records were still read",
                                syntax_message(&err)
                            ),
                        ));
                        event
                    }
                }
            })
            .collect());
    }

    let (value, duplicates) =
        parse_record(trimmed).map_err(|err| syntax_error(source_name, &err))?;
    match value {
        Value::Object(_) => {
            let (line, column) = line_column(text.as_bytes(), offset_in(text, raw.get()));
            let at = Place {
                source_name,
                line,
                column: Some(column),
            };
            Ok(vec![event_at(&at, 0, value, &duplicates)])
        }
        other => Err(LoadError::NotEvents {
            source_name: source_name.to_owned(),
            kind: kind_of(&other),
        }),
    }
}

/// NDJSON: each non-empty line is a record; a bad line (bad JSON, not UTF-8) is kept as a
/// broken record.
fn from_lines(source_name: &str, bytes: &[u8]) -> Vec<SourceEvent> {
    let mut events = Vec::new();
    for (line_index, line) in lines(bytes).enumerate() {
        if is_blank(line) {
            continue;
        }
        let at = Place {
            source_name,
            line: line_index + 1,
            column: None,
        };
        let origin = at.origin(events.len());
        let broken = |message: String, body: Value| SourceEvent {
            origin: origin.clone(),
            body,
            problem: Some(Diagnostic::whole_event(Code::InputSyntax, message)),
            warnings: Vec::new(),
        };

        let text = match std::str::from_utf8(line) {
            Ok(text) => text,
            Err(err) => {
                let column = err.valid_up_to() + 1;
                let byte = line.get(err.valid_up_to()).copied().unwrap_or_default();
                let message = format!(
                    "{source_name}:{}:{column}: this line is not UTF-8 at column {column} (byte 0x{byte:02X}); save the file as UTF-8. The other lines were still read",
                    at.line
                );
                let body = Value::String(String::from_utf8_lossy(line).into_owned());
                events.push(broken(message, body));
                continue;
            }
        };

        match parse_record(text) {
            Ok((Value::Array(elements), duplicates)) => {
                for (element_index, element) in elements.into_iter().enumerate() {
                    let own: Vec<KeyPath> = duplicates
                        .iter()
                        .filter_map(|path| path.inside_element(element_index))
                        .collect();
                    events.push(event_at(&at, events.len(), element, &own));
                }
            }
            Ok((body, duplicates)) => events.push(event_at(&at, events.len(), body, &duplicates)),
            Err(err) => {
                let message = format!(
                    "{source_name}:{}:{}: this line is not valid JSON ({}); the other lines were still read",
                    at.line,
                    err.column().max(1),
                    syntax_message(&err)
                );
                events.push(broken(message, Value::String(text.to_owned())));
            }
        }
    }
    events
}

/// The lines of `bytes`, split at `\n`, without a trailing `\r`.
fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    bytes
        .split(|b| *b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
}

/// Whether a line holds nothing but whitespace.
fn is_blank(line: &[u8]) -> bool {
    std::str::from_utf8(line).map_or_else(
        |_| line.iter().all(u8::is_ascii_whitespace),
        |text| text.trim().is_empty(),
    )
}

/// Whether input that is not one valid JSON document is NDJSON: its first line holds a complete
/// JSON value and more lines follow; or its name ends in `.ndjson` / `.jsonl`; or at least half
/// of its (two or more) lines are JSON objects or arrays on their own. A pretty-printed document
/// with a typo has almost no line that parses alone, so it stays one syntax error.
fn is_ndjson(source_name: &str, bytes: &[u8]) -> bool {
    let mut lines = lines(bytes).filter(|line| !is_blank(line));
    let Some(first) = lines.next() else {
        return false;
    };
    let more = lines.next().is_some();
    let parses = |line: &[u8]| serde_json::from_slice::<&RawValue>(line).is_ok();
    if more && parses(first) {
        return true;
    }
    if has_ndjson_extension(source_name) {
        return true;
    }

    let mut total = 0_usize;
    let mut whole_values = 0_usize;
    for line in self::lines(bytes).filter(|line| !is_blank(line)) {
        total += 1;
        let trimmed = line.trim_ascii_start();
        if (trimmed.starts_with(b"{") || trimmed.starts_with(b"[")) && parses(line) {
            whole_values += 1;
        }
    }
    total >= 2 && whole_values * 2 >= total
}

/// `.ndjson` and `.jsonl` name NDJSON, whatever the content looks like.
fn has_ndjson_extension(source_name: &str) -> bool {
    std::path::Path::new(source_name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("ndjson") || e.eq_ignore_ascii_case("jsonl"))
}

/// Where a record is: `FILE:LINE` or `FILE:LINE:COLUMN`, the prefix of every message about it.
struct Place<'a> {
    source_name: &'a str,
    line: usize,
    column: Option<usize>,
}

impl Place<'_> {
    fn origin(&self, position: usize) -> Origin {
        Origin {
            source: self.source_name.to_owned(),
            line: self.line,
            position,
        }
    }
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.source_name, self.line)?;
        if let Some(column) = self.column {
            write!(f, ":{column}")?;
        }
        Ok(())
    }
}

fn event_at(at: &Place<'_>, position: usize, body: Value, duplicates: &[KeyPath]) -> SourceEvent {
    let problem = (!body.is_object()).then(|| {
        let mut problem = not_object(&body);
        problem.message = format!("{at}: {}", problem.message);
        problem
    });
    let warnings = duplicate_key_warning(at, &body, duplicates)
        .into_iter()
        .collect();
    SourceEvent {
        origin: at.origin(position),
        body,
        problem,
        warnings,
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
        // serde_json says column 0 at the very start of a line (a file cut right after a
        // line break); columns are 1-based everywhere else.
        column: err.column().max(1),
        message: syntax_message(err),
    }
}

fn syntax_message(err: &serde_json::Error) -> String {
    explain_json_message(&strip_location(err))
}

/// `serde_json`'s message in plainer words where it is cryptic. Config files use it too.
pub(crate) fn explain_json_message(message: &str) -> String {
    if message.starts_with("EOF while parsing") {
        format!("{message}: the JSON ends too early (a missing }} or ], or the file was cut short)")
    } else if message.starts_with("control character") {
        format!(
            "{message}: a line break or control character inside a text; the text is probably not closed with a \", or the file was cut in the middle of it"
        )
    } else if message.contains("recursion limit") {
        "the JSON is nested more than 128 levels deep".to_owned()
    } else if message.contains("hex escape") {
        // serde_json says "unexpected end of hex escape" for "\ud800" alone and "lone leading
        // surrogate" for "\udc00" alone.
        format!(
            "{message}: invalid \\u escape: a lone UTF-16 surrogate. A \\ud800–\\udbff escape \
             must be followed by a \\udc00–\\udfff one (a pair that makes one character), and \
             \\udc00–\\udfff never comes alone; the text was probably cut in the middle of a \
             character (emoji)"
        )
    } else {
        message.to_owned()
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

/// The 1-based line and column (in bytes) of `offset` in `bytes`. Config files use it too.
pub(crate) fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.split(|b| *b == b'\n').count();
    let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, column)
}

/// Parses one record into a [`Value`], exactly as `serde_json::from_str` would (a key given
/// twice keeps its last value), and returns the path of every repeated key.
fn parse_record(text: &str) -> Result<(Value, Vec<KeyPath>), serde_json::Error> {
    let mut duplicates = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = RecordSeed {
        duplicates: &mut duplicates,
        at: None,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok((value, duplicates))
}

/// One step of a key path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum KeyStep {
    Key(String),
    Index(usize),
}

/// Where a repeated key is inside a record: `user.email`, `items[0].id`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct KeyPath(Vec<KeyStep>);

impl KeyPath {
    /// The path inside element `index` of a top-level array, if it is in that element.
    fn inside_element(&self, index: usize) -> Option<Self> {
        match self.0.split_first() {
            Some((KeyStep::Index(first), rest)) if *first == index => Some(Self(rest.to_vec())),
            _ => None,
        }
    }

    /// The value at this path in `body` (the one kept).
    fn value_in<'v>(&self, body: &'v Value) -> Option<&'v Value> {
        self.0.iter().try_fold(body, |value, step| match step {
            KeyStep::Key(key) => value.get(key),
            KeyStep::Index(index) => value.get(index),
        })
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, step) in self.0.iter().enumerate() {
            match step {
                KeyStep::Key(key) if n == 0 => f.write_str(key)?,
                KeyStep::Key(key) => write!(f, ".{key}")?,
                KeyStep::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// The chain of keys and indexes from the record's root to the value being parsed; built on
/// the stack as the parser descends, and turned into a [`KeyPath`] only for a repeated key.
struct PathNode<'p> {
    parent: Option<&'p PathNode<'p>>,
    step: PathStep<'p>,
}

#[derive(Clone, Copy)]
enum PathStep<'p> {
    Key(&'p str),
    Index(usize),
}

fn key_path(at: Option<&PathNode<'_>>, last: &str) -> KeyPath {
    let mut steps = vec![KeyStep::Key(last.to_owned())];
    let mut node = at;
    while let Some(current) = node {
        steps.push(match current.step {
            PathStep::Key(key) => KeyStep::Key(key.to_owned()),
            PathStep::Index(index) => KeyStep::Index(index),
        });
        node = current.parent;
    }
    steps.reverse();
    KeyPath(steps)
}

/// Builds a [`Value`] like `Value`'s own `Deserialize`, noting repeated keys on the way.
struct RecordSeed<'d, 'p> {
    duplicates: &'d mut Vec<KeyPath>,
    at: Option<&'p PathNode<'p>>,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_, '_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            let node = PathNode {
                parent: self.at,
                step: PathStep::Index(list.len()),
            };
            let seed = RecordSeed {
                duplicates: &mut *self.duplicates,
                at: Some(&node),
            };
            match seq.next_element_seed(seed)? {
                Some(value) => list.push(value),
                None => break,
            }
        }
        Ok(Value::Array(list))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = {
                let node = PathNode {
                    parent: self.at,
                    step: PathStep::Key(&key),
                };
                map.next_value_seed(RecordSeed {
                    duplicates: &mut *self.duplicates,
                    at: Some(&node),
                })?
            };
            if object.contains_key(&key) {
                self.duplicates.push(key_path(self.at, &key));
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// Most repeated keys named in one warning; the rest are counted.
const DUPLICATE_KEYS_NAMED: usize = 5;

/// One `input.duplicate_key` warning for all the repeated keys of an event, if it has any.
fn duplicate_key_warning(
    at: &Place<'_>,
    body: &Value,
    duplicates: &[KeyPath],
) -> Option<Diagnostic> {
    if duplicates.is_empty() || !body.is_object() {
        return None;
    }

    // Each path once, in the order first repeated, with how often its key appears.
    let mut counted: Vec<(&KeyPath, usize)> = Vec::new();
    for path in duplicates {
        match counted.iter_mut().find(|(seen, _)| *seen == path) {
            Some((_, count)) => *count += 1,
            None => counted.push((path, 2)),
        }
    }

    let times = |count: usize| match count {
        2 => "twice".to_owned(),
        n => format!("{n} times"),
    };
    let message = if let [(path, count)] = counted.as_slice() {
        // A value that looks like an access token is not repeated in a message.
        let kept = path
            .value_in(body)
            .filter(|value| !value.as_str().is_some_and(looks_like_access_token))
            .map(short_json)
            .map(|value| format!(" ({value})"))
            .unwrap_or_default();
        format!(
            "{at}: the key \"{path}\" appears {} in this event; the last value{kept} is used, as JSON parsers and Pinterest read it. Keep only the value you mean",
            times(*count)
        )
    } else {
        let named: Vec<String> = counted
            .iter()
            .take(DUPLICATE_KEYS_NAMED)
            .map(|(path, count)| format!("\"{path}\" ({})", times(*count)))
            .collect();
        let more = counted.len().saturating_sub(DUPLICATE_KEYS_NAMED);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        format!(
            "{at}: {} keys appear more than once in this event: {}{more}; the last value of each is used, as JSON parsers and Pinterest read it. Keep only the values you mean",
            counted.len(),
            named.join(", ")
        )
    };
    Some(Diagnostic::whole_event(Code::InputDuplicateKey, message))
}

/// A value for a message: its JSON, cut to a readable length.
fn short_json(value: &Value) -> String {
    const LIMIT: usize = 60;
    let text = value.to_string();
    if text.chars().count() <= LIMIT {
        text
    } else {
        let cut: String = text.chars().take(LIMIT).collect();
        format!("{cut}…")
    }
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
    fn a_file_cut_short_says_so_at_its_end() {
        let text = "[{\"event_name\": \"purchase\",\n \"x\": ";
        let err = parse_text("cut.json", text).unwrap_err();
        assert_eq!(err.location(), Some((2, 6)));
        let message = err.to_string();
        assert!(message.starts_with("cut.json:2:6: "), "{message}");
        assert!(message.contains("the JSON ends too early"), "{message}");

        // Cut right after a line break: column 1, not 0.
        let err = parse_text("cut.json", "[\n").unwrap_err();
        assert_eq!(err.location(), Some((2, 1)));

        // Cut inside a text that a line break follows.
        let err = parse_text("cut.json", "{\"event_name\": \"purch\n").unwrap_err();
        assert!(err.to_string().contains("not closed"), "{err}");
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
    fn a_complete_first_line_makes_ndjson_whatever_follows() {
        // Most lines broken: still NDJSON, because the first line is a complete value.
        let text = "{\"event_name\": \"a\"}\n{\"x\n{\"y\n{\"z\n";
        let events = parse_text("e.json", text).unwrap();
        assert_eq!(events.len(), 4);
        assert!(events[0].problem.is_none());
        assert!(events[1..].iter().all(|e| e.problem.is_some()));

        // Bare scalars after a good line are records that are not objects.
        let events = parse_text("e.json", "{\"event_name\": \"a\"}\n42\n\"x\"\nnull\n").unwrap();
        let codes: Vec<Option<Code>> = events
            .iter()
            .map(|e| e.problem.as_ref().map(|p| p.code))
            .collect();
        assert_eq!(
            codes,
            [
                None,
                Some(Code::InputNotObject),
                Some(Code::InputNotObject),
                Some(Code::InputNotObject)
            ]
        );
        let message = &events[1].problem.as_ref().unwrap().message;
        assert!(
            message.starts_with("e.json:2: this record is a number"),
            "{message}"
        );
    }

    #[test]
    fn the_ndjson_extension_forces_line_reading() {
        // The first line is broken and so are most others: a .json file is one syntax error,
        // a .ndjson or .jsonl file keeps its good line.
        let text = "{\"event_name\": \n{\"x\n{\"event_name\": \"b\"}\n";
        assert!(matches!(
            parse_text("e.json", text),
            Err(LoadError::Syntax { .. })
        ));
        for name in ["e.ndjson", "dir/E.JSONL"] {
            let events = parse_text(name, text).unwrap();
            assert_eq!(events.len(), 3, "{name}");
            assert_eq!(events[2].event_name(), Some("b"));
        }
        // One valid document is read as a document even with the extension.
        let pretty = "{\n  \"event_name\": \"a\"\n}\n";
        assert_eq!(parse_text("e.ndjson", pretty).unwrap().len(), 1);
    }

    #[test]
    fn a_pretty_printed_document_with_a_typo_stays_one_error() {
        let text = "[\n  {\n    \"event_name\": \"a\",\n  },\n  {\"event_name\": \"b\"}\n]\n";
        let err = parse_text("p.json", text).unwrap_err();
        assert_eq!(err.location(), Some((4, 3)), "{err}");
    }

    #[test]
    fn bytes_that_are_not_utf8_break_only_their_ndjson_line() {
        let bytes =
            b"{\"event_name\": \"a\"}\n{\"event_name\": \"caf\xe9\"}\r\n{\"event_name\": \"c\"}\n";
        let events = parse_bytes("u.ndjson", bytes).unwrap();
        assert_eq!(events.len(), 3);
        assert_eq!(events[0].event_name(), Some("a"));
        assert_eq!(events[2].event_name(), Some("c"));
        let problem = events[1].problem.as_ref().unwrap();
        assert_eq!(problem.code, Code::InputSyntax);
        assert!(
            problem
                .message
                .starts_with("u.ndjson:2:20: this line is not UTF-8 at column 20 (byte 0xE9)"),
            "{}",
            problem.message
        );
        // Without a line that parses on its own, it is still one error naming the place.
        let err = parse_bytes("x.json", b"{\n\"a\": \"\xff\"\n}").unwrap_err();
        assert!(matches!(err, LoadError::NotUtf8 { .. }));
        assert_eq!(err.location(), Some((2, 7)));
    }

    #[test]
    fn a_bad_record_in_an_array_names_its_line_and_column() {
        let events = parse_text("big.json", "[{\"a\": 1}, {\"value\": 1e999}]").unwrap();
        let problem = events[1].problem.as_ref().unwrap();
        assert_eq!(problem.code, Code::InputSyntax);
        assert!(
            problem
                .message
                .starts_with("big.json:1:26: this record is not valid JSON (number out of range)"),
            "{}",
            problem.message
        );
        let events = parse_text("big.json", "[\n  {\"a\": 1},\n  {\"a\":\n  1e999}\n]").unwrap();
        let problem = events[1].problem.as_ref().unwrap();
        assert!(
            problem.message.starts_with("big.json:4:7: "),
            "{}",
            problem.message
        );
    }

    #[test]
    fn an_ndjson_syntax_message_names_its_place_once() {
        let events = parse_text("b.ndjson", "{\"a\": 1}\n{\"a\": tru}\n").unwrap();
        let message = &events[1].problem.as_ref().unwrap().message;
        assert!(message.starts_with("b.ndjson:2:"), "{message}");
        assert_eq!(message.matches("b.ndjson").count(), 1, "{message}");
    }

    #[test]
    fn a_lone_surrogate_is_explained() {
        let err = parse_text("s.json", r#"{"event_name": "\ud800"}"#).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("a lone UTF-16 surrogate"), "{text}");
        let err = parse_text("s.json", r#"{"event_name": "\udc00"}"#).unwrap_err();
        assert!(err.to_string().contains("a lone UTF-16 surrogate"), "{err}");
        // A valid pair is a character.
        let events = parse_text("s.json", r#"{"event_name": "\ud83d\ude00"}"#).unwrap();
        assert_eq!(events[0].event_name(), Some("😀"));
    }

    #[test]
    fn a_key_given_twice_keeps_the_last_value_and_warns() {
        let text = r#"{"event_name": "purchase", "user": {"email": "a@b.co", "email": "c@d.co"}, "event_name": "page_view"}"#;
        let events = parse_text("d.json", text).unwrap();
        assert_eq!(events[0].event_name(), Some("page_view"));
        assert_eq!(events[0].body["user"]["email"], "c@d.co");
        assert_eq!(events[0].body, serde_json::from_str::<Value>(text).unwrap());
        let warning = &events[0].warnings[0];
        assert_eq!(events[0].warnings.len(), 1);
        assert_eq!(warning.code, Code::InputDuplicateKey);
        assert_eq!(warning.field, None);
        assert!(
            warning
                .message
                .starts_with("d.json:1:1: 2 keys appear more than once"),
            "{}",
            warning.message
        );
        assert!(
            warning
                .message
                .contains("\"user.email\" (twice), \"event_name\" (twice)"),
            "{}",
            warning.message
        );

        // One key: its kept value is named. Items have their index.
        let line = r#"{"event_name": "a", "items": [{"id": 1}, {"id": 2, "id": 3, "id": 4}]}"#;
        let events =
            parse_text("d.ndjson", &format!("{line}\n{{\"event_name\": \"b\"}}\n")).unwrap();
        let message = &events[0].warnings[0].message;
        assert!(
            message.starts_with("d.ndjson:1: the key \"items[1].id\" appears 3 times in this event; the last value (4) is used"),
            "{message}"
        );
        assert!(events[1].warnings.is_empty());

        // An array on one NDJSON line: each element gets its own warnings.
        let events = parse_text(
            "d.ndjson",
            "[{\"a\": 1}, {\"b\": 1, \"b\": 2}]\n{\"c\": 1}\n",
        )
        .unwrap();
        assert!(events[0].warnings.is_empty());
        assert!(
            events[1].warnings[0].message.contains("\"b\""),
            "{:?}",
            events[1].warnings
        );

        // Many keys: five are named and the rest counted.
        let many: Vec<String> = (0..8)
            .map(|n| format!("\"k{n}\": 1, \"k{n}\": 2"))
            .collect();
        let events = parse_text("m.json", &format!("{{{}}}", many.join(", "))).unwrap();
        let message = &events[0].warnings[0].message;
        assert!(message.contains("\"k4\" (twice) and 3 more"), "{message}");
    }

    #[test]
    fn new_flags_non_objects() {
        assert!(SourceEvent::new("t", 0, json!([])).problem.is_some());
        assert!(SourceEvent::new("t", 0, json!({})).problem.is_none());
    }
}
