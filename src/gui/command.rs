//! Side effects requested by the UI. UI functions only read state and push commands; the app
//! runs them after the frame is drawn ([`super::app::App::run_command`]), so file access,
//! dialogs, clipboard and core recomputations happen in one place.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use super::session::{Clock, Edit};
use crate::core::settings::Settings;

/// What a path typed by hand is for (when no file dialog is available, or by choice).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathPurpose {
    /// Open an events file.
    OpenEvents,

    /// Import a mapping config.
    ImportConfig,

    /// Save the mapping config.
    SaveConfig,
}

impl PathPurpose {
    /// The prompt's title.
    pub fn title(self) -> &'static str {
        match self {
            Self::OpenEvents => "Open events file",
            Self::ImportConfig => "Open mapping config",
            Self::SaveConfig => "Save mapping config",
        }
    }

    /// The button that acts on the typed path.
    pub fn action(self) -> &'static str {
        match self {
            Self::OpenEvents | Self::ImportConfig => "Open",
            Self::SaveConfig => "Save",
        }
    }
}

/// Questions that need an explicit answer before the app goes on.
#[derive(Clone, Debug, PartialEq)]
pub enum Confirm {
    /// Switch from test mode to live sending.
    Live,

    /// Export a config while test mode is off: save it (`false`) or copy it (`true`).
    ExportLive {
        /// Copy to the clipboard instead of saving.
        copy: bool,
    },

    /// Switch to another preset (the preview shows what changes).
    Preset(String),
}

/// A side effect to run after drawing.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Ask for an events file with the native dialog.
    OpenEventsDialog,

    /// Load an events file.
    OpenEvents(PathBuf),

    /// Load pasted events; on a syntax error the paste window opens again with the text and
    /// the problem, so nothing typed is lost.
    LoadPasted(String),

    /// Load events from bytes (a dropped file or a paste), labelled `name`.
    LoadBytes {
        /// File name or label.
        name: String,
        /// The content.
        bytes: Vec<u8>,
    },

    /// Load the shipped sample events, moved to the present.
    LoadSamples,

    /// Forget every loaded event.
    ClearEvents,

    /// Ask for a mapping config with the native dialog.
    OpenConfigDialog,

    /// Import a mapping config file.
    ImportConfig(PathBuf),

    /// Import mapping config text (a dropped file).
    ImportConfigText {
        /// File name or label.
        name: String,
        /// The config text.
        text: String,
    },

    /// Save the mapping config with the native dialog (asks first when test mode is off,
    /// unless `confirmed`).
    SaveConfigDialog {
        /// The user already confirmed exporting a live config.
        confirmed: bool,
    },

    /// Write the mapping config to a path; a file already there is not replaced without
    /// asking.
    SaveConfig(PathBuf),

    /// Write the mapping config to a path, replacing the file there (the user said so).
    ReplaceConfig(PathBuf),

    /// Copy the mapping config text to the clipboard (asks first when test mode is off,
    /// unless `confirmed`).
    CopyConfig {
        /// The user already confirmed exporting a live config.
        confirmed: bool,
    },

    /// Copy text to the clipboard.
    CopyText(String),

    /// Show the path prompt.
    PromptPath(PathPurpose),

    /// An undoable mapping edit.
    Edit(Edit),

    /// Undo the last mapping edit.
    Undo,

    /// Redo the last undone edit.
    Redo,

    /// New plain settings (advertiser id, cookie, phone country, diacritics). Test mode is not
    /// changed by this command.
    Settings(Settings),

    /// Ask before switching to live sending.
    RequestLive,

    /// Switch to live sending; only the confirmation dialog sends this.
    ConfirmLive,

    /// Back to test mode (no question asked).
    TestMode,

    /// Ask before switching presets.
    RequestPreset(String),

    /// Use another clock for the time checks.
    SetClock(Clock),

    /// Select an event by position.
    SelectEvent(usize),

    /// Select and scroll to a mapping row of the selected event.
    SelectField(String),

    /// Run the hash checker on the inputs in its window.
    CheckHash,

    /// Send the events to Pinterest (test or live as the settings say).
    Send,

    /// Copy the requests a send would make as curl commands (token as a variable).
    CopyCurl,

    /// Stop a background task.
    Cancel(&'static str),
}

/// The keyboard shortcuts, most specific first (extra Shift is ignored when matching).
pub const SHORTCUTS: &[(KeyboardShortcut, Command)] = &[
    (
        KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z),
        Command::Redo,
    ),
    (
        KeyboardShortcut::new(Modifiers::COMMAND, Key::Y),
        Command::Redo,
    ),
    (
        KeyboardShortcut::new(Modifiers::COMMAND, Key::Z),
        Command::Undo,
    ),
    (
        KeyboardShortcut::new(Modifiers::COMMAND, Key::O),
        Command::OpenEventsDialog,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_are_unique_and_most_specific_first() {
        for (i, (a, _)) in SHORTCUTS.iter().enumerate() {
            for (b, _) in SHORTCUTS.iter().skip(i + 1) {
                assert_ne!(a, b, "duplicate shortcut");
                // A later shortcut must not be a strict superset of an earlier one's modifiers
                // on the same key, or the earlier one would swallow it.
                if a.logical_key == b.logical_key {
                    assert!(
                        !b.modifiers.contains(a.modifiers) || a.modifiers == b.modifiers,
                        "{b:?} would never fire after {a:?}"
                    );
                }
            }
        }
    }
}
