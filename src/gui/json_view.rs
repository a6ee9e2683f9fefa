//! Read-only views of one JSON value: a collapsible tree and the raw text.
//!
//! `egui_json_tree` would do this but has no release for egui 0.37 yet, so this is a small
//! recursive view. Both views show one event at a time; no whole file ever goes into a text
//! box (PRODUCT.md §8). Long arrays and deep nesting are cut with a note instead of laid out.

use egui::{CollapsingHeader, Id, Label, RichText, ScrollArea, Ui};
use serde_json::Value;

/// Elements of one array or object shown before "N more".
const MAX_CHILDREN: usize = 200;

/// Nesting shown before "too deep".
const MAX_DEPTH: usize = 48;

/// Containers open by default up to this depth.
const OPEN_DEPTH: usize = 2;

/// The value as a collapsible tree; `id_salt` keeps the open/closed state per view.
pub fn json_tree_ui(ui: &mut Ui, id_salt: impl egui::AsIdSalt, value: &Value) {
    let id = ui.make_persistent_id(id_salt);
    match value {
        Value::Object(_) | Value::Array(_) => children_ui(ui, id, value, 0),
        scalar => {
            ui.label(scalar_text(scalar));
        }
    }
}

fn children_ui(ui: &mut Ui, id: Id, value: &Value, depth: usize) {
    let entries: Vec<(String, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(elements) => elements
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("[{i}]"), v))
            .collect(),
        _ => Vec::new(),
    };
    let total = entries.len();
    for (key, child) in entries.into_iter().take(MAX_CHILDREN) {
        node_ui(ui, id.with(&key), &key, child, depth + 1);
    }
    if total > MAX_CHILDREN {
        ui.weak(format!("… {} more not shown", total - MAX_CHILDREN));
    }
}

/// Arrays of scalars this short are shown on one line (`em ["5f2b…"]`).
const INLINE_ARRAY_CHARS: usize = 100;

fn node_ui(ui: &mut Ui, id: Id, key: &str, value: &Value, depth: usize) {
    match value {
        Value::Array(elements)
            if !elements.is_empty()
                && elements.iter().all(|e| !e.is_object() && !e.is_array())
                && value.to_string().len() <= INLINE_ARRAY_CHARS =>
        {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(key).weak());
                ui.add(Label::new(RichText::new(value.to_string()).monospace()).selectable(true));
            });
        }
        Value::Object(map) if !map.is_empty() => {
            container_ui(ui, id, format!("{key} {{{}}}", map.len()), value, depth);
        }
        Value::Array(elements) if !elements.is_empty() => {
            container_ui(ui, id, format!("{key} [{}]", elements.len()), value, depth);
        }
        scalar => {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(key).weak());
                ui.add(Label::new(scalar_text(scalar)).selectable(true));
            });
        }
    }
}

fn container_ui(ui: &mut Ui, id: Id, title: String, value: &Value, depth: usize) {
    if depth > MAX_DEPTH {
        ui.weak(format!(
            "{title}: nested too deep to show; see the raw view"
        ));
        return;
    }
    CollapsingHeader::new(title)
        .id_salt(id)
        .default_open(depth <= OPEN_DEPTH)
        .show(ui, |ui| children_ui(ui, id, value, depth));
}

/// A scalar as JSON, so that `"12"` and `12` look different.
fn scalar_text(value: &Value) -> RichText {
    let text = match value {
        Value::Object(_) => "{}".to_owned(),
        Value::Array(_) => "[]".to_owned(),
        other => other.to_string(),
    };
    RichText::new(text).monospace()
}

/// Pretty JSON text, read-only and selectable, in its own scroll area.
pub fn json_raw_ui(ui: &mut Ui, id_salt: impl egui::AsIdSalt, text: &str) {
    ScrollArea::both()
        .id_salt(id_salt)
        .max_height(320.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            ui.add(
                Label::new(RichText::new(text).monospace())
                    .selectable(true)
                    .extend(),
            );
        });
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;
    use serde_json::json;

    use super::*;

    #[test]
    fn tree_shows_keys_values_and_cuts_long_arrays() {
        let value = json!({
            "event_name": "checkout",
            "user_data": {"em": ["abc"]},
            "many": (0..250).collect::<Vec<_>>(),
        });
        let mut harness = Harness::new_ui(|ui| {
            ScrollArea::vertical().show(ui, |ui| json_tree_ui(ui, "t", &value));
        });
        harness.run();
        harness.get_by_label("\"checkout\"");
        harness.get_by_label("user_data {1}");
        harness.get_by_label("many [250]");
    }

    #[test]
    fn deep_nesting_does_not_recurse_forever() {
        let mut value = json!(1);
        for _ in 0..200 {
            value = json!({ "a": value });
        }
        let mut harness = Harness::new_ui(|ui| json_tree_ui(ui, "deep", &value));
        harness.run();
        // Open down to OPEN_DEPTH, then one closed header.
        assert_eq!(harness.get_all_by_label("a {1}").count(), OPEN_DEPTH + 1);
    }
}
