//! Transient UI state: what is selected, what is typed but not applied yet, which windows are
//! open. None of it is persisted and none of it is needed to reproduce a result.

use crate::core::diagnostics::Severity;
use crate::core::fields::{HashedField, canonical_path};
use crate::core::hashcheck::HashCheck;
use crate::core::mapping::{FieldOverride, Mapping};
use crate::core::preset::Source;

use super::command::{Confirm, PathPurpose};

/// How a field override is being edited.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OverrideMode {
    /// Read from source expressions.
    #[default]
    Sources,

    /// Always send a constant.
    Constant,

    /// Never send.
    Skip,
}

/// The override editor's draft for one field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OverrideDraft {
    /// Canonical field path the draft is for.
    pub field: String,

    /// Which kind of override.
    pub mode: OverrideMode,

    /// Source expressions, one per line.
    pub sources: String,

    /// The constant as typed: JSON, or plain text.
    pub constant: String,

    /// Why the draft cannot be applied.
    pub error: Option<String>,

    /// The last constant checked against the config loader's rules: its text, the session
    /// generation it was checked in, and the outcome. The check inspects a probe event, so
    /// it runs when the constant or the mapping changes, not on every frame.
    pub constant_check: Option<(String, u64, Result<(), String>)>,
}

impl OverrideDraft {
    /// A draft that starts from the field's current rule in `mapping`.
    pub fn for_field(field: &str, mapping: &Mapping) -> Self {
        let field = canonical_path(field);
        let current = mapping.fields.get(&field).cloned().or_else(|| {
            mapping
                .preset()
                .sources(&field)
                .map(|sources| FieldOverride::Sources(sources.to_vec()))
        });
        let mut draft = Self {
            field,
            ..Self::default()
        };
        match current {
            Some(FieldOverride::Sources(sources)) => {
                draft.sources = source_lines(&sources);
            }
            Some(FieldOverride::Const(value)) => {
                draft.mode = OverrideMode::Constant;
                draft.constant = match value {
                    serde_json::Value::String(text) => text,
                    other => other.to_string(),
                };
            }
            Some(FieldOverride::Skip) => draft.mode = OverrideMode::Skip,
            None => {}
        }
        draft
    }

    /// The override the draft describes, or why it is not valid yet.
    pub fn to_override(&self) -> Result<FieldOverride, String> {
        match self.mode {
            OverrideMode::Skip => Ok(FieldOverride::Skip),
            OverrideMode::Constant => {
                let text = self.constant.trim();
                if text.is_empty() {
                    return Err("Type the value to send".to_owned());
                }
                Ok(FieldOverride::Const(constant_value(text)))
            }
            OverrideMode::Sources => {
                let mut sources = Vec::new();
                for (number, line) in self.sources.lines().enumerate() {
                    if line.trim().is_empty() {
                        continue;
                    }
                    let source =
                        Source::parse(line).map_err(|err| format!("Line {}: {err}", number + 1))?;
                    sources.push(source);
                }
                if sources.is_empty() {
                    return Err(
                        "Type a source path such as user.email, or pick one from the list"
                            .to_owned(),
                    );
                }
                Ok(FieldOverride::Sources(sources))
            }
        }
    }

    /// The line being typed: the last line of the sources, used to filter the path list.
    pub fn current_line(&self) -> &str {
        self.sources.lines().last().unwrap_or("").trim()
    }

    /// Replaces the line being typed with `path`.
    pub fn pick_path(&mut self, path: &str) {
        let mut lines: Vec<&str> = self.sources.lines().collect();
        if self.sources.ends_with('\n') || lines.is_empty() {
            lines.push(path);
        } else if let Some(last) = lines.last_mut() {
            *last = path;
        }
        self.sources = lines.join("\n");
    }
}

/// A constant as typed: valid JSON is taken as JSON (`12`, `true`, `"x"`, `["a"]`), anything
/// else as text.
pub fn constant_value(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|_| serde_json::Value::String(text.to_owned()))
}

/// Sources as editor lines.
pub fn source_lines(sources: &[Source]) -> String {
    sources
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A message for the user, shown at the bottom until it expires or is dismissed.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    /// How important.
    pub severity: Severity,

    /// The message.
    pub text: String,

    /// When it was posted (egui time), for expiry of info messages.
    pub posted: f64,
}

/// What the filtered event list was computed from: session generations, the filter, the
/// "only with errors" box, and which send's answers (the start of its first request).
pub type FilterKey = (u64, u64, String, bool, Option<jiff::Timestamp>);

/// The path prompt's content.
#[derive(Clone, Debug, PartialEq)]
pub struct PathPrompt {
    /// What the path is for.
    pub purpose: PathPurpose,

    /// The path as typed.
    pub text: String,

    /// Why the prompt is open: no file dialog could be shown, or the last try failed.
    pub note: Option<String>,

    /// The typed path names a file that saving would replace, and the user was asked.
    pub replace: bool,

    /// Whether the field has been given the keyboard focus once.
    pub focused: bool,
}

impl PathPrompt {
    /// A prompt for `purpose`, with `text` typed and an optional note on why it is open.
    pub fn new(purpose: PathPurpose, text: impl Into<String>, note: Option<String>) -> Self {
        Self {
            purpose,
            text: text.into(),
            note,
            replace: false,
            focused: false,
        }
    }
}

/// The paste window's content.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PasteDraft {
    /// The pasted text.
    pub text: String,

    /// Why the last try to load it failed, shown in the window.
    pub problem: Option<String>,
}

/// What the preset switch would change, computed when the question is asked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PresetPreview {
    /// Lines describing the mapping differences.
    pub mapping_changes: Vec<String>,

    /// Lines describing output changes on the loaded events.
    pub output_changes: Vec<String>,

    /// A note on how far the preview goes.
    pub note: Option<String>,
}

/// Scrolling asked for on the next frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScrollRequests {
    /// Scroll the mapping table to the selected row.
    pub to_field: bool,

    /// Scroll the events list to the selected event.
    pub to_event: bool,
}

/// Which windows are open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpenWindows {
    /// The event-names window.
    pub event_names: bool,

    /// The hash checker.
    pub hash_checker: bool,
}

/// The hash checker's inputs and its last result.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HashChecker {
    /// The Pinterest field whose normalization applies (`em`, `ph`, …); `None`: hash the
    /// value as given.
    pub field: Option<HashedField>,

    /// The clear value.
    pub value: String,

    /// The hash the user's setup sends, to compare (optional).
    pub expected: String,

    /// The core's answer for these inputs, or why the expected hash is unusable.
    pub result: Option<Result<HashCheck, String>>,
}

/// Everything transient.
#[derive(Debug, Default)]
pub struct View {
    /// Position of the selected event.
    pub selected: Option<usize>,

    /// The selected mapping row (trace field path, with item indexes).
    pub selected_field: Option<String>,

    /// Scrolling asked for on the next frame.
    pub scroll: ScrollRequests,

    /// The events list filter.
    pub filter: String,

    /// Only events with errors.
    pub only_errors: bool,

    /// Cached filter result and the key it was computed for.
    pub filtered: Vec<usize>,

    /// (generation, inspected generation, filter, only errors) of `filtered`.
    pub filtered_key: Option<FilterKey>,

    /// The override editor, when a field row is selected.
    pub draft: Option<OverrideDraft>,

    /// The paste window, when open.
    pub paste: Option<PasteDraft>,

    /// The path prompt, when open.
    pub path_prompt: Option<PathPrompt>,

    /// The open question, if any.
    pub confirm: Option<Confirm>,

    /// The preset preview shown with [`Confirm::Preset`].
    pub preset_preview: Option<PresetPreview>,

    /// Which windows are open.
    pub windows: OpenWindows,

    /// The hash checker window's state.
    pub hash_checker: HashChecker,

    /// Filter in the event-names window.
    pub event_name_filter: String,

    /// The advertiser id as typed; it reaches the mapping only when it is an ad account
    /// number.
    pub advertiser_id: String,

    /// The default phone country as typed.
    pub phone_country: String,

    /// The click-id cookie name as typed; it reaches the mapping only when it is a cookie
    /// name.
    pub cookie_name: String,

    /// The fixed clock as typed (Unix seconds).
    pub clock_text: String,

    /// Messages at the bottom.
    pub notices: Vec<Notice>,

    /// When the newest message was posted, even if it has expired since: the message line
    /// shows only that one, so an older message never comes back looking like news.
    pub newest_notice_posted: f64,

    /// The generation whose background check the user cancelled (not restarted until the
    /// next change).
    pub cancelled_generation: Option<u64>,

    /// The generation a background check is running for.
    pub inspecting_generation: Option<u64>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn draft_starts_from_the_preset_and_round_trips() {
        let mapping = Mapping::default();
        let draft = OverrideDraft::for_field("user_data.em", &mapping);
        assert_eq!(draft.mode, OverrideMode::Sources);
        assert_eq!(draft.sources, "user.email_sha256\nuser.email");
        let Ok(FieldOverride::Sources(sources)) = draft.to_override() else {
            panic!("not sources");
        };
        assert_eq!(sources.len(), 2);
    }

    #[test]
    fn bad_sources_say_which_line() {
        let draft = OverrideDraft {
            sources: "user.email\nquery(url)".to_owned(),
            ..OverrideDraft::default()
        };
        let err = draft.to_override().unwrap_err();
        assert!(err.starts_with("Line 2:"), "{err}");
    }

    #[test]
    fn constants_are_json_when_they_parse_and_text_otherwise() {
        assert_eq!(constant_value("12"), json!(12));
        assert_eq!(constant_value("\"12\""), json!("12"));
        assert_eq!(constant_value("EUR"), json!("EUR"));
        assert_eq!(constant_value("[\"a\"]"), json!(["a"]));
    }

    #[test]
    fn picking_a_path_replaces_the_line_being_typed() {
        let mut draft = OverrideDraft {
            sources: "user.email\nuser.ma".to_owned(),
            ..OverrideDraft::default()
        };
        assert_eq!(draft.current_line(), "user.ma");
        draft.pick_path("user.mail");
        assert_eq!(draft.sources, "user.email\nuser.mail");
        draft.sources.push('\n');
        draft.pick_path("context.email");
        assert_eq!(draft.sources, "user.email\nuser.mail\ncontext.email");
    }
}
