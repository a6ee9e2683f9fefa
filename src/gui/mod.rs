//! The desktop GUI (eframe/egui) over [`crate::core`].
//!
//! [`app::App`] holds the state and runs the frame loop; [`ui`] draws panels and windows and
//! only pushes [`command::Command`]s; [`session::Session`] is the document (events, mapping
//! with undo, inspections); [`work`] runs long jobs on named threads. Nothing here maps,
//! normalizes or hashes: every result comes from the core, exactly as the CLI prints it.

pub mod app;
pub mod command;
pub mod json_view;
pub mod samples;
pub mod sending;
pub mod session;
pub mod state;
pub mod theme;
mod ui;
pub mod view;
pub mod work;

pub use app::{App, StartOptions};

/// The app id: the window class, and the folder of the persisted state.
pub const APP_ID: &str = "pinspect";

/// Why the window could not open.
#[derive(Debug, thiserror::Error)]
pub enum GuiError {
    /// No X11 or Wayland display to open a window on.
    #[error(
        "no display is available (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window cannot open; use the command line instead, e.g. pinspect check FILE"
    )]
    NoDisplay,

    /// Neither renderer could start.
    #[error(
        "the window could not start ({err}); without a working graphics driver use the command line instead, e.g. pinspect check FILE"
    )]
    Start {
        /// The last renderer's error.
        err: String,
    },
}

/// Opens the window and runs until it is closed.
pub fn run(options: &StartOptions) -> Result<(), GuiError> {
    if !has_display() {
        return Err(GuiError::NoDisplay);
    }

    // wgpu first (eframe's default); glow (OpenGL) when wgpu finds no adapter, which is what
    // happens on machines without a GPU or Vulkan driver. PINSPECT_RENDERER forces one.
    let forced = std::env::var("PINSPECT_RENDERER").ok();
    let renderers: Vec<eframe::Renderer> = match forced.as_deref() {
        Some("glow") => vec![eframe::Renderer::Glow],
        Some("wgpu") => vec![eframe::Renderer::Wgpu],
        _ => vec![eframe::Renderer::Wgpu, eframe::Renderer::Glow],
    };

    let mut last_err = String::new();
    for renderer in renderers {
        let native = eframe::NativeOptions {
            renderer,
            viewport: egui::ViewportBuilder::default()
                .with_title("pinspect")
                .with_app_id(APP_ID)
                .with_inner_size([1400.0, 880.0])
                .with_min_inner_size([900.0, 560.0])
                .with_drag_and_drop(true),
            ..eframe::NativeOptions::default()
        };
        let start = StartOptions {
            native_dialogs: true,
            token_from_env: true,
            ..options.clone()
        };
        let result = eframe::run_native(
            APP_ID,
            native,
            Box::new(move |cc| Ok(Box::new(App::new(cc, start)))),
        );
        match result {
            Ok(()) => return Ok(()),
            Err(err) => {
                log::warn!("the {renderer:?} renderer could not start: {err}");
                last_err = err.to_string();
            }
        }
    }
    Err(GuiError::Start { err: last_err })
}

/// Whether a window can be opened at all (Linux and BSD need an X11 or Wayland display).
fn has_display() -> bool {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()))
}
