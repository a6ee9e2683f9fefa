//! Small shared pieces: value formatting for cells, icon buttons with accessible names,
//! labelled text fields.

use egui::{Button, Response, RichText, TextEdit, Ui};
use serde_json::Value;

/// Where floating windows open: below the top bar and clear of the TEST MODE / LIVE badge,
/// which must stay visible whatever is open.
pub const WINDOW_POS: egui::Pos2 = egui::pos2(320.0, 130.0);

/// Characters of a hash shown in a cell.
const HASH_PREFIX: usize = 12;

/// A value as one line of compact JSON (strings keep their quotes, so `"12"` ≠ `12`).
pub fn compact(value: &Value) -> String {
    value.to_string()
}

/// Whether `text` is a SHA-256 in hex (the core decides what a digest looks like).
pub fn is_sha256(text: &str) -> bool {
    crate::core::hash::digest_shape(text) == crate::core::hash::DigestShape::Sha256
}

/// The value sent, as shown in a cell: hashes shortened, a hashed field's one-element array
/// unwrapped.
pub fn sent_short(value: &Value) -> String {
    match value {
        // A hashed field's one-element list shows as its hash; other lists (content_ids)
        // show as the lists they are.
        Value::Array(items) if items.len() == 1 && items[0].as_str().is_some_and(is_sha256) => {
            items.first().map_or_else(String::new, sent_short)
        }
        Value::String(text) if is_sha256(text) => {
            format!("{}…", text.chars().take(HASH_PREFIX).collect::<String>())
        }
        other => compact(other),
    }
}

/// The value sent, as copied: a hash (or single string) bare, anything else as JSON.
pub fn sent_full(value: &Value) -> String {
    match value {
        Value::Array(items) if items.len() == 1 => {
            items.first().map_or_else(String::new, sent_full)
        }
        Value::String(text) => text.clone(),
        other => compact(other),
    }
}

/// A dotted path as it fits in `width` of monospace text: whole when it fits, else with its
/// head cut at a dot or bracket (`…[0].item_price`, `…product.price`) and, with `at_words`,
/// at an underscore (`…source_url`: Pinterest field names differ by their last words), so
/// the end that tells two rows apart stays visible; the label's own truncation handles what
/// still does not fit.
pub fn fitted_path(ui: &Ui, path: &str, width: f32, at_words: bool) -> String {
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let fits = |text: &str| {
        ui.painter()
            .layout_no_wrap(text.to_owned(), font.clone(), egui::Color32::PLACEHOLDER)
            .size()
            .x
            <= width
    };
    if fits(path) {
        return path.to_owned();
    }
    // Cut before `[` and after `.` or `_`: `…[0].item_price`, `…item_price`, `…price`;
    // `event_source_url` → `…source_url`, so `event_…` four times never happens.
    let cuts = path
        .char_indices()
        .filter(|&(_, c)| matches!(c, '.' | '[') || (at_words && c == '_'))
        .map(|(at, c)| if c == '[' { at } else { at + 1 });
    let mut shortest = None;
    for cut in cuts {
        let candidate = format!("…{}", &path[cut..]);
        if fits(&candidate) {
            return candidate;
        }
        shortest = Some(candidate);
    }
    shortest.unwrap_or_else(|| path.to_owned())
}

/// An icon button that a screen reader (and a test) can name.
pub fn icon_button(ui: &mut Ui, icon: &str, name: &str, hover: &str) -> Response {
    ui.add(Button::new(icon).small().frame(false))
        .accessible_name(name)
        .on_hover_text(hover)
}

/// A label followed by a one-line text field that it names.
pub fn labelled_text(
    ui: &mut Ui,
    label: &str,
    text: &mut String,
    width: f32,
    hint: &str,
) -> Response {
    let label = ui.label(label);
    ui.add(
        TextEdit::singleline(text)
            .desired_width(width)
            .hint_text(RichText::new(hint).weak()),
    )
    .labelled_by(label.id)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn hashes_are_shortened_and_copied_whole() {
        let hash = "a".repeat(64);
        let value = json!([hash]);
        assert_eq!(sent_short(&value), "aaaaaaaaaaaa…");
        assert_eq!(sent_full(&value), hash);
        assert_eq!(sent_short(&json!("12.5")), "\"12.5\"");
        assert_eq!(sent_full(&json!("12.5")), "12.5");
        assert_eq!(sent_short(&json!(3)), "3");
        assert_eq!(sent_short(&json!(["a", "b"])), "[\"a\",\"b\"]");
        assert_eq!(sent_short(&json!(["sku-1"])), "[\"sku-1\"]");
    }
}
