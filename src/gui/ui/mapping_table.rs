//! The mapping table of the selected event: one row per trace entry (event name first) with
//! target field, winning source and the candidates tried, raw, normalized (with each step),
//! value sent and status. Rows with findings are tinted and carry the finding's text.

use std::collections::BTreeSet;

use egui::{
    Align, ComboBox, Frame, Label, Layout, Margin, Panel, RichText, ScrollArea, Sense, Ui, vec2,
};

use crate::core::diagnostics::{Diagnostic, Severity};
use crate::core::fields::{self, canonical_path};
use crate::core::inspect::{Inspection, TraceEntry};
use crate::core::mapping::Mapping;
use crate::core::send::EventOutcome;

use super::super::command::Command;
use super::super::session::Session;
use super::super::state::AppState;
use super::super::theme;
use super::super::view::{View, source_lines};
use super::override_editor::override_editor_ui;
use super::widgets::{self, compact, icon_button, sent_full, sent_short};

/// Height of the first line of a row.
const ROW_HEIGHT: f32 = 20.0;

/// Widths of the columns for the available width.
#[derive(Clone, Copy)]
struct Widths {
    icon: f32,
    field: f32,
    source: f32,
    raw: f32,
    normalized: f32,
    sent: f32,
    actions: f32,
}

impl Widths {
    fn for_width(width: f32, spacing: f32) -> Self {
        let icon = 22.0;
        let actions = 48.0;
        let rest = (width - icon - actions - spacing * 8.0 - 8.0).max(240.0);
        Self {
            icon,
            field: rest * 0.2,
            source: rest * 0.2,
            raw: rest * 0.18,
            normalized: rest * 0.18,
            sent: rest * 0.24,
            actions,
        }
    }
}

/// One table row with what it needs.
struct Row<'a> {
    entry: &'a TraceEntry,
    diagnostics: Vec<&'a Diagnostic>,
    overridden: bool,
    preset_default: String,

    /// Pinterest's answer to the last send, when its message names this field.
    answer: Option<&'a EventOutcome>,
}

/// Whether Pinterest's `message` names `field` (`Invalid user_data.em parameter`); its own
/// name for `event_time` is `event_timestamp`.
fn names_field(message: &str, field: &str) -> bool {
    let message = message.to_lowercase();
    let field = field.to_lowercase();
    let part_of_name = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']');
    let stands_alone = |name: &str| {
        message.match_indices(name).any(|(at, _)| {
            let before = message[..at].chars().next_back();
            let after = message[at + name.len()..].chars().next();
            !before.is_some_and(part_of_name) && !after.is_some_and(|c| part_of_name(c) && c != '.')
        })
    };
    stands_alone(&field) || (field == "event_time" && stands_alone("event_timestamp"))
}

impl Row<'_> {
    fn worst(&self) -> Option<Severity> {
        self.diagnostics.iter().map(|d| d.severity).max()
    }

    fn is_empty(&self) -> bool {
        self.entry.raw.is_none()
            && self.entry.sent.is_none()
            && self.diagnostics.is_empty()
            && !self.overridden
            && self.answer.is_none()
    }
}

/// Draws the centre: header, table and override editor.
pub fn mapping_ui(
    ui: &mut Ui,
    session: &Session,
    state: &mut AppState,
    view: &mut View,
    answer: Option<&EventOutcome>,
    commands: &mut Vec<Command>,
) {
    let Some(position) = view.selected.filter(|&p| p < session.events().len()) else {
        ui.add_space(24.0);
        ui.heading("No event selected");
        ui.label("Open an events file, paste events or drop files on the window, then pick an event in the list.");
        ui.label("To explore, open the sample events from the top bar.");
        return;
    };

    let Some(inspection) = session.full_inspection(position) else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!("Checking event #{position}…"));
        });
        return;
    };

    header_ui(ui, session, position, inspection);
    controls_ui(ui, session, state, inspection, commands);
    if !session.is_current() {
        ui.weak("These results are from before your last change; the new ones are being computed.");
    }

    if view.draft.is_some() {
        Panel::bottom("override_editor")
            .resizable(true)
            .default_size(250.0)
            .min_size(120.0)
            .show(ui, |ui| override_editor_ui(ui, session, view, commands));
    }

    let rows = rows(inspection, session.mapping(), answer);
    let assigned: BTreeSet<&str> = rows.iter().map(|r| r.entry.field.as_str()).collect();
    let loose: Vec<&Diagnostic> = inspection
        .diagnostics
        .iter()
        .filter(|d| d.field.as_deref().is_none_or(|f| !assigned.contains(f)))
        .filter(|d| d.severity != Severity::Info)
        .collect();
    event_findings_ui(ui, &loose);

    let widths = Widths::for_width(ui.available_width(), ui.spacing().item_spacing.x);
    table_header_ui(ui, widths);
    ui.separator();

    ScrollArea::vertical()
        .id_salt("mapping_rows")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let selected = view.selected_field.as_deref();
            let mut hidden = 0;
            let mut group = None;
            for row in &rows {
                let is_selected = selected == Some(row.entry.field.as_str());
                if row.is_empty() && !state.show_empty_fields && !is_selected {
                    hidden += 1;
                    continue;
                }
                let (row_group, _) = split_group(&row.entry.field);
                if group != Some(row_group) {
                    group = Some(row_group);
                    ui.add_space(4.0);
                    ui.label(RichText::new(row_group.unwrap_or("event")).strong());
                }
                let response = row_ui(ui, row, widths, is_selected, commands);
                if is_selected && view.scroll.to_field {
                    response.scroll_to_me(Some(Align::Center));
                }
            }
            view.scroll.to_field = false;
            if hidden > 0 {
                ui.weak(format!(
                    "{hidden} fields got no value; tick \"Show fields with no value\" to see which sources were tried"
                ));
            }
        });
}

fn header_ui(ui: &mut Ui, session: &Session, position: usize, inspection: &Inspection) {
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.heading(format!("Event #{position}"));
        let source = inspection
            .source_event_name
            .as_deref()
            .unwrap_or("(no event_name)");
        let target = inspection.event_name.as_deref().unwrap_or("not sent");
        ui.label(RichText::new(format!("{source} → {target}")).strong());
        if let Some(event) = session.events().get(position) {
            ui.weak(event.origin.to_string());
        }
    });
}

fn controls_ui(
    ui: &mut Ui,
    session: &Session,
    state: &mut AppState,
    inspection: &Inspection,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(&mut state.show_empty_fields, "Show fields with no value");

        let present: BTreeSet<String> = inspection
            .trace
            .iter()
            .map(|t| canonical_path(&t.field))
            .collect();
        let label = ui.label("Override another field");
        ComboBox::from_id_salt("add_override")
            .selected_text("Pick a field")
            .height(320.0)
            .show_ui(ui, |ui| {
                for spec in fields::catalog().fields() {
                    if present.contains(&spec.path) {
                        continue;
                    }
                    if ui.selectable_label(false, &spec.path).clicked() {
                        commands.push(Command::SelectField(spec.path.clone()));
                    }
                }
            })
            .response
            .labelled_by(label.id);

        let num_overrides = session.mapping().fields.len();
        if ui
            .add_enabled(
                num_overrides > 0,
                egui::Button::new(format!("Reset field overrides ({num_overrides})")),
            )
            .on_hover_text("Every field back to the preset (undo with Ctrl+Z); event-name overrides stay, see Event names…")
            .clicked()
        {
            commands.push(Command::Edit(super::super::session::Edit::ResetAllFields));
        }
    });
}

/// The trace entries with their findings.
fn rows<'a>(
    inspection: &'a Inspection,
    mapping: &Mapping,
    answer: Option<&'a EventOutcome>,
) -> Vec<Row<'a>> {
    inspection
        .trace
        .iter()
        .map(|entry| {
            let canonical = canonical_path(&entry.field);
            Row {
                answer: answer.filter(|answer| {
                    [&answer.error_message, &answer.warning_message]
                        .into_iter()
                        .flatten()
                        .any(|message| names_field(message, &entry.field))
                }),
                entry,
                diagnostics: inspection
                    .diagnostics
                    .iter()
                    .filter(|d| d.field.as_deref() == Some(entry.field.as_str()))
                    .collect(),
                overridden: if entry.field == "event_name" {
                    entry.rule == "override"
                } else {
                    mapping.fields.contains_key(&canonical)
                },
                preset_default: if entry.field == "event_name" {
                    "the preset's event table (change it in Event names…)".to_owned()
                } else {
                    mapping.preset().sources(&canonical).map_or_else(
                        || "nothing (the preset does not fill this field)".to_owned(),
                        |sources| source_lines(sources).replace('\n', " → "),
                    )
                },
            }
        })
        .collect()
}

/// Findings about the event as a whole, or about fields that have no row.
fn event_findings_ui(ui: &mut Ui, diagnostics: &[&Diagnostic]) {
    for diagnostic in diagnostics {
        let visuals = ui.visuals().clone();
        Frame::new()
            .fill(theme::row_fill(&visuals, diagnostic.severity))
            .inner_margin(Margin::symmetric(6, 3))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal_wrapped(|ui| {
                    ui.label(theme::severity_glyph(&visuals, diagnostic.severity));
                    if let Some(field) = &diagnostic.field {
                        ui.label(RichText::new(field).monospace());
                    }
                    ui.label(
                        RichText::new(&diagnostic.message)
                            .color(theme::severity_color(&visuals, diagnostic.severity)),
                    );
                });
            });
    }
}

fn table_header_ui(ui: &mut Ui, widths: Widths) {
    ui.horizontal(|ui| {
        ui.add_space(4.0);
        for (width, title) in [
            (widths.icon, ""),
            (widths.field, "Field"),
            (widths.source, "Source"),
            (widths.raw, "Raw"),
            (widths.normalized, "Normalized"),
            (widths.sent, "Sent"),
        ] {
            cell(ui, width, |ui| {
                ui.strong(title);
            });
        }
    });
}

fn cell(ui: &mut Ui, width: f32, add: impl FnOnce(&mut Ui)) {
    ui.allocate_ui_with_layout(
        vec2(width, ROW_HEIGHT),
        Layout::left_to_right(Align::Center),
        |ui| {
            ui.set_min_width(width);
            ui.set_max_width(width);
            add(ui);
        },
    );
}

fn row_ui(
    ui: &mut Ui,
    row: &Row<'_>,
    widths: Widths,
    selected: bool,
    commands: &mut Vec<Command>,
) -> egui::Response {
    let visuals = ui.visuals().clone();
    let fill = if selected {
        theme::selected_fill(&visuals)
    } else {
        row.worst()
            .map_or(theme::NO_FILL, |s| theme::row_fill(&visuals, s))
    };
    let entry = row.entry;

    Frame::new()
        .fill(fill)
        .inner_margin(Margin::symmetric(4, 1))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                cell(ui, widths.icon, |ui| status_ui(ui, row));
                cell(ui, widths.field, |ui| field_ui(ui, row, commands));
                cell(ui, widths.source, |ui| source_ui(ui, entry));
                cell(ui, widths.raw, |ui| {
                    // A truncated label shows its whole text on hover by itself.
                    match &entry.raw {
                        Some(raw) => {
                            ui.add(Label::new(RichText::new(compact(raw)).monospace()).truncate())
                        }
                        None => ui.weak("—"),
                    };
                });
                cell(ui, widths.normalized, |ui| normalized_ui(ui, entry));
                cell(ui, widths.sent, |ui| sent_ui(ui, entry));
                cell(ui, widths.actions, |ui| actions_ui(ui, entry, commands));
            });
            if let Some(answer) = row.answer {
                // Pinterest's own words about this field, under the row they are about.
                let (glyph, word, severity) = super::send_panel::answer_parts(answer);
                let message = [&answer.error_message, &answer.warning_message]
                    .into_iter()
                    .flatten()
                    .find(|message| names_field(message, &entry.field))
                    .map_or("", String::as_str);
                let color = severity.map_or(visuals.strong_text_color(), |s| {
                    theme::severity_color(&visuals, s)
                });
                ui.horizontal_wrapped(|ui| {
                    ui.add_space(widths.icon + 4.0);
                    ui.label(RichText::new(glyph).color(color));
                    ui.label(RichText::new(format!("Pinterest ({word}): {message}")).color(color));
                });
            }
            for diagnostic in &row.diagnostics {
                ui.horizontal_wrapped(|ui| {
                    ui.add_space(widths.icon + 4.0);
                    ui.label(theme::severity_glyph(&visuals, diagnostic.severity));
                    ui.label(
                        RichText::new(&diagnostic.message)
                            .color(theme::severity_color(&visuals, diagnostic.severity)),
                    );
                    ui.weak(diagnostic.code.as_str());
                });
            }
        })
        .response
}

fn status_ui(ui: &mut Ui, row: &Row<'_>) {
    let entry = row.entry;
    match row.worst() {
        Some(severity) => {
            let visuals = ui.visuals().clone();
            ui.label(theme::severity_glyph(&visuals, severity))
                .on_hover_text(format!("{severity}: see the text under the row"));
        }
        None if entry.sent.is_some() => {
            ui.label(RichText::new(theme::SENT_ICON).color(ui.visuals().strong_text_color()))
                .on_hover_text("Sent");
        }
        None => {
            ui.weak(theme::NOT_SENT_ICON).on_hover_text("Not sent");
        }
    }
}

/// `user_data.em` → (`user_data`, `em`); event-level fields have no group.
fn split_group(field: &str) -> (Option<&str>, &str) {
    for group in ["user_data", "custom_data"] {
        if let Some(rest) = field
            .strip_prefix(group)
            .and_then(|rest| rest.strip_prefix('.'))
        {
            return (Some(group), rest);
        }
    }
    (None, field)
}

fn field_ui(ui: &mut Ui, row: &Row<'_>, commands: &mut Vec<Command>) {
    let field = &row.entry.field;
    let (_, short) = split_group(field);
    let icon_room = if row.overridden { 18.0 } else { 0.0 };
    let short = widgets::fitted_path(ui, short, ui.available_width() - icon_room, true);
    if row.overridden {
        ui.label(RichText::new(theme::OVERRIDE_ICON).color(ui.visuals().hyperlink_color))
            .on_hover_text(format!(
                "Overridden by you. The preset's default: {}",
                row.preset_default
            ));
    }
    let response = ui
        .add(
            Label::new(RichText::new(short).monospace())
                .truncate()
                // The hover below names the whole field; a second tooltip would cover it.
                .show_tooltip_when_elided(false)
                .sense(Sense::click()),
        )
        .on_hover_text(format!("{field}: click to edit how it is filled"));
    if response.clicked() {
        commands.push(Command::SelectField(field.clone()));
    }
}

fn source_ui(ui: &mut Ui, entry: &TraceEntry) {
    let text = match (entry.rule, &entry.source) {
        ("skipped", _) => RichText::new("not sent (override)").italics(),
        (_, Some(source)) if entry.rule == "constant" || source == "constant" => {
            RichText::new("constant").italics()
        }
        (_, Some(source)) => RichText::new(widgets::fitted_path(
            ui,
            source,
            ui.available_width(),
            false,
        ))
        .monospace(),
        (_, None) => RichText::new("nothing found").weak(),
    };
    // The hover below names the whole source; the label's own tooltip would be a second one.
    let response = ui.add(
        Label::new(text)
            .truncate()
            .show_tooltip_when_elided(entry.tried.is_empty()),
    );
    if !entry.tried.is_empty() {
        response.on_hover_ui(|ui| {
            ui.strong(format!("Rule {}", entry.rule));
            ui.label("Sources tried in order; the first with a value wins");
            for (number, tried) in entry.tried.iter().enumerate() {
                let used = entry.source.as_deref() == Some(tried.as_str());
                let mark = if used { "  ← used" } else { "" };
                ui.monospace(format!("{}. {tried}{mark}", number + 1));
            }
        });
    }
}

fn normalized_ui(ui: &mut Ui, entry: &TraceEntry) {
    let response = match &entry.normalized {
        Some(value) => ui.add(Label::new(RichText::new(compact(value)).monospace()).truncate()),
        None => ui.weak("—"),
    };
    if !entry.steps.is_empty() {
        response.on_hover_ui(|ui| {
            ui.strong("Normalization steps");
            for step in &entry.steps {
                ui.horizontal_wrapped(|ui| {
                    ui.weak(&step.rule);
                    ui.monospace(&step.value);
                });
            }
        });
    }
}

fn sent_ui(ui: &mut Ui, entry: &TraceEntry) {
    match &entry.sent {
        Some(sent) => {
            let response =
                ui.add(Label::new(RichText::new(sent_short(sent)).monospace()).truncate());
            response.on_hover_ui(|ui| {
                ui.monospace(sent_full(sent));
                if !entry.mistakes.is_empty() {
                    ui.add_space(4.0);
                    ui.strong("What common mistakes would send instead");
                    for mistake in &entry.mistakes {
                        ui.horizontal_wrapped(|ui| {
                            ui.weak(&mistake.description);
                            ui.monospace(sent_short(&serde_json::Value::from(
                                mistake.hash.as_str(),
                            )));
                        });
                    }
                }
            });
        }
        None => {
            ui.weak("not sent");
        }
    }
}

fn actions_ui(ui: &mut Ui, entry: &TraceEntry, commands: &mut Vec<Command>) {
    if let Some(sent) = &entry.sent
        && icon_button(
            ui,
            theme::COPY_ICON,
            &format!("Copy value of {}", entry.field),
            "Copy the value sent",
        )
        .clicked()
    {
        commands.push(Command::CopyText(sent_full(sent)));
    }
    if icon_button(
        ui,
        theme::OVERRIDE_ICON,
        &format!("Edit {}", entry.field),
        "Override this field: another source, a constant, or don't send",
    )
    .clicked()
    {
        commands.push(Command::SelectField(entry.field.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::names_field;

    #[test]
    fn pinterest_messages_name_fields() {
        assert!(names_field(
            "Invalid user_data.em parameter",
            "user_data.em"
        ));
        assert!(names_field(
            "Invalid event_timestamp parameter. Given timestamp is in the past",
            "event_time"
        ));
        assert!(!names_field(
            "Invalid user_data.em_sha parameter",
            "user_data.em"
        ));
        assert!(!names_field("Invalid user_data.em parameter", "em"));
        assert!(names_field(
            "custom_data.value must be a string.",
            "custom_data.value"
        ));
    }
}
