//! The right panel: the selected event's findings grouped by severity (each one selects its
//! mapping row), the exact payload that will be sent, and the source event.

use egui::{Button, CollapsingHeader, RichText, ScrollArea, Ui};
use serde_json::Value;

use crate::core::diagnostics::{Diagnostic, Severity};
use crate::core::inspect::Inspection;
use crate::core::send::EventOutcome;

use super::super::command::Command;
use super::super::json_view::{json_raw_ui, json_tree_ui};
use super::super::sending::LastSend;
use super::super::session::Session;
use super::super::state::{AppState, JsonView};
use super::super::theme;
use super::super::view::View;
use super::send_panel::answer_parts;

/// Draws the panel.
pub fn details_ui(
    ui: &mut Ui,
    session: &Session,
    state: &mut AppState,
    view: &View,
    last_send: Option<&LastSend>,
    commands: &mut Vec<Command>,
) {
    let Some(position) = view.selected else {
        ui.add_space(4.0);
        ui.heading("Diagnostics");
        ui.weak("Select an event to see its findings and payload.");
        return;
    };
    let Some(event) = session.events().get(position) else {
        return;
    };
    let inspection = session
        .full_inspection(position)
        .or_else(|| session.inspection(position));

    ScrollArea::vertical()
        .id_salt("details_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.add_space(4.0);
            if let Some(outcome) = last_send.and_then(|last| last.event(position)) {
                answer_ui(ui, last_send, outcome);
                ui.add_space(6.0);
            }
            if let Some(inspection) = inspection {
                diagnostics_ui(ui, inspection, commands);
            }
            ui.add_space(8.0);

            ui.horizontal(|ui| {
                ui.label("Show JSON as");
                ui.selectable_value(&mut state.json_view, JsonView::Tree, "Tree");
                ui.selectable_value(&mut state.json_view, JsonView::Raw, "Raw text");
            });

            CollapsingHeader::new(RichText::new("Payload sent to Pinterest").strong())
                .id_salt("payload_section")
                .default_open(true)
                .show(ui, |ui| match inspection.and_then(|i| i.payload.as_ref()) {
                    Some(payload) => {
                        json_section_ui(
                            ui,
                            state.json_view,
                            "payload",
                            position,
                            payload,
                            commands,
                        );
                    }
                    None => {
                        ui.weak("No payload: this event is not sent (see the findings above).");
                    }
                });

            CollapsingHeader::new(RichText::new("Source event").strong())
                .id_salt("source_section")
                .default_open(true)
                .show(ui, |ui| {
                    ui.weak(event.origin.to_string());
                    json_section_ui(
                        ui,
                        state.json_view,
                        "source",
                        position,
                        &event.body,
                        commands,
                    );
                });
        });
}

/// Pinterest's answer to this event in the last send.
fn answer_ui(ui: &mut Ui, last_send: Option<&LastSend>, outcome: &EventOutcome) {
    let visuals = ui.visuals().clone();
    let (glyph, word, severity) = answer_parts(outcome);
    let color = severity.map_or(visuals.strong_text_color(), |s| {
        theme::severity_color(&visuals, s)
    });
    ui.heading("Pinterest's answer");
    ui.label(
        RichText::new(format!("{glyph} {word}"))
            .color(color)
            .strong(),
    );
    if let Some(error) = &outcome.error_message {
        ui.colored_label(theme::severity_color(&visuals, Severity::Error), error);
    }
    if let Some(warning) = &outcome.warning_message {
        ui.colored_label(theme::severity_color(&visuals, Severity::Warning), warning);
    }
    if let Some(request) = last_send.and_then(|last| last.outcome.request_of(outcome)) {
        let status = request
            .http_status
            .map_or_else(|| "no answer".to_owned(), |s| format!("HTTP {s}"));
        let number = outcome.request.map_or(0, |r| r + 1);
        ui.weak(format!("Request {number} ({status})"));
        if let Some(message) = &request.message {
            ui.weak(message);
        }
    }
}

/// The findings, errors first; each one selects the mapping row it is about.
fn diagnostics_ui(ui: &mut Ui, inspection: &Inspection, commands: &mut Vec<Command>) {
    let visuals = ui.visuals().clone();
    let total = inspection.diagnostics.len();
    ui.heading(format!("Diagnostics ({total})"));
    if total == 0 {
        ui.label("No findings: this event maps cleanly.");
        return;
    }
    if inspection.is_sendable() {
        ui.weak("The event can be sent.");
    } else if inspection.payload.is_some() {
        ui.colored_label(
            theme::severity_color(&visuals, Severity::Error),
            "Not sent by default: it has errors.",
        );
    }

    for (severity, title) in [
        (Severity::Error, "Errors"),
        (Severity::Warning, "Warnings"),
        (Severity::Info, "Information"),
    ] {
        let group: Vec<&Diagnostic> = inspection
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        CollapsingHeader::new(
            RichText::new(format!("{title} ({})", group.len()))
                .color(theme::severity_color(&visuals, severity)),
        )
        .id_salt(("diagnostics", title))
        .default_open(severity != Severity::Info)
        .show(ui, |ui| {
            for diagnostic in group {
                diagnostic_ui(ui, inspection, diagnostic, commands);
            }
        });
    }
}

fn diagnostic_ui(
    ui: &mut Ui,
    inspection: &Inspection,
    diagnostic: &Diagnostic,
    commands: &mut Vec<Command>,
) {
    let visuals = ui.visuals().clone();
    let field = diagnostic.field.as_deref().unwrap_or("whole event");
    let text = format!(
        "{} {field}: {}",
        theme::severity_icon(diagnostic.severity),
        diagnostic.message
    );
    let target = row_for(inspection, diagnostic);
    let button = Button::new(
        RichText::new(text).color(theme::severity_color(&visuals, diagnostic.severity)),
    )
    .frame(false)
    .wrap();
    let hover = format!(
        "{} — {}",
        diagnostic.code.as_str(),
        diagnostic.code.summary()
    );
    let response = ui.add_enabled(target.is_some(), button);
    let response = if target.is_some() {
        response.on_hover_text(hover)
    } else {
        response.on_disabled_hover_text(hover)
    };
    if response.clicked()
        && let Some(target) = target
    {
        commands.push(Command::SelectField(target));
    }
}

/// The mapping row a finding belongs to: its own field's row, else the first row under it
/// (`user_data` → `user_data.em`).
fn row_for(inspection: &Inspection, diagnostic: &Diagnostic) -> Option<String> {
    let field = diagnostic.field.as_deref()?;
    inspection
        .trace
        .iter()
        .find(|t| t.field == field)
        .or_else(|| {
            inspection.trace.iter().find(|t| {
                t.field
                    .strip_prefix(field)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
            })
        })
        .map(|t| t.field.clone())
}

fn json_section_ui(
    ui: &mut Ui,
    mode: JsonView,
    what: &'static str,
    position: usize,
    value: &Value,
    commands: &mut Vec<Command>,
) {
    let pretty = || serde_json::to_string_pretty(value).unwrap_or_default();
    let copy_label = if what == "payload" {
        "Copy payload"
    } else {
        "Copy source event"
    };
    if ui.button(copy_label).clicked() {
        commands.push(Command::CopyText(pretty()));
    }
    match mode {
        JsonView::Tree => json_tree_ui(ui, (what, position), value),
        JsonView::Raw => json_raw_ui(ui, (what, "raw", position), &pretty()),
    }
}
