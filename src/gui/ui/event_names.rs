//! The event-names window: every source `event_name` seen in the loaded events, the Pinterest
//! event it is sent as and where that comes from (preset, override, unmapped), with a picker
//! limited to Pinterest's names. Names outside the pinned spec's list are marked.

use egui::{ComboBox, Grid, RichText, ScrollArea, TextEdit, Ui, Window};

use crate::core::fields::{self, all_event_names};
use crate::core::mapping::EventNameResolution;
use crate::core::settings::UnmappedEvents;

use super::super::command::Command;
use super::super::session::{Edit, Session};
use super::super::view::View;

/// Draws the window when it is open.
pub fn event_names_window(
    ui: &Ui,
    session: &Session,
    view: &mut View,
    commands: &mut Vec<Command>,
) {
    let mut open = view.windows.event_names;
    Window::new("Event names")
        .default_pos(super::widgets::WINDOW_POS)
        .open(&mut open)
        .default_size([560.0, 420.0])
        .resizable(true)
        .show(ui.ctx(), |ui| {
            event_names_ui(ui, session, view, commands);
        });
    view.windows.event_names = open;
}

fn event_names_ui(ui: &mut Ui, session: &Session, view: &mut View, commands: &mut Vec<Command>) {
    ui.label("The source event names in the loaded events and the Pinterest event each is sent as. Your choice wins over the preset.");

    let unmapped = session.mapping().settings.unmapped_events;
    ui.horizontal(|ui| {
        ui.label("Names in no table");
        for (option, text) in [
            (UnmappedEvents::Custom, "Send as custom"),
            (UnmappedEvents::Skip, "Skip"),
        ] {
            if ui.radio(unmapped == option, text).clicked() && unmapped != option {
                commands.push(Command::Edit(Edit::Unmapped(option)));
            }
        }
    });

    ui.add(
        TextEdit::singleline(&mut view.event_name_filter)
            .hint_text("Filter names")
            .desired_width(200.0),
    )
    .accessible_name("Filter event names");

    if session.event_names().is_empty() {
        ui.weak("Load events to see their names.");
        return;
    }

    let needle = view.event_name_filter.trim().to_lowercase();
    ScrollArea::vertical()
        .id_salt("event_names_scroll")
        .auto_shrink([false, true])
        .show(ui, |ui| {
            Grid::new("event_names_grid")
                .striped(true)
                .num_columns(5)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    ui.strong("Source name");
                    ui.strong("Events");
                    ui.strong("Pinterest event");
                    ui.strong("From");
                    ui.label("");
                    ui.end_row();

                    for (name, count) in session.event_names() {
                        if !needle.is_empty() && !name.to_lowercase().contains(&needle) {
                            continue;
                        }
                        name_row_ui(ui, session, name, *count, commands);
                        ui.end_row();
                    }
                });
        });
}

fn name_row_ui(
    ui: &mut Ui,
    session: &Session,
    name: &str,
    count: usize,
    commands: &mut Vec<Command>,
) {
    let mapping = session.mapping();
    let spec_names = fields::catalog().spec_event_names();
    let resolution = mapping.resolve_event_name(name);
    let unmapped = mapping.settings.unmapped_events;
    let (current, from) = match &resolution {
        EventNameResolution::Override(target) => (Some(target.as_str()), "your override"),
        EventNameResolution::Preset(target) => (Some(target.as_str()), "preset"),
        EventNameResolution::Unmapped => (
            match unmapped {
                UnmappedEvents::Custom => Some("custom"),
                UnmappedEvents::Skip => None,
            },
            "unmapped",
        ),
    };
    let outside_spec = current.is_some_and(|c| !spec_names.iter().any(|s| s == c));

    ui.monospace(name);
    ui.label(count.to_string());

    let selected_text = match current {
        Some(target) if outside_spec => {
            RichText::new(format!("{target} ⚠")).color(ui.visuals().warn_fg_color)
        }
        Some(target) => RichText::new(target),
        None => RichText::new("not sent").weak(),
    };
    let response = ComboBox::from_id_salt(("event_name_target", name))
        .selected_text(selected_text)
        .width(170.0)
        .height(360.0)
        .show_ui(ui, |ui| {
            for target in all_event_names() {
                let in_spec = spec_names.iter().any(|s| s == target);
                let text = if in_spec {
                    RichText::new(target)
                } else {
                    RichText::new(format!("{target} ⚠ not in spec 5.23"))
                        .color(ui.visuals().warn_fg_color)
                };
                let is_current = current == Some(target)
                    && matches!(resolution, EventNameResolution::Override(_));
                if ui.selectable_label(is_current, text).clicked() && !is_current {
                    commands.push(Command::Edit(Edit::EventName {
                        source: name.to_owned(),
                        target: Some(target.to_owned()),
                    }));
                }
            }
        })
        .response
        .accessible_name(format!("Pinterest event for {name}"));
    if outside_spec {
        response.on_hover_text("Not in the pinned Pinterest 5.23 spec's list of event names: Pinterest may reject or ignore it");
    }

    let from_text = RichText::new(from);
    ui.label(if from == "unmapped" {
        from_text.color(ui.visuals().warn_fg_color)
    } else {
        from_text
    });

    if matches!(resolution, EventNameResolution::Override(_)) {
        if ui
            .button("Reset")
            .accessible_name(format!("Reset {name}"))
            .on_hover_text(format!("Map {name} with the preset again"))
            .clicked()
        {
            commands.push(Command::Edit(Edit::EventName {
                source: name.to_owned(),
                target: None,
            }));
        }
    } else {
        ui.label("");
    }
}
