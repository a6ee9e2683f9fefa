//! Windows and questions: paste events, type a path, confirmations (live mode, live export,
//! preset switch with its preview), the hash checker, and the veil shown while files are
//! dragged over the window.

use egui::{
    Align2, Button, FontId, Id, LayerId, Modal, Order, RichText, ScrollArea, TextEdit, Ui, Window,
};

use crate::core::inspect::inspect_all;
use crate::core::preset::Preset;

use super::super::command::{Command, Confirm, PathPurpose};
use super::super::session::{Edit, SYNC_LIMIT, Session};
use super::super::theme;
use super::super::view::{PresetPreview, View};

/// Pasted text longer than this is not shown in an editable box (egui would lay it out every
/// frame); it can still be loaded.
const PASTE_EDIT_LIMIT: usize = 256 * 1024;

/// Lines of output changes listed in the preset preview.
const PREVIEW_LINES: usize = 12;

/// The paste window.
pub fn paste_window(ui: &Ui, view: &mut View, commands: &mut Vec<Command>) {
    let Some(paste) = &mut view.paste else {
        return;
    };
    let mut open = true;
    let mut close = false;
    Window::new("Paste events")
        .open(&mut open)
        .default_size([520.0, 360.0])
        .show(ui.ctx(), |ui| {
            ui.label("Paste one event, a JSON array of events, or NDJSON (one event per line).");
            if paste.text.len() > PASTE_EDIT_LIMIT {
                ui.label(format!(
                    "{} KB pasted; too long to show here, but it can be loaded.",
                    paste.text.len() / 1024
                ));
                if ui.button("Clear pasted text").clicked() {
                    paste.text.clear();
                }
            } else {
                ScrollArea::vertical().max_height(260.0).show(ui, |ui| {
                    ui.add(
                        TextEdit::multiline(&mut paste.text)
                            .code_editor()
                            .desired_rows(12)
                            .desired_width(f32::INFINITY)
                            .hint_text("{\"event_name\": \"purchase\", …}"),
                    )
                    .accessible_name("Pasted events");
                });
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(
                        !paste.text.trim().is_empty(),
                        Button::new("Load pasted events"),
                    )
                    .clicked()
                {
                    commands.push(Command::LoadBytes {
                        name: "pasted events".to_owned(),
                        bytes: std::mem::take(&mut paste.text).into_bytes(),
                    });
                    close = true;
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
        });
    if !open || close {
        view.paste = None;
    }
}

/// The path prompt, used when no file dialog is available or by choice.
pub fn path_prompt_window(ui: &Ui, view: &mut View, commands: &mut Vec<Command>) {
    let Some(prompt) = &mut view.path_prompt else {
        return;
    };
    let mut open = true;
    let mut close = false;
    Window::new(prompt.purpose.title())
        .id(Id::unique("path_prompt"))
        .open(&mut open)
        .collapsible(false)
        .show(ui.ctx(), |ui| {
            let label = ui.label("Type the file's full path");
            let response = ui
                .add(
                    TextEdit::singleline(&mut prompt.text)
                        .desired_width(420.0)
                        .hint_text("/home/me/events.ndjson"),
                )
                .labelled_by(label.id);
            let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let path = prompt.text.trim();
            ui.horizontal(|ui| {
                let act = ui
                    .add_enabled(!path.is_empty(), Button::new(prompt.purpose.action()))
                    .clicked();
                if (act || entered) && !path.is_empty() {
                    let path = std::path::PathBuf::from(path);
                    commands.push(match prompt.purpose {
                        PathPurpose::OpenEvents => Command::OpenEvents(path),
                        PathPurpose::ImportConfig => Command::ImportConfig(path),
                        PathPurpose::SaveConfig => Command::SaveConfig(path),
                    });
                    close = true;
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
        });
    if !open || close {
        view.path_prompt = None;
    }
}

/// The hash checker window.
pub fn hash_checker_window(ui: &Ui, view: &mut View) {
    let mut open = view.windows.hash_checker;
    Window::new("Hash checker")
        .open(&mut open)
        .default_size([460.0, 200.0])
        .show(ui.ctx(), |ui| {
            // TODO(#3): the hash checker core (normalized value, hash, match against an
            // expected hash, which common mistake explains a mismatch) is not on main yet;
            // until it lands, point users to the command line.
            ui.label("The hash checker is not available in this build yet.");
            ui.label("On the command line: pinspect hash --field ph \"+33 6 12 34 56 78\"");
        });
    view.windows.hash_checker = open;
}

/// The open question, as a modal: nothing else can be clicked until it is answered.
pub fn confirm_modal(ui: &Ui, view: &mut View, commands: &mut Vec<Command>) {
    let Some(confirm) = view.confirm.clone() else {
        return;
    };
    let mut answered = false;
    let modal = Modal::new(Id::unique("confirm_modal")).show(ui.ctx(), |ui| {
        ui.set_max_width(460.0);
        match &confirm {
            Confirm::Live => live_ui(ui, commands, &mut answered),
            Confirm::ExportLive => export_live_ui(ui, commands, &mut answered),
            Confirm::Preset(name) => {
                preset_switch_ui(
                    ui,
                    name,
                    view.preset_preview.as_ref(),
                    commands,
                    &mut answered,
                );
            }
        }
    });
    if answered || modal.should_close() {
        view.confirm = None;
        view.preset_preview = None;
    }
}

fn live_ui(ui: &mut Ui, commands: &mut Vec<Command>, answered: &mut bool) {
    ui.heading("Switch to live sending?");
    ui.label("In live mode requests go to Pinterest without test=true: the events count as real conversions in the ad account and cannot be taken back.");
    ui.label("You will be asked again every time you switch to live.");
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        let (fill, text) = theme::mode_colors(ui.visuals(), true);
        if ui
            .add(Button::new(RichText::new("Switch to live").color(text)).fill(fill))
            .clicked()
        {
            commands.push(Command::ConfirmLive);
            *answered = true;
        }
        if ui.button("Stay in test mode").clicked() {
            *answered = true;
        }
    });
}

fn export_live_ui(ui: &mut Ui, commands: &mut Vec<Command>, answered: &mut bool) {
    ui.heading("Export a live config?");
    ui.label("Test mode is off, so the exported config says send_as_test_request: false. Whoever applies it sends real conversions.");
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui.button("Export live config…").clicked() {
            commands.push(Command::SaveConfigDialog { confirmed: true });
            *answered = true;
        }
        if ui.button("Cancel").clicked() {
            *answered = true;
        }
    });
}

fn preset_switch_ui(
    ui: &mut Ui,
    name: &str,
    preview: Option<&PresetPreview>,
    commands: &mut Vec<Command>,
    answered: &mut bool,
) {
    let title = Preset::builtin(name).map_or(name, |p| p.title.as_str());
    ui.heading(format!("Switch to the preset {title}?"));
    ui.label("Your overrides are kept; only what the preset decides changes.");
    if let Some(preview) = preview {
        ScrollArea::vertical().max_height(300.0).show(ui, |ui| {
            if !preview.mapping_changes.is_empty() {
                ui.strong("Mapping changes");
                for line in &preview.mapping_changes {
                    ui.label(line);
                }
            }
            ui.strong("Effect on the loaded events");
            if preview.output_changes.is_empty() {
                ui.label("No loaded event changes.");
            }
            for line in &preview.output_changes {
                ui.label(line);
            }
            if let Some(note) = &preview.note {
                ui.weak(note);
            }
        });
    }
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui.button("Switch preset").clicked() {
            commands.push(Command::Edit(Edit::Preset(name.to_owned())));
            *answered = true;
        }
        if ui.button("Cancel").clicked() {
            *answered = true;
        }
    });
}

/// What switching to preset `name` would change, for the confirmation.
pub fn preset_preview(session: &Session, name: &str) -> PresetPreview {
    let mut candidate = session.mapping().clone();
    name.clone_into(&mut candidate.preset);

    // TODO(#4): list the mapping differences (event names, field sources) with the core's
    // mapping diff once it is on main; until then the preview shows the effect on the loaded
    // events, computed by the same core function that checks them.
    let mut preview = PresetPreview::default();
    let events = session.events();
    let checked = events.len().min(SYNC_LIMIT);
    let Some(events) = events.get(..checked) else {
        return preview;
    };
    let now = session.clock.now();
    let before = inspect_all(events, session.mapping(), now);
    let after = inspect_all(events, &candidate, now);

    let mut changed = 0;
    for (old, new) in std::iter::zip(&before, &after) {
        if old.payload == new.payload && old.diagnostics == new.diagnostics {
            continue;
        }
        changed += 1;
        if preview.output_changes.len() >= PREVIEW_LINES {
            continue;
        }
        let source = old
            .source_event_name
            .as_deref()
            .unwrap_or("(no event_name)");
        let name_of = |n: &Option<String>| n.clone().unwrap_or_else(|| "not sent".to_owned());
        let line = if old.event_name == new.event_name {
            format!(
                "#{} {source}: payload or findings change ({} → {} findings)",
                old.index,
                old.diagnostics.len(),
                new.diagnostics.len()
            )
        } else {
            format!(
                "#{} {source}: {} → {}",
                old.index,
                name_of(&old.event_name),
                name_of(&new.event_name)
            )
        };
        preview.output_changes.push(line);
    }
    if changed > preview.output_changes.len() {
        preview.output_changes.push(format!(
            "… and {} more events",
            changed - preview.output_changes.len()
        ));
    }
    let note = if checked < session.events().len() {
        format!(
            "{changed} of {checked} events change. Only the first {checked} events were compared."
        )
    } else {
        format!("{changed} of {checked} events change.")
    };
    preview.note = Some(note);
    preview
}

/// The veil over the window while files are dragged over it.
pub fn drop_overlay(ui: &Ui) {
    let ctx = ui.ctx();
    if ctx.input(|i| i.raw.hovered_files.is_empty()) {
        return;
    }
    let painter = ctx.layer_painter(LayerId::new(Order::Foreground, Id::unique("drop_veil")));
    let rect = ctx.content_rect();
    painter.rect_filled(rect, 0.0, theme::drop_veil());
    painter.text(
        rect.center(),
        Align2::CENTER_CENTER,
        "Drop event files (JSON, NDJSON) or a mapping config",
        FontId::proportional(22.0),
        theme::DROP_TEXT,
    );
}
