//! The top bar: files, mapping config, preset, windows, undo, theme, the test-mode / live
//! indicator, and the destination settings.

use egui::{Button, ComboBox, RichText, Ui};

use crate::core::preset::{Preset, builtin_presets};
use crate::core::settings::UnmappedEvents;

use super::super::command::{Command, PathPurpose};
use super::super::session::{Clock, Edit, Session};
use super::super::state::AppState;
use super::super::theme;
use super::super::view::{PasteDraft, View};
use super::widgets::labelled_text;

/// Draws the two rows of the top bar.
pub fn top_bar_ui(
    ui: &mut Ui,
    session: &Session,
    state: &AppState,
    view: &mut View,
    commands: &mut Vec<Command>,
) {
    ui.add_space(2.0);
    ui.horizontal_wrapped(|ui| {
        mode_indicator_ui(ui, session, commands);
        ui.separator();
        files_ui(ui, session, state, view, commands);
        ui.separator();
        config_ui(ui, state, commands);
    });
    ui.add_space(2.0);
    ui.horizontal_wrapped(|ui| {
        ui.horizontal(|ui| preset_ui(ui, session, commands));
        if ui.button("Event names…").clicked() {
            view.windows.event_names = true;
        }
        if ui.button("Hash checker…").clicked() {
            view.windows.hash_checker = true;
        }
        ui.separator();
        if ui
            .add_enabled(session.can_undo(), Button::new("Undo"))
            .on_hover_text("Undo the last mapping change (Ctrl+Z)")
            .clicked()
        {
            commands.push(Command::Undo);
        }
        if ui
            .add_enabled(session.can_redo(), Button::new("Redo"))
            .on_hover_text("Redo (Ctrl+Shift+Z)")
            .clicked()
        {
            commands.push(Command::Redo);
        }
        ui.separator();
        egui::widgets::global_theme_preference_buttons(ui);
    });
    ui.add_space(2.0);
    ui.horizontal_wrapped(|ui| settings_ui(ui, session, view, commands));
    ui.add_space(2.0);
}

/// The permanent TEST MODE / LIVE badge; switching to live always asks first.
fn mode_indicator_ui(ui: &mut Ui, session: &Session, commands: &mut Vec<Command>) {
    let live = !session.mapping().settings.send_as_test_request;
    let (fill, text) = theme::mode_colors(ui.visuals(), live);
    let (label, hover) = if live {
        (
            "LIVE",
            "Requests go to Pinterest without test=true and count as real conversions. Click to go back to test mode.",
        )
    } else {
        (
            "TEST MODE",
            "Requests are sent with test=true: Pinterest checks them but does not count them. Click to switch to live (asks first).",
        )
    };
    let button = Button::new(RichText::new(label).strong().color(text)).fill(fill);
    if ui.add(button).on_hover_text(hover).clicked() {
        commands.push(if live {
            Command::TestMode
        } else {
            Command::RequestLive
        });
    }
}

fn files_ui(
    ui: &mut Ui,
    session: &Session,
    state: &AppState,
    view: &mut View,
    commands: &mut Vec<Command>,
) {
    if ui
        .button("Open events file…")
        .on_hover_text(
            "JSON object, JSON array or NDJSON (Ctrl+O); you can also drop files on the window",
        )
        .clicked()
    {
        commands.push(Command::OpenEventsDialog);
    }
    if ui.button("Paste events…").clicked() {
        view.paste = Some(PasteDraft::default());
    }
    if ui
        .button("Open sample events")
        .on_hover_text("Web and app events with typical mistakes, timed a few minutes ago")
        .clicked()
    {
        commands.push(Command::LoadSamples);
    }
    ui.menu_button("Recent files", |ui| {
        if state.recent_files.is_empty() {
            ui.weak("No recent files");
        }
        for path in &state.recent_files {
            if ui.button(path.display().to_string()).clicked() {
                commands.push(Command::OpenEvents(path.clone()));
                ui.close();
            }
        }
        ui.separator();
        if ui.button("Type a path…").clicked() {
            commands.push(Command::PromptPath(PathPurpose::OpenEvents));
            ui.close();
        }
    });
    if ui
        .add_enabled(!session.events().is_empty(), Button::new("Clear events"))
        .clicked()
    {
        commands.push(Command::ClearEvents);
    }
}

fn config_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    if ui.button("Open mapping config…").clicked() {
        commands.push(Command::OpenConfigDialog);
    }
    if ui.button("Save mapping config…").clicked() {
        commands.push(Command::SaveConfigDialog { confirmed: false });
    }
    if ui
        .button("Copy mapping config")
        .on_hover_text("Copy the mapping config file's text to the clipboard")
        .clicked()
    {
        commands.push(Command::CopyConfig { confirmed: false });
    }
    ui.menu_button("More", |ui| {
        if ui.button("Type a config path to open…").clicked() {
            commands.push(Command::PromptPath(PathPurpose::ImportConfig));
            ui.close();
        }
        if ui.button("Type a path to save the config to…").clicked() {
            commands.push(Command::PromptPath(PathPurpose::SaveConfig));
            ui.close();
        }
        if !state.recent_configs.is_empty() {
            ui.separator();
            ui.weak("Recent configs");
        }
        for path in &state.recent_configs {
            if ui.button(path.display().to_string()).clicked() {
                commands.push(Command::ImportConfig(path.clone()));
                ui.close();
            }
        }
    });
}

fn preset_ui(ui: &mut Ui, session: &Session, commands: &mut Vec<Command>) {
    let current = &session.mapping().preset;
    let title = Preset::builtin(current).map_or_else(|| current.clone(), |p| p.title.clone());
    let label = ui.label("Preset");
    let response = ComboBox::from_id_salt("preset_picker")
        .selected_text(title)
        .width(220.0)
        .show_ui(ui, |ui| {
            for preset in builtin_presets() {
                let selected = preset.name == *current;
                let response = ui
                    .selectable_label(selected, &preset.title)
                    .on_hover_text(&preset.description);
                if response.clicked() && !selected {
                    commands.push(Command::RequestPreset(preset.name.clone()));
                }
            }
        })
        .response;
    response.labelled_by(label.id);
}

/// A text field whose value reaches the mapping only when `check` accepts it: the accepted
/// value, or `None` while the text is not valid (a warning beside the field says why, and the
/// mapping keeps its last good value).
fn checked_text_ui<T>(
    ui: &mut Ui,
    (label, hint): (&str, &str),
    typed: &mut String,
    width: f32,
    check: impl Fn(&str) -> Result<T, String>,
) -> Option<T> {
    let response = labelled_text(ui, label, typed, width, hint);
    match check(typed) {
        Ok(value) => Some(value),
        Err(problem) => {
            response.on_hover_text(&problem);
            ui.colored_label(ui.visuals().error_fg_color, "⚠ not valid")
                .on_hover_text(problem);
            None
        }
    }
}

/// The destination settings. Plain settings are edited on a copy and sent as one command.
fn settings_ui(ui: &mut Ui, session: &Session, view: &mut View, commands: &mut Vec<Command>) {
    let original = &session.mapping().settings;
    let mut settings = original.clone();

    // Typed settings reach the mapping only when they are valid: a config exported with a bad
    // one would be refused by every import, the app's own at the next start included.
    // While the text is not valid the mapping holds nothing rather than the last valid text,
    // which would be a half-typed prefix (`5497` of `5497 5588…`, another ad account).
    settings.advertiser_id = checked_text_ui(
        ui,
        ("Advertiser id", "digits"),
        &mut view.advertiser_id,
        110.0,
        |typed| {
            crate::core::config::check_advertiser_id("the advertiser id", typed)
                .map(|()| typed.trim().to_owned())
        },
    )
    .unwrap_or_default();

    settings.click_id_cookie_name = checked_text_ui(
        ui,
        ("Click-id cookie", "_epik"),
        &mut view.cookie_name,
        70.0,
        |typed| crate::core::settings::check_cookie_name(typed).map(|()| typed.trim().to_owned()),
    )
    .unwrap_or_default();

    settings.default_phone_country = checked_text_ui(
        ui,
        ("Default phone country", "e.g. FR"),
        &mut view.phone_country,
        56.0,
        |typed| {
            let code = typed.trim().to_ascii_uppercase();
            if code.is_empty() {
                Ok(None)
            } else if rust_iso3166::from_alpha2(&code).is_some() {
                Ok(Some(code))
            } else {
                Err(format!(
                    "{typed:?} is not an ISO 3166-1 alpha-2 code such as FR; national numbers stay unsent until it is"
                ))
            }
        },
    )
    .flatten();

    ui.checkbox(&mut settings.strip_name_diacritics, "Strip name diacritics")
        .on_hover_text("Remove accents from first and last names before hashing (off: Pinterest asks for UTF-8 as typed)");

    ui.horizontal(|ui| unmapped_ui(ui, original.unmapped_events, commands));

    let mut test_mode = original.send_as_test_request;
    if ui
        .checkbox(&mut test_mode, "Test mode")
        .on_hover_text("Send with test=true; switching it off asks for confirmation every time")
        .changed()
    {
        commands.push(if test_mode {
            Command::TestMode
        } else {
            Command::RequestLive
        });
    }

    if settings != *original {
        commands.push(Command::Settings(settings));
    }
}

fn unmapped_ui(ui: &mut Ui, current: UnmappedEvents, commands: &mut Vec<Command>) {
    let label = ui.label("Unmapped events");
    let text = |unmapped| match unmapped {
        UnmappedEvents::Custom => "Send as custom",
        UnmappedEvents::Skip => "Skip",
    };
    ComboBox::from_id_salt("unmapped_events")
        .selected_text(text(current))
        .show_ui(ui, |ui| {
            for option in [UnmappedEvents::Custom, UnmappedEvents::Skip] {
                if ui
                    .selectable_label(option == current, text(option))
                    .clicked()
                    && option != current
                {
                    commands.push(Command::Edit(Edit::Unmapped(option)));
                }
            }
        })
        .response
        .labelled_by(label.id);
}

/// The clock the time checks use: now, or a fixed instant for old exports.
pub fn clock_ui(ui: &mut Ui, session: &Session, view: &mut View, commands: &mut Vec<Command>) {
    let label = ui.label("Check times against");
    let fixed = matches!(session.clock, Clock::Fixed(_));
    ComboBox::from_id_salt("clock")
        .selected_text(if fixed { "Fixed time" } else { "Now" })
        .show_ui(ui, |ui| {
            if ui.selectable_label(!fixed, "Now").clicked() && fixed {
                commands.push(Command::SetClock(Clock::Now));
            }
            if ui.selectable_label(fixed, "Fixed time").clicked() && !fixed {
                let now = Clock::Now.now();
                view.clock_text = now.to_string();
                commands.push(Command::SetClock(Clock::Fixed(now)));
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text(
            "The time checks (too old, in the future) compare event times with this clock",
        );

    if let Clock::Fixed(seconds) = session.clock {
        let response = ui
            .add(egui::TextEdit::singleline(&mut view.clock_text).desired_width(90.0))
            .accessible_name("Fixed time in Unix seconds")
            .on_hover_text("Unix seconds, like pinspect check --now");
        match view.clock_text.trim().parse::<i64>() {
            Ok(typed) if typed != seconds && response.changed() => {
                commands.push(Command::SetClock(Clock::Fixed(typed)));
            }
            Ok(_) => {}
            Err(_) => {
                ui.colored_label(ui.visuals().error_fg_color, "⚠ Unix seconds");
            }
        }
        if let Ok(time) = jiff::Timestamp::from_second(seconds) {
            ui.weak(time.strftime("%Y-%m-%d %H:%M UTC").to_string());
        }
    }
}
