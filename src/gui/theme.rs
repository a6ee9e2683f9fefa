//! The few colours and glyphs the app uses, derived from the current egui visuals so that the
//! dark and light themes both work. No other module names a colour.

use egui::{Color32, RichText, Visuals};

use crate::core::diagnostics::Severity;

/// The text colour for a severity.
pub fn severity_color(visuals: &Visuals, severity: Severity) -> Color32 {
    match severity {
        Severity::Error => visuals.error_fg_color,
        Severity::Warning => visuals.warn_fg_color,
        Severity::Info => visuals.weak_text_color(),
    }
}

/// The background tint of a mapping row that has a finding of this severity.
pub fn row_fill(visuals: &Visuals, severity: Severity) -> Color32 {
    let strength = if visuals.dark_mode { 0.16 } else { 0.12 };
    match severity {
        Severity::Error | Severity::Warning => {
            severity_color(visuals, severity).gamma_multiply(strength)
        }
        Severity::Info => Color32::TRANSPARENT,
    }
}

/// No background.
pub const NO_FILL: Color32 = Color32::TRANSPARENT;

/// The background tint of the selected mapping row.
pub fn selected_fill(visuals: &Visuals) -> Color32 {
    visuals.selection.bg_fill.gamma_multiply(0.5)
}

/// The glyph in front of a finding.
pub fn severity_icon(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "❌",
        Severity::Warning => "⚠",
        Severity::Info => "ℹ",
    }
}

/// A glyph in the severity's colour.
pub fn severity_glyph(visuals: &Visuals, severity: Severity) -> RichText {
    RichText::new(severity_icon(severity)).color(severity_color(visuals, severity))
}

/// The glyph of a field that was sent without findings.
pub const SENT_ICON: &str = "✔";

/// The glyph of a field that was not sent.
pub const NOT_SENT_ICON: &str = "—";

/// The glyph that marks an overridden field.
pub const OVERRIDE_ICON: &str = "✏";

/// The glyph on copy buttons.
pub const COPY_ICON: &str = "🗐";

/// Fill and text colours of the test-mode / live indicator: amber for test, red for live.
pub fn mode_colors(visuals: &Visuals, live: bool) -> (Color32, Color32) {
    if live {
        (visuals.error_fg_color, Color32::WHITE)
    } else {
        (visuals.warn_fg_color, Color32::BLACK)
    }
}

/// The veil drawn over the window while files are dragged over it.
pub fn drop_veil() -> Color32 {
    Color32::from_black_alpha(180)
}

/// Text on the drop veil.
pub const DROP_TEXT: Color32 = Color32::WHITE;

/// egui's fonts with Hack (the monospace font) as the last fallback of the proportional
/// family: the proportional font lacks arrows such as `→`, which the core's messages use.
pub fn font_definitions() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    if let Some(proportional) = fonts.families.get_mut(&egui::FontFamily::Proportional)
        && !proportional.iter().any(|name| name == "Hack")
    {
        proportional.push("Hack".to_owned());
    }
    fonts
}
