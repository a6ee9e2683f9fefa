//! The events list: index, source name, Pinterest name and finding counts, with a filter.
//! Virtualized (only visible rows are laid out) and filtered through a cached index list, so
//! 100 000 events scroll smoothly.

use egui::{Align, Label, RichText, Sense, TextEdit, Ui};
use egui_extras::{Column, TableBuilder};

use crate::core::diagnostics::{Severity, SeverityCounts};
use crate::core::send::EventOutcome;

use super::super::command::Command;
use super::super::sending::LastSend;
use super::super::session::Session;
use super::super::theme;
use super::super::view::View;
use super::send_panel::answer_parts;

/// Row height of the list.
const ROW_HEIGHT: f32 = 22.0;

/// Draws the list.
pub fn events_list_ui(
    ui: &mut Ui,
    session: &Session,
    view: &mut View,
    last_send: Option<&LastSend>,
    commands: &mut Vec<Command>,
) {
    ui.add_space(4.0);
    ui.heading("Events");
    let filter = ui
        .add(
            TextEdit::singleline(&mut view.filter)
                .hint_text("Filter: name, #index, diagnostic code or Pinterest's answer")
                .desired_width(f32::INFINITY),
        )
        .accessible_name("Filter events");
    let only_errors = ui.checkbox(&mut view.only_errors, "Only with errors");
    // A new filter shows its first matches, not the old scroll position.
    let filter_changed = filter.changed() || only_errors.changed();

    let key = (
        session.generation(),
        session.inspected_generation(),
        view.filter.clone(),
        view.only_errors,
        last_send.and_then(|last| last.outcome.requests.first().map(|r| r.started_at)),
    );
    if view.filtered_key.as_ref() != Some(&key) {
        view.filtered = session.filter(
            &view.filter,
            view.only_errors,
            last_send.map(|last| &last.outcome),
        );
        view.filtered_key = Some(key);
    }

    ui.weak(format!(
        "{} of {} events",
        view.filtered.len(),
        session.events().len()
    ));
    ui.separator();

    if session.events().is_empty() {
        ui.label(
            "No events yet. Open a file, paste events, drop files here, or open the sample events.",
        );
        return;
    }

    let mut table = TableBuilder::new(ui)
        .id_salt("events_table")
        .striped(true)
        .sense(Sense::click())
        .auto_shrink([false, false])
        .cell_layout(egui::Layout::left_to_right(Align::Center))
        .column(Column::exact(42.0))
        .column(
            Column::initial(100.0)
                .at_least(56.0)
                .clip(true)
                .resizable(true),
        )
        .column(
            Column::initial(86.0)
                .at_least(56.0)
                .clip(true)
                .resizable(true),
        );
    // The answer column comes before Findings, which takes what is left: after a column that
    // takes the rest, another would lie past the panel's edge.
    if last_send.is_some() {
        table = table.column(Column::exact(30.0));
    }
    table = table.column(Column::remainder().at_least(60.0));
    if filter_changed && !view.filtered.is_empty() {
        table = table.scroll_to_row(0, Some(Align::TOP));
    } else if view.scroll.to_event {
        view.scroll.to_event = false;
        if let Some(row) = view
            .selected
            .and_then(|selected| view.filtered.iter().position(|&p| p == selected))
        {
            table = table.scroll_to_row(row, Some(Align::Center));
        }
    }

    let filtered = &view.filtered;
    let selected = view.selected;
    table
        .header(20.0, |mut header| {
            header.col(|ui| {
                ui.strong("#");
            });
            header.col(|ui| {
                ui.strong("Source event");
            });
            header.col(|ui| {
                ui.strong("Pinterest");
            });
            if last_send.is_some() {
                header.col(|ui| {
                    ui.strong("Sent")
                        .on_hover_text("Pinterest's answer to the last send");
                });
            }
            header.col(|ui| {
                ui.strong("Findings");
            });
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, filtered.len(), |mut row| {
                let Some(&position) = filtered.get(row.index()) else {
                    return;
                };
                row.set_selected(selected == Some(position));
                let inspection = session.inspection(position);

                row.col(|ui| {
                    ui.add(Label::new(format!("#{position}")).selectable(false));
                });
                row.col(|ui| {
                    let name = session
                        .events()
                        .get(position)
                        .and_then(|e| e.event_name())
                        .unwrap_or("(no event_name)");
                    ui.add(Label::new(name).truncate().selectable(false));
                });
                row.col(|ui| {
                    let text = match inspection {
                        None => RichText::new("…").weak(),
                        Some(i) => match &i.event_name {
                            Some(name) => RichText::new(name),
                            None => RichText::new("not sent").weak(),
                        },
                    };
                    ui.add(Label::new(text).truncate().selectable(false));
                });
                if let Some(last) = last_send {
                    row.col(|ui| {
                        if let Some(outcome) = last.event(position) {
                            answer_badge_ui(ui, outcome);
                        }
                    });
                }
                row.col(|ui| {
                    if let Some(inspection) = inspection {
                        badges_ui(ui, SeverityCounts::of(&inspection.diagnostics));
                    }
                });

                if row.response().clicked() {
                    commands.push(Command::SelectEvent(position));
                }
            });
        });
}

/// Pinterest's answer to the last send, as a glyph with the details on hover.
fn answer_badge_ui(ui: &mut Ui, outcome: &EventOutcome) {
    let (glyph, word, severity) = answer_parts(outcome);
    let visuals = ui.visuals().clone();
    let text = RichText::new(glyph);
    let text = match severity {
        Some(severity) => text.color(theme::severity_color(&visuals, severity)),
        None => text.color(visuals.strong_text_color()),
    };
    let message = outcome
        .error_message
        .as_deref()
        .or(outcome.warning_message.as_deref())
        .map_or_else(String::new, |m| format!(": {m}"));
    ui.label(text)
        .on_hover_text(format!("Pinterest: {word}{message}"));
}

/// Error and warning counts, coloured; nothing when there are none.
fn badges_ui(ui: &mut Ui, counts: SeverityCounts) {
    let visuals = ui.visuals().clone();
    if counts.errors > 0 {
        ui.label(
            RichText::new(format!(
                "{} {}",
                theme::severity_icon(Severity::Error),
                counts.errors
            ))
            .color(theme::severity_color(&visuals, Severity::Error)),
        )
        .on_hover_text(format!("{} errors", counts.errors));
    }
    if counts.warnings > 0 {
        ui.label(
            RichText::new(format!(
                "{} {}",
                theme::severity_icon(Severity::Warning),
                counts.warnings
            ))
            .color(theme::severity_color(&visuals, Severity::Warning)),
        )
        .on_hover_text(format!("{} warnings", counts.warnings));
    }
    if counts.errors == 0 && counts.warnings == 0 {
        ui.label(RichText::new(theme::SENT_ICON).weak())
            .on_hover_text("No errors or warnings");
    }
}
