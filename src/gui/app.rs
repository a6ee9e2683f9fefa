//! The app: its state, the frame loop, and the execution of the commands the UI pushed.
//!
//! Each frame: take finished background results, read dropped files and shortcuts, draw, run
//! the commands, then bring the inspections up to date (on this thread for small inputs, on a
//! background task for big ones).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::core::config::{parse_config, write_config};
use crate::core::diagnostics::Severity;
use crate::core::event::{LoadError, SourceEvent, load_file, parse_bytes};
use crate::core::hashcheck;
use crate::core::normalize::Options as NormalizeOptions;
use crate::core::report::plural;
use crate::core::send::AccessToken;
use crate::core::settings::Settings;

use super::command::{Command, Confirm, PathPurpose, SHORTCUTS};
use super::samples::{SAMPLE_NAME, sample_events};
use super::sending::{LastSend, SendState, TASK_SEND};
use super::session::{Clock, Edit, Inspected, Session};
use super::state::{self, AppState, STATE_KEY};
use super::ui;
use super::view::{Notice, OverrideDraft, PathPrompt, View};
use super::work::Tasks;

/// Files bigger than this are read and parsed on a background task.
const BACKGROUND_BYTES: u64 = 4 * 1024 * 1024;

/// A file dialog that answers faster than this with no path did not really open.
const DIALOG_MIN_DURATION: Duration = Duration::from_millis(400);

/// Info messages disappear after this many seconds; warnings and errors stay until dismissed.
const INFO_SECONDS: f64 = 8.0;

/// Background task names.
pub const TASK_LOAD: &str = "load";

/// Background task that recomputes the inspections.
pub const TASK_INSPECT: &str = "inspect";

/// How the app starts.
#[derive(Clone, Debug, Default)]
pub struct StartOptions {
    /// Event files to load.
    pub files: Vec<PathBuf>,

    /// A mapping config to import.
    pub config: Option<PathBuf>,

    /// Load the sample events.
    pub samples: bool,

    /// Select this event once loaded (else the first event with a warning).
    pub select: Option<usize>,

    /// A fixed clock (Unix seconds) instead of the system clock.
    pub now: Option<i64>,

    /// Use native file dialogs; off in tests, where a path prompt opens instead.
    pub native_dialogs: bool,

    /// Pre-fill the access token from `PINTEREST_ACCESS_TOKEN`.
    pub token_from_env: bool,

    /// The API base for sending (tests point it at a mock server); `None`: the
    /// `PINSPECT_API_BASE` variable or Pinterest's.
    pub api_base: Option<String>,
}

/// What background tasks return.
#[derive(Debug)]
pub enum TaskOutput {
    /// An events file was read.
    Loaded {
        /// The file.
        path: PathBuf,
        /// Its events, or why it could not be read.
        result: Result<Vec<SourceEvent>, String>,
    },

    /// Inspections for a generation.
    Inspected(Inspected),

    /// A send finished (or was stopped after some requests).
    Sent(Box<LastSend>),

    /// The user cancelled.
    Cancelled,
}

/// The pinspect window.
pub struct App {
    /// What is persisted.
    pub(super) state: AppState,

    /// Events, mapping, inspections.
    pub(super) session: Session,

    /// Transient UI state.
    pub(super) view: View,

    /// Background work.
    pub(super) tasks: Tasks<TaskOutput>,

    /// Commands pushed by the UI this frame.
    pub(super) commands: Vec<Command>,

    /// The send panel (token in memory only).
    pub(super) send: SendState,

    native_dialogs: bool,
    select_on_load: Option<usize>,
    has_selected_once: bool,
}

/// How the live-mode notice starts; switching back to test mode takes it away.
const LIVE_NOTICE: &str = "Live mode:";

impl App {
    /// Builds the app; reads the persisted state from `cc.storage` when there is one.
    pub fn new(cc: &eframe::CreationContext<'_>, options: StartOptions) -> Self {
        let stored = cc.storage.and_then(|storage| storage.get_string(STATE_KEY));
        let restored = state::restore(stored.as_deref());
        cc.egui_ctx.set_fonts(super::theme::font_definitions());
        super::theme::legible_visuals(&cc.egui_ctx);
        let clock = options.now.map_or(Clock::Now, Clock::Fixed);

        let mut app = Self {
            state: restored.state,
            session: Session::new(restored.mapping, clock),
            view: View::default(),
            tasks: Tasks::default(),
            commands: Vec::new(),
            send: SendState {
                api_base: options.api_base.clone(),
                token: if options.token_from_env {
                    AccessToken::from_env()
                        .map(|token| token.expose().to_owned())
                        .unwrap_or_default()
                } else {
                    String::new()
                },
                ..SendState::default()
            },
            native_dialogs: options.native_dialogs,
            select_on_load: options.select,
            has_selected_once: false,
        };
        app.sync_typed_settings();
        if let Some(now) = options.now {
            app.view.clock_text = now.to_string();
        }
        for problem in restored.problems {
            app.notify(&cc.egui_ctx, Severity::Warning, problem);
        }

        if let Some(config) = options.config {
            app.commands.push(Command::ImportConfig(config));
        }
        if options.samples {
            app.commands.push(Command::LoadSamples);
        }
        for file in options.files {
            app.commands.push(Command::OpenEvents(file));
        }
        app.run_commands(&cc.egui_ctx);
        app.bring_up_to_date(&cc.egui_ctx);
        app
    }

    /// The session, for tests and the send panel.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The view state (selection, open windows, typed text), for tests.
    pub fn view(&self) -> &super::view::View {
        &self.view
    }

    /// The last send's answers, if any.
    pub fn last_send(&self) -> Option<&LastSend> {
        self.send.last.as_ref()
    }

    /// The text persisted on exit, for tests that check what is (not) stored.
    pub fn persisted_text(&self) -> String {
        state::store(&self.state, self.session.mapping())
    }

    /// The selected event's position.
    pub fn selected(&self) -> Option<usize> {
        self.view.selected
    }

    /// The selected mapping row (field path with item indexes).
    pub fn selected_field(&self) -> Option<&str> {
        self.view.selected_field.as_deref()
    }

    /// The messages currently shown.
    pub fn notices(&self) -> Vec<String> {
        self.view.notices.iter().map(|n| n.text.clone()).collect()
    }

    /// Queues a command as if the UI had pushed it (tests drive the app this way where no
    /// widget can, e.g. a paste or a drop).
    pub fn push(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Waits for background tasks (tests only need this for inputs above the sync limit).
    pub fn wait_for_tasks(&self) {
        self.tasks.wait_all();
    }

    /// Posts a message at the bottom of the window.
    pub(super) fn notify(
        &mut self,
        ctx: &egui::Context,
        severity: Severity,
        text: impl Into<String>,
    ) {
        let text = text.into();
        match severity {
            Severity::Error => log::error!("{text}"),
            Severity::Warning => log::warn!("{text}"),
            Severity::Info => log::info!("{text}"),
        }
        // The same notice again replaces the older copy, so repeats never bury other news.
        self.view.notices.retain(|notice| notice.text != text);
        let posted = ctx.input(|i| i.time);
        self.view.newest_notice_posted = posted;
        self.view.notices.push(Notice {
            severity,
            text,
            posted,
        });
    }

    // ---------------------------------------------------------------------------------------
    // The frame.

    fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.take_finished_tasks(&ctx);
        self.read_input(&ctx);
        self.expire_notices(&ctx);
        self.session.prepare_detail(self.view.selected);

        ui::app_ui(ui, self);

        self.run_commands(&ctx);
        self.bring_up_to_date(&ctx);
        if !self.tasks.statuses().is_empty() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
    }

    fn read_input(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input_mut(|i| std::mem::take(&mut i.raw.dropped_files));
        for file in dropped {
            let path = file.path().to_path_buf();
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let big = std::fs::metadata(&path).is_ok_and(|m| m.len() > BACKGROUND_BYTES);
            if big {
                self.commands.push(Command::OpenEvents(path));
                continue;
            }
            match file.bytes() {
                Ok(bytes) => self.commands.push(Command::LoadBytes { name, bytes }),
                Err(err) => self.notify(
                    ctx,
                    Severity::Error,
                    format!("Could not read the dropped file {name}: {err}"),
                ),
            }
        }

        if ctx.egui_wants_keyboard_input() {
            return;
        }
        for (shortcut, command) in SHORTCUTS {
            if ctx.input_mut(|i| i.consume_shortcut(shortcut)) {
                self.commands.push(command.clone());
                break;
            }
        }
    }

    fn expire_notices(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        self.view
            .notices
            .retain(|n| n.severity != Severity::Info || now - n.posted < INFO_SECONDS);
        if let Some(oldest_info) = self
            .view
            .notices
            .iter()
            .filter(|n| n.severity == Severity::Info)
            .map(|n| n.posted)
            .reduce(f64::min)
        {
            let left = (oldest_info + INFO_SECONDS - now).max(0.1);
            ctx.request_repaint_after(Duration::from_secs_f64(left));
        }
    }

    fn take_finished_tasks(&mut self, ctx: &egui::Context) {
        for (name, result) in self.tasks.take_finished() {
            match result {
                Ok(TaskOutput::Loaded { path, result }) => match result {
                    Ok(events) => {
                        state::remember(&mut self.state.recent_files, &path);
                        self.add_events(ctx, &path.display().to_string(), events);
                    }
                    Err(message) => self.notify(ctx, Severity::Error, message),
                },
                Ok(TaskOutput::Inspected(result)) => {
                    self.view.inspecting_generation = None;
                    self.session.accept(result);
                }
                Ok(TaskOutput::Sent(last)) => self.finish_send(ctx, *last),
                Ok(TaskOutput::Cancelled) => {}
                Err(message) => {
                    if name == TASK_INSPECT {
                        self.view.inspecting_generation = None;
                        self.view.cancelled_generation = Some(self.session.generation());
                    }
                    self.notify(ctx, Severity::Error, message);
                }
            }
        }
    }

    /// Recomputes the inspections if events, mapping or clock changed.
    fn bring_up_to_date(&mut self, ctx: &egui::Context) {
        let generation = self.session.generation();
        if self.session.is_current()
            || self.view.inspecting_generation == Some(generation)
            || self.view.cancelled_generation == Some(generation)
        {
            self.after_inspection();
            return;
        }

        if let Some(job) = self.session.refresh() {
            let total = job.events.len();
            self.view.inspecting_generation = Some(generation);
            self.tasks.spawn(
                ctx,
                TASK_INSPECT,
                format!("Checking {}", plural(total, "event")),
                total,
                move |progress| {
                    let result = job.run(&|done| {
                        if done % 256 == 0 {
                            progress.set(done);
                        }
                        !progress.is_cancelled()
                    });
                    Ok(result.map_or(TaskOutput::Cancelled, TaskOutput::Inspected))
                },
            );
        }
        self.after_inspection();
    }

    /// Selects an event once the first results are in: the one asked for on the command line,
    /// else the first with a warning (the most instructive), else the first.
    fn after_inspection(&mut self) {
        if self.has_selected_once || !self.session.is_current() {
            return;
        }
        let inspections = self.session.inspections();
        if inspections.is_empty() {
            return;
        }
        let chosen = self
            .select_on_load
            .filter(|&i| i < inspections.len())
            .or_else(|| {
                inspections
                    .iter()
                    .position(|i| i.worst() == Some(Severity::Warning) && i.payload.is_some())
            })
            .unwrap_or(0);
        self.has_selected_once = true;
        self.select_event(chosen);
    }

    fn select_event(&mut self, position: usize) {
        if self.view.selected != Some(position) {
            self.view.selected = Some(position);
            self.view.selected_field = None;
            self.view.draft = None;
            self.view.scroll.to_event = true;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Commands.

    /// Runs the queued commands; the frame already drawn is stale afterwards, so another one
    /// is requested.
    fn run_commands(&mut self, ctx: &egui::Context) {
        if !self.commands.is_empty() {
            ctx.request_repaint();
        }
        while !self.commands.is_empty() {
            let commands = std::mem::take(&mut self.commands);
            for command in commands {
                self.run_command(ctx, command);
            }
        }
    }

    /// Executes one command.
    pub(super) fn run_command(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::OpenEventsDialog => {
                if let Some(path) = self.pick(PathPurpose::OpenEvents) {
                    self.open_events(ctx, path);
                }
            }
            Command::OpenEvents(path) => self.open_events(ctx, expand_home(path)),
            Command::LoadBytes { name, bytes } => self.load_bytes(ctx, &name, &bytes),
            Command::LoadPasted(text) => self.load_pasted(ctx, text),
            Command::LoadSamples => self.load_samples(ctx),
            Command::ClearEvents => {
                self.tasks.cancel(TASK_LOAD);
                self.send.last = None;
                self.session.clear_events();
                self.view.selected = None;
                self.view.selected_field = None;
                self.view.draft = None;
            }
            Command::OpenConfigDialog => {
                if let Some(path) = self.pick(PathPurpose::ImportConfig) {
                    self.import_config(ctx, &path);
                }
            }
            Command::ImportConfig(path) => self.import_config(ctx, &expand_home(path)),
            Command::ImportConfigText { name, text } => {
                self.import_config_text(ctx, &name, &text, None);
            }
            Command::SaveConfigDialog { confirmed } => {
                if !confirmed && !self.session.mapping().settings.send_as_test_request {
                    self.view.confirm = Some(Confirm::ExportLive { copy: false });
                } else if let Some(path) = self.pick(PathPurpose::SaveConfig) {
                    self.save_config(ctx, &path);
                }
            }
            Command::SaveConfig(path) => {
                let path = expand_home(path);
                if path.is_file() {
                    self.ask_before_replacing(&path);
                } else {
                    self.save_config(ctx, &path);
                }
            }
            Command::ReplaceConfig(path) => self.save_config(ctx, &expand_home(path)),
            Command::CopyConfig { confirmed } => {
                if !confirmed && !self.session.mapping().settings.send_as_test_request {
                    self.view.confirm = Some(Confirm::ExportLive { copy: true });
                } else {
                    ctx.copy_text(crate::core::config::to_config_text(self.session.mapping()));
                    self.notify(
                        ctx,
                        Severity::Info,
                        "Mapping config copied to the clipboard",
                    );
                }
            }
            Command::CopyText(text) => ctx.copy_text(text),
            Command::PromptPath(purpose) => {
                self.view.path_prompt = Some(PathPrompt::new(purpose, String::new(), None));
            }
            Command::Edit(edit) => {
                self.session.edit(edit);
                self.refresh_draft();
            }
            Command::Undo => {
                if self.session.undo() {
                    self.refresh_draft();
                }
            }
            Command::Redo => {
                if self.session.redo() {
                    self.refresh_draft();
                }
            }
            Command::Settings(settings) => {
                self.set_settings(settings);
                if self.view.hash_checker.result.is_some() {
                    self.check_hash();
                }
            }
            Command::RequestLive => self.view.confirm = Some(Confirm::Live),
            Command::ConfirmLive => {
                self.session.mapping_mut().settings.send_as_test_request = false;
                self.session.settings_changed();
                self.notify(
                    ctx,
                    Severity::Warning,
                    format!("{LIVE_NOTICE} requests go to Pinterest without test=true and count as real conversions"),
                );
            }
            Command::TestMode => {
                self.session.mapping_mut().settings.send_as_test_request = true;
                self.session.settings_changed();
                self.view
                    .notices
                    .retain(|notice| !notice.text.starts_with(LIVE_NOTICE));
            }
            Command::RequestPreset(name) => {
                self.view.preset_preview = Some(super::ui::preset_preview(&self.session, &name));
                self.view.confirm = Some(Confirm::Preset(name));
            }
            Command::SetClock(clock) => self.session.set_clock(clock),
            Command::SelectEvent(position) => self.select_event(position),
            Command::SelectField(field) => {
                self.view.draft = Some(OverrideDraft::for_field(&field, self.session.mapping()));
                self.view.selected_field = Some(field);
                self.view.scroll.to_field = true;
            }
            Command::CheckHash => self.check_hash(),
            Command::Send => self.start_send(ctx),
            Command::CopyCurl => self.copy_curl(ctx),
            Command::Cancel(TASK_SEND) => self.tasks.request_stop(TASK_SEND),
            Command::Cancel(name) => {
                self.tasks.cancel(name);
                if name == TASK_INSPECT {
                    self.view.inspecting_generation = None;
                    self.view.cancelled_generation = Some(self.session.generation());
                }
            }
        }
    }

    /// Runs the core's hash checker on the window's inputs, with the mapping's normalization
    /// settings (default phone country, diacritics).
    fn check_hash(&mut self) {
        let checker = &mut self.view.hash_checker;
        if checker.value.trim().is_empty() {
            checker.result = None;
            return;
        }
        let settings = &self.session.mapping().settings;
        let options = NormalizeOptions {
            default_phone_country: settings.default_phone_country.clone(),
            strip_name_diacritics: settings.strip_name_diacritics,
            now: None,
        };
        let expected = Some(checker.expected.trim()).filter(|e| !e.is_empty());
        checker.result = Some(
            hashcheck::check(checker.field, &checker.value, expected, &options)
                .map_err(|err| err.to_string()),
        );
    }

    /// Keeps the override editor and the typed settings in step with the mapping after an
    /// edit, an undo or an import.
    fn refresh_draft(&mut self) {
        if let Some(draft) = &self.view.draft {
            self.view.draft = Some(OverrideDraft::for_field(
                &draft.field.clone(),
                self.session.mapping(),
            ));
        }
        self.sync_typed_settings();
    }

    /// The settings typed as text (checked before they reach the mapping) as the mapping has
    /// them.
    fn sync_typed_settings(&mut self) {
        let settings = &self.session.mapping().settings;
        self.view.phone_country = settings.default_phone_country.clone().unwrap_or_default();
        self.view
            .cookie_name
            .clone_from(&settings.click_id_cookie_name);
        self.view.advertiser_id.clone_from(&settings.advertiser_id);
    }

    fn set_settings(&mut self, settings: Settings) {
        // A "Not sent" about the advertiser id as it was is stale now.
        self.send.problem = None;
        let mapping = self.session.mapping_mut();
        let test_mode = mapping.settings.send_as_test_request;
        let unmapped = mapping.settings.unmapped_events;
        mapping.settings = Settings {
            send_as_test_request: test_mode,
            unmapped_events: unmapped,
            ..settings
        };
        self.session.settings_changed();
    }

    /// Asks for a path with the native dialog; when there is none, says so and opens the path
    /// prompt instead.
    fn pick(&mut self, purpose: PathPurpose) -> Option<PathBuf> {
        if !self.native_dialogs {
            self.view.path_prompt = Some(PathPrompt::new(purpose, String::new(), None));
            return None;
        }

        let started = Instant::now();
        let dialog = match purpose {
            PathPurpose::OpenEvents => rfd::FileDialog::new()
                .set_title("Open events file")
                .add_filter("Events (JSON, NDJSON)", &["json", "ndjson", "jsonl", "txt"])
                .add_filter("All files", &["*"]),
            PathPurpose::ImportConfig => rfd::FileDialog::new()
                .set_title("Open mapping config")
                .add_filter("Mapping config", &["json"])
                .add_filter("All files", &["*"]),
            PathPurpose::SaveConfig => rfd::FileDialog::new()
                .set_title("Save mapping config")
                .set_file_name("pinspect-mapping.json")
                .add_filter("Mapping config", &["json"]),
        };
        let picked = match purpose {
            PathPurpose::SaveConfig => dialog.save_file(),
            PathPurpose::OpenEvents | PathPurpose::ImportConfig => dialog.pick_file(),
        };

        if picked.is_none() && started.elapsed() < DIALOG_MIN_DURATION {
            // Said in the prompt itself, so repeated tries do not fill the message area.
            let note = match purpose {
                PathPurpose::SaveConfig => {
                    "No file dialog is available here: type the path to save to"
                }
                PathPurpose::OpenEvents | PathPurpose::ImportConfig => {
                    "No file dialog is available here: type the file's path, or drop the file on the window"
                }
            };
            log::warn!("no file dialog returned a path");
            self.view.path_prompt = Some(PathPrompt::new(
                purpose,
                String::new(),
                Some(note.to_owned()),
            ));
        }
        picked
    }

    fn open_events(&mut self, ctx: &egui::Context, path: PathBuf) {
        let size = match std::fs::metadata(&path) {
            Ok(metadata) if metadata.is_dir() => {
                self.notify(
                    ctx,
                    Severity::Error,
                    format!("{} is a folder; open an events file", path.display()),
                );
                return;
            }
            Ok(metadata) => metadata.len(),
            Err(err) => {
                let why = match err.kind() {
                    std::io::ErrorKind::NotFound => "there is no such file".to_owned(),
                    std::io::ErrorKind::PermissionDenied => "no permission to read it".to_owned(),
                    _ => err.to_string(),
                };
                let text = format!("Cannot open {}: {why}", path.display());
                // The prompt comes back with the path, to fix rather than retype.
                self.view.path_prompt = Some(PathPrompt::new(
                    PathPurpose::OpenEvents,
                    path.display().to_string(),
                    Some(text.clone()),
                ));
                self.notify(ctx, Severity::Error, text);
                return;
            }
        };
        if size <= BACKGROUND_BYTES {
            let name = path.display().to_string();
            // Read once: the same bytes are told apart (config or events) and parsed.
            let bytes = match std::fs::read(&path) {
                Ok(bytes) => bytes,
                Err(err) => {
                    let source_name = name.clone();
                    self.after_load(ctx, &name, Err(LoadError::Io { source_name, err }));
                    return;
                }
            };
            if let Ok(text) = std::str::from_utf8(&bytes)
                && looks_like_mapping_config(text)
            {
                // Opened with the wrong button: it is a mapping, so import it as one.
                self.notify(
                    ctx,
                    Severity::Info,
                    format!(
                        "{name} is a mapping config, not events; it is imported as the mapping"
                    ),
                );
                self.import_config_text(ctx, &name, text, Some(&path));
                return;
            }
            let result = parse_bytes(&name, &bytes);
            // Only files that loaded are worth offering again.
            if result.is_ok() {
                state::remember(&mut self.state.recent_files, &path);
            }
            self.after_load(ctx, &name, result);
            return;
        }

        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        self.tasks.spawn(
            ctx,
            TASK_LOAD,
            format!("Loading {name}"),
            0,
            move |progress| {
                let result = load_file(&path).map_err(|err| load_error_text(&err));
                if progress.is_cancelled() {
                    return Ok(TaskOutput::Cancelled);
                }
                Ok(TaskOutput::Loaded { path, result })
            },
        );
    }

    fn load_bytes(&mut self, ctx: &egui::Context, name: &str, bytes: &[u8]) {
        if let Ok(text) = std::str::from_utf8(bytes)
            && looks_like_mapping_config(text)
        {
            self.import_config_text(ctx, name, text, None);
            return;
        }
        let result = parse_bytes(name, bytes);
        self.after_load(ctx, name, result);
    }

    fn load_pasted(&mut self, ctx: &egui::Context, text: String) {
        const NAME: &str = "pasted events";
        if looks_like_mapping_config(&text) {
            self.import_config_text(ctx, NAME, &text, None);
            return;
        }
        match parse_bytes(NAME, text.as_bytes()) {
            Ok(events) => self.add_events(ctx, NAME, events),
            Err(err) => {
                self.view.paste = Some(super::view::PasteDraft {
                    text,
                    problem: Some(format!("Not loaded: {err}. Fix it here and load again")),
                });
            }
        }
    }

    fn load_samples(&mut self, ctx: &egui::Context) {
        let now = self.session.clock.now();
        let result = sample_events(now);
        self.after_load(ctx, SAMPLE_NAME, result);
    }

    fn after_load(
        &mut self,
        ctx: &egui::Context,
        name: &str,
        result: Result<Vec<SourceEvent>, LoadError>,
    ) {
        match result {
            Ok(events) => self.add_events(ctx, name, events),
            Err(err) => self.notify(ctx, Severity::Error, load_error_text(&err)),
        }
    }

    fn add_events(&mut self, ctx: &egui::Context, name: &str, events: Vec<SourceEvent>) {
        let broken = events.iter().filter(|e| e.problem.is_some()).count();
        let total = events.len();
        let again = self
            .session
            .sources()
            .iter()
            .any(|source| source.name == name);
        self.session.append(name, events);
        if again {
            // Loading appends; the same file twice doubles every event (and its event ids).
            self.notify(
                ctx,
                Severity::Warning,
                format!(
                    "{name} was loaded already; its events are now in the list twice. Use Clear events first to load it afresh"
                ),
            );
        }
        if broken > 0 {
            self.notify(
                ctx,
                Severity::Warning,
                format!(
                    "{name}: {broken} of {total} records could not be read as events; they are in the list with their problem"
                ),
            );
        } else {
            self.notify(
                ctx,
                Severity::Info,
                format!("Loaded {} from {name}", plural(total, "event")),
            );
        }
    }

    fn import_config(&mut self, ctx: &egui::Context, path: &Path) {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                self.import_config_text(ctx, &path.display().to_string(), &text, Some(path));
            }
            Err(err) => self.notify(
                ctx,
                Severity::Error,
                format!("Cannot read the mapping config {}: {err}", path.display()),
            ),
        }
    }

    /// Imports config text; on any error nothing changes and the error stays on screen.
    fn import_config_text(
        &mut self,
        ctx: &egui::Context,
        name: &str,
        text: &str,
        path: Option<&Path>,
    ) {
        match parse_config(name, text) {
            Ok(mapping) => {
                let asks_live = !mapping.settings.send_as_test_request;
                self.session.edit(Edit::Replace(mapping));
                self.refresh_draft();
                if let Some(path) = path {
                    state::remember(&mut self.state.recent_configs, path);
                }
                self.notify(
                    ctx,
                    Severity::Info,
                    format!("Mapping config {name} imported"),
                );
                if asks_live {
                    self.notify(
                        ctx,
                        Severity::Warning,
                        format!("{name} turns test mode off; pinspect stays in test mode until you switch to live yourself"),
                    );
                }
            }
            Err(err) => self.notify(
                ctx,
                Severity::Error,
                format!("The mapping config was not imported, nothing changed: {err}"),
            ),
        }
    }

    /// A typed path names a file already: the prompt comes back and asks, more firmly when
    /// the file is not a mapping config (an events file typed by mistake).
    fn ask_before_replacing(&mut self, path: &Path) {
        let is_config =
            std::fs::read_to_string(path).is_ok_and(|text| looks_like_mapping_config(&text));
        let note = if is_config {
            format!("{} exists; press Replace to overwrite it", path.display())
        } else {
            format!(
                "{} exists and is not a mapping config; press Replace only if you mean to overwrite it",
                path.display()
            )
        };
        let mut prompt = PathPrompt::new(
            PathPurpose::SaveConfig,
            path.display().to_string(),
            Some(note),
        );
        prompt.replace = true;
        self.view.path_prompt = Some(prompt);
    }

    fn save_config(&mut self, ctx: &egui::Context, path: &Path) {
        match write_config(path, self.session.mapping()) {
            Ok(()) => {
                state::remember(&mut self.state.recent_configs, path);
                self.notify(
                    ctx,
                    Severity::Info,
                    format!("Mapping config saved to {}", path.display()),
                );
            }
            Err(err) => {
                let text = format!(
                    "Could not save the mapping config to {}: {err}",
                    path.display()
                );
                // The prompt comes back with the path typed, to fix rather than retype.
                self.view.path_prompt = Some(PathPrompt::new(
                    PathPurpose::SaveConfig,
                    path.display().to_string(),
                    Some(text.clone()),
                ));
                self.notify(ctx, Severity::Error, text);
            }
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        storage.set_string(STATE_KEY, state::store(&self.state, self.session.mapping()));
    }
}

/// `~/…` as typed in a path prompt, with the home folder put in (the shell would have done
/// it); other paths unchanged.
fn expand_home(path: PathBuf) -> PathBuf {
    match (path.strip_prefix("~"), std::env::var_os("HOME")) {
        (Ok(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => path,
    }
}

/// A load error for the message area: where, and what to do.
fn load_error_text(err: &LoadError) -> String {
    let hint = match err {
        LoadError::Syntax { .. } => " Fix the JSON there, or check that the file holds events.",
        LoadError::NotUtf8 { .. } => {
            " Save the file as UTF-8 text and open it again; a binary file (an image, a .gz \
             archive) is not an events file."
        }
        LoadError::Empty { .. } | LoadError::NotEvents { .. } | LoadError::Io { .. } => "",
    };
    format!("Not loaded: {err}.{hint} Events loaded before are unchanged.")
}

/// Whether dropped text is a mapping config rather than events (even a broken one, so that
/// its errors are reported as config errors).
fn looks_like_mapping_config(text: &str) -> bool {
    text.contains("\"pinspect-mapping/")
}
