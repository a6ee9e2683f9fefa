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

/// Fill and text colours of the test-mode / live indicator: amber for test, red for live,
/// with black or white text, whichever reads better on the fill.
pub fn mode_colors(visuals: &Visuals, live: bool) -> (Color32, Color32) {
    let fill = if live {
        visuals.error_fg_color
    } else {
        visuals.warn_fg_color
    };
    (fill, text_on(fill))
}

/// Black or white, whichever contrasts more with `fill`.
fn text_on(fill: Color32) -> Color32 {
    if contrast(fill, Color32::BLACK) >= contrast(fill, Color32::WHITE) {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}

/// WCAG relative luminance of an sRGB colour.
fn luminance(color: Color32) -> f32 {
    let linear = |channel: u8| {
        let c = f32::from(channel) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(color.r()) + 0.7152 * linear(color.g()) + 0.0722 * linear(color.b())
}

/// WCAG contrast ratio of two colours, from 1:1 to 21:1.
fn contrast(a: Color32, b: Color32) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Error and warning colours that read well on both themes' backgrounds and on the tinted
/// rows: egui's pure red is about 3:1 on a dark grey and its orange under 3:1 on white, while
/// these keep to 4.5:1 or more (WCAG AA for text).
pub fn legible_visuals(ctx: &egui::Context) {
    ctx.style_mut_of(egui::Theme::Dark, |style| {
        style.visuals.error_fg_color = Color32::from_rgb(255, 118, 118);
        style.visuals.warn_fg_color = Color32::from_rgb(255, 176, 64);
    });
    ctx.style_mut_of(egui::Theme::Light, |style| {
        style.visuals.error_fg_color = Color32::from_rgb(176, 0, 32);
        style.visuals.warn_fg_color = Color32::from_rgb(150, 78, 0);
    });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_read_well_on_both_themes() {
        let ctx = egui::Context::default();
        legible_visuals(&ctx);
        for theme in [egui::Theme::Dark, egui::Theme::Light] {
            let visuals = ctx.style_of(theme).visuals.clone();
            for color in [visuals.error_fg_color, visuals.warn_fg_color] {
                for background in [visuals.panel_fill, visuals.window_fill] {
                    let ratio = contrast(color, background);
                    assert!(
                        ratio >= 4.5,
                        "{theme:?}: {color:?} on {background:?} is {ratio:.1}:1"
                    );
                }
            }
            for live in [false, true] {
                let (fill, text) = mode_colors(&visuals, live);
                assert!(contrast(fill, text) >= 4.5, "{theme:?} live={live}");
            }
        }
    }
}
