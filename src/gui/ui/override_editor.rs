//! The override editor for one field: another source (typed, or picked from the paths seen in
//! the loaded events with an example value each), a constant, or "don't send". It shows the
//! preset's default, whether the field is overridden now, and resets the field.

use egui::{Button, RichText, ScrollArea, TextEdit, Ui};

use crate::core::mapping::FieldOverride;

use super::super::command::Command;
use super::super::session::{Edit, Session};
use super::super::view::{OverrideDraft, OverrideMode, View, constant_value, source_lines};

/// Paths listed in the picker at most.
const PICKER_ROWS: usize = 200;

/// Draws the editor for `view.draft`.
pub fn override_editor_ui(
    ui: &mut Ui,
    session: &Session,
    view: &mut View,
    commands: &mut Vec<Command>,
) {
    let Some(draft) = &mut view.draft else {
        return;
    };
    let mapping = session.mapping();
    let field = draft.field.clone();

    ui.add_space(4.0);
    let mut close = false;
    ui.horizontal(|ui| {
        ui.heading(format!("Override {field}"));
        close = ui.button("Close editor").clicked();
    });
    if close {
        view.draft = None;
        view.selected_field = None;
        return;
    }

    if field == "event_name" {
        ui.label("Event names are mapped in the event names window.");
        if ui.button("Event names…").clicked() {
            view.windows.event_names = true;
        }
        return;
    }

    let preset_default = mapping.preset().sources(&field);
    let current = mapping.fields.get(&field);
    ui.horizontal_wrapped(|ui| {
        match current {
            Some(over) => {
                ui.label(RichText::new("Overridden").strong());
                ui.monospace(describe(over));
            }
            None if preset_default.is_some() => {
                ui.label("Not overridden: the preset fills it.");
            }
            None => {
                ui.label("Not overridden: nothing fills it.");
            }
        }
        ui.weak("Preset default");
        match preset_default {
            Some(sources) => ui.monospace(source_lines(sources).replace('\n', " → ")),
            None => ui.weak("none (the preset does not fill this field)"),
        };
    });

    ui.horizontal(|ui| {
        ui.radio_value(&mut draft.mode, OverrideMode::Sources, "Source path");
        ui.radio_value(&mut draft.mode, OverrideMode::Constant, "Constant");
        ui.radio_value(&mut draft.mode, OverrideMode::Skip, "Don't send");
    });

    match draft.mode {
        OverrideMode::Sources => sources_ui(ui, session, draft),
        OverrideMode::Constant => constant_ui(ui, draft),
        OverrideMode::Skip => {
            ui.label("The field will not be sent, whatever the event holds.");
        }
    }

    // A constant is checked the way a config import checks it, so that nothing applied here
    // makes an export (or the saved state) that pinspect itself would refuse.
    let generation = session.generation();
    let parsed = match draft.to_override() {
        Ok(FieldOverride::Const(value)) => {
            let text = draft.constant.trim().to_owned();
            let cached = draft
                .constant_check
                .as_ref()
                .filter(|(checked, at, _)| *checked == text && *at == generation)
                .map(|(_, _, outcome)| outcome.clone());
            let outcome = cached.unwrap_or_else(|| {
                let outcome =
                    crate::core::config::check_constant(mapping, &field, &value).map(|_| ());
                draft.constant_check = Some((text, generation, outcome.clone()));
                outcome
            });
            outcome.map(|()| FieldOverride::Const(value))
        }
        other => other,
    };
    draft.error = parsed.as_ref().err().cloned();
    if let Some(error) = &draft.error {
        ui.colored_label(ui.visuals().error_fg_color, format!("⚠ {error}"));
    }

    ui.horizontal(|ui| {
        // Re-applying what already fills the field (the override, or the preset's own
        // sources) would only add an override that changes nothing.
        let unchanged = match (parsed.as_ref().ok(), current) {
            (Some(draft), Some(current)) => draft == current,
            (Some(FieldOverride::Sources(sources)), None) => {
                preset_default.is_some_and(|preset| preset == sources.as_slice())
            }
            _ => false,
        };
        if ui
            .add_enabled(parsed.is_ok() && !unchanged, Button::new("Apply override"))
            .on_hover_text("Every event is checked again at once; undo with Ctrl+Z")
            .clicked()
            && let Ok(over) = parsed
        {
            commands.push(Command::Edit(Edit::Field {
                field: field.clone(),
                over,
            }));
        }
        if ui
            .add_enabled(current.is_some(), Button::new("Reset field"))
            .on_hover_text("Back to the preset's sources")
            .clicked()
        {
            commands.push(Command::Edit(Edit::ResetField(field.clone())));
        }
    });
}

fn sources_ui(ui: &mut Ui, session: &Session, draft: &mut OverrideDraft) {
    let label = ui.label("Sources, one per line; the first that has a value wins");
    ui.add(
        TextEdit::multiline(&mut draft.sources)
            .code_editor()
            .desired_rows(2)
            .desired_width(f32::INFINITY)
            .hint_text("user.email  ·  query(context.page.url, epik)  ·  cookie(context.device.cookie, _epik)"),
    )
    .labelled_by(label.id);

    let needle = draft.current_line().to_lowercase();
    let paths = session.paths();
    ui.weak(format!(
        "Paths in the loaded events ({}); click one to use it",
        paths.len()
    ));
    let mut picked = None;
    ScrollArea::vertical()
        .id_salt("path_picker")
        // Leave room below for the error line and the Apply / Reset buttons, which must
        // stay reachable however many paths match.
        .max_height((ui.available_height() - 64.0).max(48.0))
        .auto_shrink([false, true])
        .show(ui, |ui| {
            let matches = paths
                .iter()
                .filter(|(path, _)| needle.is_empty() || path.to_lowercase().contains(&needle))
                .take(PICKER_ROWS);
            for (path, example) in matches {
                ui.horizontal(|ui| {
                    if ui
                        .add(Button::new(RichText::new(path).monospace()).small())
                        .on_hover_text(format!("Use {path}"))
                        .clicked()
                    {
                        picked = Some(path.clone());
                    }
                    ui.add(egui::Label::new(RichText::new(example).weak()).truncate());
                });
            }
            if paths.is_empty() {
                ui.weak("Load events to list their paths.");
            }
        });
    if let Some(path) = picked {
        draft.pick_path(&path);
    }
}

fn constant_ui(ui: &mut Ui, draft: &mut OverrideDraft) {
    let label = ui.label("Constant value");
    ui.add(
        TextEdit::singleline(&mut draft.constant)
            .desired_width(240.0)
            .hint_text("EUR, 12, true or any JSON"),
    )
    .labelled_by(label.id);
    let text = draft.constant.trim();
    if !text.is_empty() {
        let value = constant_value(text);
        let kind = match &value {
            serde_json::Value::String(_) => "text",
            serde_json::Value::Number(_) => "a number",
            serde_json::Value::Bool(_) => "a boolean",
            serde_json::Value::Array(_) => "a list",
            serde_json::Value::Object(_) => "an object",
            serde_json::Value::Null => "null (treated as missing)",
        };
        ui.weak(format!(
            "Read as {kind}: {value}. It is converted and normalized like a value from the event."
        ));
    }
}

fn describe(over: &FieldOverride) -> String {
    match over {
        FieldOverride::Sources(sources) => source_lines(sources).replace('\n', " → "),
        FieldOverride::Const(value) => format!("constant {value}"),
        FieldOverride::Skip => "not sent".to_owned(),
    }
}
