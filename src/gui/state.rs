//! What survives a restart: the mapping (as config text, the same format as exported files),
//! recent files and a few view choices. Window and panel sizes and the theme are kept by
//! egui's own memory. The access token is never part of it: it has no field here and the
//! mapping cannot hold one.
//!
//! The state is stored as JSON under [`STATE_KEY`] so that a damaged entry can be detected and
//! reported; eframe's own `get_value` would silently return nothing.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::core::config::{parse_config, to_config_text};
use crate::core::mapping::Mapping;

/// The storage key.
pub const STATE_KEY: &str = "pinspect-state";

/// How many recent files are remembered.
const RECENT_LIMIT: usize = 10;

/// How the payload and source event are shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum JsonView {
    /// A collapsible tree.
    #[default]
    Tree,

    /// The raw JSON text, read-only.
    Raw,
}

/// The persisted part of the app.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppState {
    /// The mapping as `pinspect-mapping/1` config text.
    pub mapping_config: Option<String>,

    /// Event files opened recently, newest first.
    pub recent_files: Vec<PathBuf>,

    /// Mapping configs opened or saved recently, newest first.
    pub recent_configs: Vec<PathBuf>,

    /// Show mapping rows for fields that got no value.
    pub show_empty_fields: bool,

    /// Tree or raw text for JSON.
    pub json_view: JsonView,
}

impl Default for AppState {
    fn default() -> Self {
        Self {
            mapping_config: None,
            recent_files: Vec::new(),
            recent_configs: Vec::new(),
            show_empty_fields: false,
            json_view: JsonView::Tree,
        }
    }
}

/// The state read at start-up, and what went wrong reading it.
#[derive(Debug)]
pub struct Restored {
    /// The state (defaults where it could not be read).
    pub state: AppState,

    /// The mapping (the default one if the stored one could not be read).
    pub mapping: Mapping,

    /// Messages for the user; empty when everything was read.
    pub problems: Vec<String>,
}

/// Reads the stored state. Anything unreadable is replaced by defaults and reported; this
/// never fails. Test mode is always on after a start, whatever was stored.
pub fn restore(stored: Option<&str>) -> Restored {
    let mut problems = Vec::new();
    let state = match stored {
        None => AppState::default(),
        Some(text) => serde_json::from_str::<AppState>(text).unwrap_or_else(|err| {
            problems.push(format!(
                "The saved app state could not be read ({err}), so pinspect started with default settings and the default mapping."
            ));
            AppState::default()
        }),
    };

    let mut mapping = match &state.mapping_config {
        None => Mapping::default(),
        Some(text) => match parse_config("saved mapping", text) {
            Ok(mapping) => mapping,
            Err(err) => {
                if let Some((mapping, dropped)) = salvage(text) {
                    problems.push(format!(
                        "Part of the saved mapping could not be read ({err}); pinspect left out {} and kept the rest.",
                        dropped.join(", ")
                    ));
                    mapping
                } else {
                    problems.push(format!(
                        "The saved mapping could not be read ({err}), so pinspect started with the default mapping."
                    ));
                    Mapping::default()
                }
            }
        },
    };
    mapping.settings.send_as_test_request = true;

    Restored {
        state,
        mapping,
        problems,
    }
}

/// The parts of a saved mapping that still load, and the names of those left out: a saved
/// state from an older pinspect (or one that took a value a later version refuses) must not
/// cost the user every override because of one. Each part is added back on its own and kept
/// when the config loader still accepts the whole.
fn salvage(text: &str) -> Option<(Mapping, Vec<String>)> {
    let serde_json::Value::Object(saved) = serde_json::from_str::<serde_json::Value>(text).ok()?
    else {
        return None;
    };
    let loads = |object: &serde_json::Map<String, serde_json::Value>| {
        parse_config(
            "saved mapping",
            &serde_json::Value::Object(object.clone()).to_string(),
        )
        .ok()
    };

    let mut kept = saved.clone();
    let parts = ["settings", "event_names", "fields"].map(|key| (key, kept.remove(key)));
    loads(&kept)?;

    let mut dropped = Vec::new();
    for (key, part) in parts {
        let Some(part) = part else {
            continue;
        };
        match part {
            serde_json::Value::Object(entries) if key != "settings" => {
                kept.insert(
                    key.to_owned(),
                    serde_json::Value::Object(serde_json::Map::new()),
                );
                for (name, entry) in entries {
                    let mut trial = kept.clone();
                    if let Some(serde_json::Value::Object(map)) = trial.get_mut(key) {
                        map.insert(name.clone(), entry);
                    }
                    if loads(&trial).is_some() {
                        kept = trial;
                    } else {
                        dropped.push(format!("{key}.{name}"));
                    }
                }
            }
            other => {
                let mut trial = kept.clone();
                trial.insert(key.to_owned(), other);
                if loads(&trial).is_some() {
                    kept = trial;
                } else {
                    dropped.push(key.to_owned());
                }
            }
        }
    }
    loads(&kept).map(|mapping| (mapping, dropped))
}

/// The text to store: `state` with `mapping` written into it as config text (test mode on).
pub fn store(state: &AppState, mapping: &Mapping) -> String {
    let mut mapping = mapping.clone();
    mapping.settings.send_as_test_request = true;
    let state = AppState {
        mapping_config: Some(to_config_text(&mapping)),
        ..state.clone()
    };
    serde_json::to_string(&state).unwrap_or_default()
}

/// Puts `path` first in a recent-files list.
pub fn remember(list: &mut Vec<PathBuf>, path: &Path) {
    // A path as typed (`events.json`) is relative to the folder pinspect started in; kept as
    // is, the next start from another folder would open another file of the same name.
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    list.retain(|known| *known != path);
    list.insert(0, path);
    list.truncate(RECENT_LIMIT);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::mapping::FieldOverride;

    #[test]
    fn a_saved_mapping_with_one_bad_part_keeps_the_rest() {
        let text = r#"{"format": "pinspect-mapping/1", "preset": "commandersact",
            "settings": {"advertiser_id": "549755885175"},
            "event_names": {"newsletter_optin": "lead"},
            "fields": {"custom_data.currency": {"const": true},
                       "custom_data.content_name": {"source": "page_name"}}}"#;
        let state = AppState {
            mapping_config: Some(text.to_owned()),
            ..AppState::default()
        };
        let restored = restore(Some(&serde_json::to_string(&state).unwrap()));
        assert_eq!(restored.mapping.settings.advertiser_id, "549755885175");
        assert_eq!(
            restored
                .mapping
                .event_names
                .get("newsletter_optin")
                .map(String::as_str),
            Some("lead")
        );
        assert!(
            restored
                .mapping
                .fields
                .contains_key("custom_data.content_name")
        );
        assert!(!restored.mapping.fields.contains_key("custom_data.currency"));
        assert_eq!(restored.problems.len(), 1);
        assert!(
            restored.problems[0].contains("fields.custom_data.currency"),
            "{:?}",
            restored.problems
        );
    }

    #[test]
    fn recent_paths_are_kept_absolute() {
        let mut list = Vec::new();
        remember(&mut list, Path::new("events.json"));
        assert!(list[0].is_absolute(), "{:?}", list[0]);
        assert!(list[0].ends_with("events.json"));
        remember(&mut list, Path::new("events.json"));
        assert_eq!(list.len(), 1);
    }

    #[test]
    fn nothing_stored_gives_defaults_silently() {
        let restored = restore(None);
        assert_eq!(restored.state, AppState::default());
        assert_eq!(restored.mapping, Mapping::default());
        assert!(restored.problems.is_empty());
    }

    #[test]
    fn corrupt_state_starts_with_defaults_and_says_so() {
        let restored = restore(Some("{\"recent_files\": 12, oops"));
        assert_eq!(restored.state, AppState::default());
        assert_eq!(restored.mapping, Mapping::default());
        assert_eq!(restored.problems.len(), 1);
        assert!(restored.problems[0].contains("default settings"));
    }

    #[test]
    fn corrupt_mapping_keeps_the_rest_and_says_so() {
        let stored = serde_json::json!({
            "mapping_config": "{\"format\": \"pinspect-mapping/1\", \"fields\": {\"user_data.emial\": {\"skip\": true}}}",
            "recent_files": ["/data/events.json"],
        })
        .to_string();
        let restored = restore(Some(&stored));
        assert_eq!(
            restored.state.recent_files,
            [PathBuf::from("/data/events.json")]
        );
        assert_eq!(restored.mapping, Mapping::default());
        assert!(
            restored.problems[0].contains("saved mapping"),
            "{:?}",
            restored.problems
        );
    }

    #[test]
    fn round_trip_keeps_overrides_and_forces_test_mode() {
        let mut mapping = Mapping::default();
        mapping.set_override("user_data.ge", FieldOverride::Skip);
        mapping
            .event_names
            .insert("newsletter_optin".to_owned(), "lead".to_owned());
        mapping.settings.advertiser_id = "549755885175".to_owned();
        mapping.settings.send_as_test_request = false;
        let mut state = AppState::default();
        remember(&mut state.recent_files, Path::new("/a.json"));

        let text = store(&state, &mapping);
        let restored = restore(Some(&text));
        assert!(restored.problems.is_empty(), "{:?}", restored.problems);
        assert_eq!(restored.state.recent_files, [PathBuf::from("/a.json")]);
        assert!(restored.mapping.settings.send_as_test_request);
        mapping.settings.send_as_test_request = true;
        assert_eq!(restored.mapping, mapping);
    }

    #[test]
    fn recent_files_are_unique_newest_first_and_bounded() {
        let mut list = Vec::new();
        for i in 0..15 {
            remember(&mut list, Path::new(&format!("/f{i}")));
        }
        remember(&mut list, Path::new("/f10"));
        assert_eq!(list.len(), RECENT_LIMIT);
        assert_eq!(list[0], PathBuf::from("/f10"));
        assert_eq!(list.iter().filter(|p| **p == Path::new("/f10")).count(), 1);
    }
}
