//! Windows and questions: paste events, type a path, confirmations (live mode, live export,
//! preset switch with its preview), the hash checker, and the veil shown while files are
//! dragged over the window.

use egui::{
    Align2, Button, CollapsingHeader, ComboBox, FontId, Grid, Id, LayerId, Modal, Order, RichText,
    ScrollArea, TextEdit, Ui, Window,
};

use crate::core::diagnostics::Severity;
use crate::core::fields::HashedField;
use crate::core::hashcheck::HashCheck;
use crate::core::mapping::RuleValue;
use crate::core::mapping::{diff, diff_outputs};
use crate::core::preset::Preset;

use super::super::command::{Command, Confirm, PathPurpose};
use super::super::session::{Edit, SYNC_LIMIT, Session};
use super::super::theme;
use super::super::view::{HashChecker, PresetPreview, View, source_lines};
use super::widgets::{icon_button, sent_short};

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
        .default_pos(super::widgets::WINDOW_POS)
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
            if let Some(problem) = &paste.problem {
                ui.colored_label(ui.visuals().error_fg_color, problem);
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(
                        !paste.text.trim().is_empty(),
                        Button::new("Load pasted events"),
                    )
                    .clicked()
                {
                    commands.push(Command::LoadPasted(std::mem::take(&mut paste.text)));
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
        .default_pos(super::widgets::WINDOW_POS)
        .id(Id::unique("path_prompt"))
        .open(&mut open)
        .collapsible(false)
        .show(ui.ctx(), |ui| {
            if let Some(note) = &prompt.note {
                ui.colored_label(ui.visuals().warn_fg_color, note);
            }
            let label = ui.label("Type the file's full path");
            let example = match prompt.purpose {
                PathPurpose::OpenEvents => "/home/me/events.ndjson",
                PathPurpose::ImportConfig | PathPurpose::SaveConfig => {
                    "/home/me/pinspect-mapping.json"
                }
            };
            let response = ui
                .add(
                    TextEdit::singleline(&mut prompt.text)
                        .desired_width(420.0)
                        .hint_text(example),
                )
                .labelled_by(label.id);
            if !prompt.focused {
                // Typing goes to the field at once, without a click first.
                response.request_focus();
                prompt.focused = true;
            }
            if response.changed() {
                // "Replace" was about the path as it was.
                prompt.replace = false;
            }
            let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let path = prompt.text.trim();
            ui.horizontal(|ui| {
                let action = if prompt.replace {
                    "Replace"
                } else {
                    prompt.purpose.action()
                };
                let act = ui
                    .add_enabled(!path.is_empty(), Button::new(action))
                    .clicked();
                if (act || entered) && !path.is_empty() {
                    let path = std::path::PathBuf::from(path);
                    commands.push(match prompt.purpose {
                        PathPurpose::OpenEvents => Command::OpenEvents(path),
                        PathPurpose::ImportConfig => Command::ImportConfig(path),
                        PathPurpose::SaveConfig if prompt.replace => Command::ReplaceConfig(path),
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

/// The hash checker window: a value normalized and hashed as the mapping does, compared with
/// the hash the user's setup sends, and the common mistakes that explain a mismatch.
pub fn hash_checker_window(ui: &Ui, view: &mut View, commands: &mut Vec<Command>) {
    let mut open = view.windows.hash_checker;
    Window::new("Hash checker")
        .default_pos(super::widgets::WINDOW_POS)
        .open(&mut open)
        .default_size([560.0, 420.0])
        .show(ui.ctx(), |ui| {
            hash_checker_ui(ui, &mut view.hash_checker, commands);
        });
    view.windows.hash_checker = open;
}

fn field_title(field: Option<HashedField>) -> String {
    let Some(field) = field else {
        return "none: hash the value as given".to_owned();
    };
    let what = match field.key() {
        "em" => "e-mail",
        "ph" => "phone",
        "ge" => "gender",
        "db" => "birth date",
        "ln" => "last name",
        "fn" => "first name",
        "ct" => "city",
        "st" => "state",
        "zp" => "zip code",
        "country" => "country",
        "external_id" => "external id",
        "hashed_maids" => "advertising id",
        other => other,
    };
    format!("{} ({what})", field.key())
}

fn hash_checker_ui(ui: &mut Ui, checker: &mut HashChecker, commands: &mut Vec<Command>) {
    ui.label("Normalize and hash a value exactly as the mapping does, and compare it with the hash your current setup sends.");
    let mut changed = false;
    Grid::new("hash_checker_inputs")
        .num_columns(2)
        .show(ui, |ui| {
            let label = ui.label("Normalize as");
            ComboBox::from_id_salt("hash_checker_field")
                .selected_text(field_title(checker.field))
                .width(220.0)
                .show_ui(ui, |ui| {
                    let choices = HashedField::ALL.into_iter().map(Some).chain([None]);
                    for choice in choices {
                        if ui
                            .selectable_label(checker.field == choice, field_title(choice))
                            .clicked()
                        {
                            checker.field = choice;
                            changed = true;
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();

            let label = ui.label("Value");
            changed |= ui
                .add(
                    TextEdit::singleline(&mut checker.value)
                        .desired_width(320.0)
                        .hint_text("+33 6 12 34 56 78"),
                )
                .labelled_by(label.id)
                .changed();
            ui.end_row();

            let label = ui.label("Expected hash");
            changed |= ui
                .add(
                    TextEdit::singleline(&mut checker.expected)
                        .desired_width(320.0)
                        .hint_text("optional: the hash your setup sends"),
                )
                .labelled_by(label.id)
                .changed();
            ui.end_row();
        });
    if changed {
        commands.push(Command::CheckHash);
    }

    ui.separator();
    match &checker.result {
        None => {
            ui.weak("Type a value to see its normalized form and hash.");
        }
        Some(Err(message)) => {
            ui.colored_label(ui.visuals().error_fg_color, format!("⚠ {message}"));
        }
        Some(Ok(check)) => hash_result_ui(ui, check, commands),
    }
}

fn hash_result_ui(ui: &mut Ui, check: &HashCheck, commands: &mut Vec<Command>) {
    let visuals = ui.visuals().clone();
    Grid::new("hash_checker_result")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label("Normalized");
            match &check.normalized {
                Some(text) => ui.monospace(text),
                None => ui.weak("(not normalized: already a digest, or dropped)"),
            };
            ui.end_row();
            ui.label("SHA-256 sent");
            ui.horizontal(|ui| match &check.sha256 {
                Some(hash) => {
                    ui.add(egui::Label::new(RichText::new(hash).monospace()).selectable(true));
                    if icon_button(ui, theme::COPY_ICON, "Copy the hash", "Copy the hash").clicked()
                    {
                        commands.push(Command::CopyText(hash.clone()));
                    }
                }
                None => {
                    ui.weak("nothing: the value is not sent");
                }
            });
            ui.end_row();
        });

    for finding in &check.diagnostics {
        ui.horizontal_wrapped(|ui| {
            ui.label(theme::severity_glyph(&visuals, finding.severity));
            ui.colored_label(
                theme::severity_color(&visuals, finding.severity),
                &finding.message,
            );
        });
    }

    if let Some(text) = check.verdict_text() {
        let (glyph, color) = if check.matches == Some(true) {
            (theme::SENT_ICON, visuals.strong_text_color())
        } else {
            ("⚠", theme::severity_color(&visuals, Severity::Warning))
        };
        ui.add_space(4.0);
        ui.label(
            RichText::new(format!("{glyph} {text}"))
                .color(color)
                .strong(),
        );
    }

    if !check.steps.is_empty() {
        CollapsingHeader::new("Normalization steps")
            .id_salt("hash_checker_steps")
            .show(ui, |ui| {
                for step in &check.steps {
                    ui.horizontal_wrapped(|ui| {
                        ui.weak(&step.rule);
                        ui.monospace(&step.value);
                    });
                }
            });
    }
    if !check.variants.is_empty() {
        CollapsingHeader::new(format!(
            "What common mistakes would send ({})",
            check.variants.len()
        ))
        .id_salt("hash_checker_variants")
        .show(ui, |ui| {
            Grid::new("hash_checker_variant_grid")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    ui.strong("Mistake");
                    ui.strong("Hashed text");
                    ui.strong("Hash");
                    ui.end_row();
                    for variant in &check.variants {
                        ui.label(&variant.description);
                        ui.monospace(&variant.input);
                        ui.add(egui::Label::new(
                            RichText::new(sent_short(&serde_json::Value::from(
                                variant.hash.as_str(),
                            )))
                            .monospace(),
                        ))
                        .on_hover_text(&variant.hash);
                        ui.end_row();
                    }
                });
        });
    }
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
            Confirm::ExportLive { copy } => export_live_ui(ui, *copy, commands, &mut answered),
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

fn export_live_ui(ui: &mut Ui, copy: bool, commands: &mut Vec<Command>, answered: &mut bool) {
    ui.heading("Export a live config?");
    ui.label("Test mode is off, so the exported config says send_as_test_request: false. Whoever applies it sends real conversions.");
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        let (label, command) = if copy {
            ("Copy live config", Command::CopyConfig { confirmed: true })
        } else {
            (
                "Export live config…",
                Command::SaveConfigDialog { confirmed: true },
            )
        };
        if ui.button(label).clicked() {
            commands.push(command);
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
    // The buttons come before the list: the list settles over a frame or two, and a button
    // below it would move under the pointer.
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        if ui.button("Switch preset").clicked() {
            commands.push(Command::Edit(Edit::Preset(name.to_owned())));
            *answered = true;
        }
        if ui.button("Cancel").clicked() {
            *answered = true;
        }
    });
    ui.add_space(4.0);
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
}

/// What switching to preset `name` would change, for the confirmation: the mapping
/// differences and their effect on the loaded events, both from the core's diff.
pub fn preset_preview(session: &Session, name: &str) -> PresetPreview {
    let current = session.mapping();
    let mut candidate = current.clone();
    name.clone_into(&mut candidate.preset);

    let mut preview = PresetPreview::default();
    let changes = diff(current, &candidate);
    for change in &changes.event_names {
        let side = |target: &Option<String>| {
            target
                .clone()
                .unwrap_or_else(|| "no table (unmapped)".to_owned())
        };
        preview.mapping_changes.push(format!(
            "Event {}: {} → {} ({})",
            change.source,
            side(&change.before),
            side(&change.after),
            change.after_origin.as_str()
        ));
    }
    for change in &changes.fields {
        preview.mapping_changes.push(format!(
            "Field {}: {} → {}",
            change.path,
            rule_text(change.before.as_ref()),
            rule_text(change.after.as_ref())
        ));
    }

    let events = session.events();
    let checked = events.len().min(SYNC_LIMIT);
    let Some(events) = events.get(..checked) else {
        return preview;
    };
    let outputs = diff_outputs(current, &candidate, events, session.clock.now());
    for change in outputs.iter().take(PREVIEW_LINES) {
        let source = change
            .source_event_name
            .as_deref()
            .unwrap_or("(no event_name)");
        let name_of = |n: &Option<String>| n.clone().unwrap_or_else(|| "not sent".to_owned());
        let renamed = if change.before.event_name == change.after.event_name {
            String::new()
        } else {
            format!(
                ": {} → {}",
                name_of(&change.before.event_name),
                name_of(&change.after.event_name)
            )
        };
        let line = format!(
            "#{} {source}{renamed}; {} fields change, {} findings added, {} removed",
            change.index,
            change.fields.len(),
            change.diagnostics_added.len(),
            change.diagnostics_removed.len()
        );
        preview.output_changes.push(line);
    }
    if outputs.len() > PREVIEW_LINES {
        preview.output_changes.push(format!(
            "… and {} more events",
            outputs.len() - PREVIEW_LINES
        ));
    }
    let mut note = format!("{} of {checked} events change.", outputs.len());
    if checked < session.events().len() {
        note = format!("{note} Only the first {checked} events were compared.");
    }
    preview.note = Some(note);
    preview
}

fn rule_text(rule: Option<&RuleValue>) -> String {
    match rule {
        None => "not filled".to_owned(),
        Some(RuleValue::Sources(sources)) => source_lines(sources).replace('\n', ", "),
        Some(RuleValue::Const(value)) => format!("constant {value}"),
        Some(RuleValue::Skip) => "not sent".to_owned(),
    }
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
