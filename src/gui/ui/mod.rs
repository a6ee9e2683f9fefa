//! The panels and windows. Every function here reads state and pushes [`Command`]s; none
//! touches files, the network or the core's computations.
//!
//! [`Command`]: super::command::Command

mod details;
mod dialogs;
mod event_names;
mod events_list;
mod mapping_table;
mod override_editor;
mod send_panel;
mod status_bar;
mod top_bar;
mod widgets;

pub use dialogs::preset_preview;

use egui::{CentralPanel, Panel, Ui};

use super::app::App;

/// Draws the whole window.
pub fn app_ui(ui: &mut Ui, app: &mut App) {
    let App {
        state,
        session,
        view,
        tasks,
        commands,
        send,
        ..
    } = app;
    let statuses = tasks.statuses();

    Panel::top("top_bar").show(ui, |ui| {
        top_bar::top_bar_ui(ui, session, state, view, commands);
    });
    Panel::bottom("status_bar").show(ui, |ui| {
        status_bar::status_bar_ui(ui, session, view, &statuses, commands);
    });
    Panel::bottom("send_panel")
        .resizable(true)
        .min_size(40.0)
        .show(ui, |ui| {
            send_panel::send_panel_ui(ui, session, send, &statuses, commands);
        });
    // Answers go on events only while the events they are about are loaded; the send
    // panel's request log keeps them either way.
    let last_send = send.last.as_ref().filter(|last| last.is_about(session));
    // The side panels give way on small windows, so the mapping table in the middle keeps
    // room for every column and button (at 900 px wide the table still gets about 420 px).
    let window_width = ui.available_width();
    Panel::left("events")
        .resizable(true)
        .default_size(330.0)
        .min_size(180.0)
        .max_size((window_width * 0.25).max(180.0))
        .show(ui, |ui| {
            events_list::events_list_ui(ui, session, view, last_send, commands);
        });
    Panel::right("details")
        .resizable(true)
        .default_size(370.0)
        .min_size(220.0)
        .max_size((window_width * 0.28).max(220.0))
        .show(ui, |ui| {
            details::details_ui(ui, session, state, view, last_send, commands);
        });
    CentralPanel::default().show(ui, |ui| {
        let answer = last_send
            .zip(view.selected)
            .and_then(|(last, position)| last.event(position));
        mapping_table::mapping_ui(ui, session, state, view, answer, commands);
    });

    event_names::event_names_window(ui, session, view, commands);
    dialogs::paste_window(ui, view, commands);
    dialogs::path_prompt_window(ui, view, commands);
    dialogs::hash_checker_window(ui, view, commands);
    dialogs::confirm_modal(ui, view, commands);
    dialogs::drop_overlay(ui);
}
