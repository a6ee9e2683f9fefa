//! The document the window shows: the loaded events, the mapping being edited with its undo
//! history, and the inspections the core computed for them.
//!
//! Nothing here draws. Every change of events or mapping bumps a generation number; the
//! inspections are recomputed for the whole list at once (synchronously for small inputs, on
//! a background task for big ones) and accepted only if they belong to the current generation,
//! so a stale result can never be shown against newer edits.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::core::diagnostics::Code;
use crate::core::event::{Origin, SourceEvent};
use crate::core::inspect::{Inspection, inspect, inspect_all_with};
use crate::core::mapping::{FieldOverride, Mapping};
use crate::core::path::collect_paths;
use crate::core::report::Summary;
use crate::core::settings::UnmappedEvents;

/// Inputs up to this many events are inspected on the UI thread (fast, and deterministic in
/// tests); bigger ones on a background task with progress and cancel.
pub const SYNC_LIMIT: usize = 3_000;

/// How many events the source-path picker looks at for paths and example values.
const PATH_SAMPLE_EVENTS: usize = 5_000;

/// How many distinct paths the picker lists at most.
const PATH_LIMIT: usize = 2_000;

/// How many undo steps are kept.
const HISTORY_LIMIT: usize = 200;

/// The clock the time checks use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// The system clock, read at each recomputation.
    Now,

    /// A fixed instant in Unix seconds (like the CLI's `--now`), to inspect old exports.
    Fixed(i64),
}

impl Clock {
    /// The instant to check against.
    pub fn now(self) -> i64 {
        match self {
            Self::Now => jiff::Timestamp::now().as_second(),
            Self::Fixed(seconds) => seconds,
        }
    }
}

/// One file (or paste, or sample set) that was loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadedSource {
    /// The file path or label.
    pub name: String,

    /// How many records it gave.
    pub num_events: usize,
}

/// A change to the mapping that can be undone.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Override one field.
    Field {
        /// Canonical Pinterest field path.
        field: String,
        /// The new rule.
        over: FieldOverride,
    },

    /// Back to the preset for one field.
    ResetField(String),

    /// Back to the preset for every field.
    ResetAllFields,

    /// Map a source event name to a Pinterest name, or back to the preset (`None`).
    EventName {
        /// The source `event_name`.
        source: String,
        /// The Pinterest event name, or `None` to remove the override.
        target: Option<String>,
    },

    /// What happens to event names no table maps.
    Unmapped(UnmappedEvents),

    /// Switch the preset, keeping the overrides.
    Preset(String),

    /// Replace everything, e.g. with an imported config. Test mode is kept as it is.
    Replace(Mapping),
}

impl Edit {
    /// Whether undoing this edit also restores the settings it replaced.
    fn restores_settings(&self) -> bool {
        matches!(self, Self::Replace(_))
    }

    fn apply(self, mapping: &mut Mapping) {
        match self {
            Self::Field { field, over } => mapping.set_override(&field, over),
            Self::ResetField(field) => mapping.reset_field(&field),
            Self::ResetAllFields => mapping.fields.clear(),
            Self::EventName {
                source,
                target: Some(target),
            } => {
                mapping.event_names.insert(source, target);
            }
            Self::EventName {
                source,
                target: None,
            } => {
                mapping.event_names.remove(&source);
            }
            Self::Unmapped(unmapped) => mapping.settings.unmapped_events = unmapped,
            Self::Preset(preset) => mapping.preset = preset,
            Self::Replace(mut replacement) => {
                replacement.settings.send_as_test_request = mapping.settings.send_as_test_request;
                *mapping = replacement;
            }
        }
    }
}

/// A mapping as it was before an edit.
#[derive(Clone, Debug)]
struct Snapshot {
    mapping: Mapping,
    restores_settings: bool,
}

/// Undo and redo stacks of mapping snapshots.
#[derive(Debug, Default)]
struct History {
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
}

/// Work to recompute the inspections, runnable on any thread.
pub struct InspectionJob {
    /// The events.
    pub events: Arc<Vec<SourceEvent>>,

    /// The mapping.
    pub mapping: Mapping,

    /// The clock.
    pub now: i64,

    /// The generation the result belongs to.
    pub generation: u64,

    /// Keep every event's trace; big inputs leave them out and trace the selected event on
    /// demand (traces are most of the memory).
    pub with_traces: bool,
}

/// The result of an [`InspectionJob`].
#[derive(Debug)]
pub struct Inspected {
    generation: u64,
    inspections: Vec<Inspection>,
    mapping: Mapping,
    now: i64,
    with_traces: bool,
}

impl InspectionJob {
    /// Runs the core over every event; `None` when `keep_going` asked to stop.
    pub fn run(&self, keep_going: &(dyn Fn(usize) -> bool + Sync)) -> Option<Inspected> {
        let inspections = inspect_all_with(
            &self.events,
            &self.mapping,
            self.now,
            self.with_traces,
            keep_going,
        )?;
        Some(Inspected {
            generation: self.generation,
            inspections,
            mapping: self.mapping.clone(),
            now: self.now,
            with_traces: self.with_traces,
        })
    }
}

/// Totals over a set of inspections, for the status bar.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Events, sendable events, errors and warnings.
    pub summary: Summary,

    /// Events with a payload (sendable or not).
    pub with_payload: usize,

    /// Events whose time is more than 7 days before the clock.
    pub too_old: usize,

    /// The latest `event_time` among the payloads.
    pub newest_event_time: Option<i64>,
}

impl Stats {
    fn of(inspections: &[Inspection]) -> Self {
        Self {
            summary: Summary::of(inspections),
            with_payload: inspections.iter().filter(|i| i.payload.is_some()).count(),
            too_old: inspections
                .iter()
                .filter(|i| {
                    i.diagnostics
                        .iter()
                        .any(|d| d.code == Code::EventTimeTooOld)
                })
                .count(),
            newest_event_time: inspections
                .iter()
                .filter_map(|i| i.payload.as_ref()?.get("event_time")?.as_i64())
                .max(),
        }
    }
}

/// The loaded events, the mapping and the inspections.
pub struct Session {
    events: Arc<Vec<SourceEvent>>,
    sources: Vec<LoadedSource>,
    mapping: Mapping,
    history: History,

    /// Clock for the time checks.
    pub clock: Clock,

    /// Bumped by every change of events, mapping or clock.
    generation: u64,

    /// Inspections, aligned with `events` when `inspected == generation`.
    inspections: Arc<Vec<Inspection>>,
    inspected: u64,

    /// The mapping and clock the inspections were computed with, and whether they carry
    /// their traces.
    inspected_mapping: Mapping,
    inspected_now: i64,
    traced: bool,

    /// The selected event with its trace, when the inspections have none.
    detail: Option<Inspection>,

    /// Totals over the inspections, computed once per result.
    stats: Stats,

    paths: BTreeMap<String, String>,
    event_names: BTreeMap<String, usize>,

    /// Changes only when loaded events are removed: positions then name other events, so an
    /// answer recorded under an older value must not be shown on the events of today.
    /// Appending keeps every position, and so the value.
    events_epoch: u64,
}

impl Session {
    /// An empty session with this mapping.
    pub fn new(mapping: Mapping, clock: Clock) -> Self {
        Self {
            events: Arc::new(Vec::new()),
            sources: Vec::new(),
            mapping,
            history: History::default(),
            clock,
            generation: 1,
            inspections: Arc::new(Vec::new()),
            inspected: 1,
            inspected_mapping: Mapping::default(),
            inspected_now: 0,
            traced: true,
            detail: None,
            stats: Stats::default(),
            paths: BTreeMap::new(),
            event_names: BTreeMap::new(),
            events_epoch: 1,
        }
    }

    /// See the field: which set of loaded events positions refer to.
    pub fn events_epoch(&self) -> u64 {
        self.events_epoch
    }

    /// The events, in load order.
    pub fn events(&self) -> &[SourceEvent] {
        &self.events
    }

    /// What was loaded, file by file.
    pub fn sources(&self) -> &[LoadedSource] {
        &self.sources
    }

    /// The mapping.
    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    /// The mapping, for settings edits that are not undoable (advertiser id, cookie name,
    /// phone country, …); call [`Self::settings_changed`] afterwards.
    pub fn mapping_mut(&mut self) -> &mut Mapping {
        &mut self.mapping
    }

    /// The inspections; possibly from an earlier generation while a recomputation runs (see
    /// [`Self::is_current`]), so index them with `get`.
    pub fn inspections(&self) -> &[Inspection] {
        &self.inspections
    }

    /// The inspection of event `position`, if computed.
    pub fn inspection(&self, position: usize) -> Option<&Inspection> {
        self.inspections.get(position)
    }

    /// Whether the inspections match the current events and mapping.
    pub fn is_current(&self) -> bool {
        self.inspected == self.generation
    }

    /// The generation the inspections were computed for.
    pub fn inspected_generation(&self) -> u64 {
        self.inspected
    }

    /// The generation number, which changes whenever what is shown must change.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Source paths seen in the events, with an example value each.
    pub fn paths(&self) -> &BTreeMap<String, String> {
        &self.paths
    }

    /// Source event names seen, with how many events carry each.
    pub fn event_names(&self) -> &BTreeMap<String, usize> {
        &self.event_names
    }

    /// Appends the events of one input, renumbering their positions after those loaded.
    pub fn append(&mut self, name: impl Into<String>, events: Vec<SourceEvent>) {
        let num_events = events.len();
        let all = Arc::make_mut(&mut self.events);
        all.reserve(num_events);
        for event in events {
            let position = all.len();
            all.push(SourceEvent {
                origin: Origin {
                    position,
                    ..event.origin
                },
                ..event
            });
        }
        self.sources.push(LoadedSource {
            name: name.into(),
            num_events,
        });
        self.events_changed();
    }

    /// Removes every event.
    pub fn clear_events(&mut self) {
        self.events = Arc::new(Vec::new());
        self.sources.clear();
        self.events_epoch += 1;
        self.events_changed();
    }

    fn events_changed(&mut self) {
        self.paths = collect_paths(
            self.events
                .iter()
                .take(PATH_SAMPLE_EVENTS)
                .map(|event| &event.body),
            PATH_LIMIT,
        );
        self.event_names.clear();
        for event in self.events.iter() {
            if let Some(name) = event.event_name() {
                *self.event_names.entry(name.to_owned()).or_default() += 1;
            }
        }
        self.generation += 1;
    }

    /// Applies an undoable edit; returns whether anything changed.
    pub fn edit(&mut self, edit: Edit) -> bool {
        let before = self.mapping.clone();
        let restores_settings = edit.restores_settings();
        edit.apply(&mut self.mapping);
        if self.mapping == before {
            return false;
        }
        self.history.undo.push(Snapshot {
            mapping: before,
            restores_settings,
        });
        if self.history.undo.len() > HISTORY_LIMIT {
            self.history.undo.remove(0);
        }
        self.history.redo.clear();
        self.generation += 1;
        true
    }

    /// Records a change of the plain settings (not undoable).
    pub fn settings_changed(&mut self) {
        self.generation += 1;
    }

    /// Sets the clock.
    pub fn set_clock(&mut self, clock: Clock) {
        if self.clock != clock {
            self.clock = clock;
            self.generation += 1;
        }
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.history.undo.is_empty()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.history.redo.is_empty()
    }

    /// Goes back one edit; returns whether there was one.
    pub fn undo(&mut self) -> bool {
        let Some(snapshot) = self.history.undo.pop() else {
            return false;
        };
        let current = self.restore(&snapshot);
        self.history.redo.push(current);
        true
    }

    /// Goes forward one undone edit; returns whether there was one.
    pub fn redo(&mut self) -> bool {
        let Some(snapshot) = self.history.redo.pop() else {
            return false;
        };
        let current = self.restore(&snapshot);
        self.history.undo.push(current);
        true
    }

    /// Puts a snapshot in place and returns the mapping it replaced, as a snapshot. Plain
    /// settings stay as they are unless the snapshot was taken before a whole replacement;
    /// test mode always stays as it is, so undo can never switch live sending on.
    fn restore(&mut self, snapshot: &Snapshot) -> Snapshot {
        let mut restored = snapshot.mapping.clone();
        if !snapshot.restores_settings {
            let unmapped = restored.settings.unmapped_events;
            restored.settings = self.mapping.settings.clone();
            restored.settings.unmapped_events = unmapped;
        }
        restored.settings.send_as_test_request = self.mapping.settings.send_as_test_request;

        let replaced = std::mem::replace(&mut self.mapping, restored);
        self.generation += 1;
        Snapshot {
            mapping: replaced,
            restores_settings: snapshot.restores_settings,
        }
    }

    /// The work that brings the inspections up to date, or `None` when they are.
    pub fn job(&self) -> Option<InspectionJob> {
        (!self.is_current()).then(|| InspectionJob {
            events: Arc::clone(&self.events),
            mapping: self.mapping.clone(),
            now: self.clock.now(),
            generation: self.generation,
            with_traces: self.events.len() <= SYNC_LIMIT,
        })
    }

    /// Takes the result of a job; ignored when the session changed since the job started.
    pub fn accept(&mut self, result: Inspected) -> bool {
        if result.generation != self.generation || result.inspections.len() != self.events.len() {
            return false;
        }
        self.inspections = Arc::new(result.inspections);
        self.inspected = result.generation;
        self.inspected_mapping = result.mapping;
        self.inspected_now = result.now;
        self.traced = result.with_traces;
        self.detail = None;
        self.stats = Stats::of(&self.inspections);
        true
    }

    /// Totals over the current inspections.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Recomputes on this thread when the input is small; returns the job to run in the
    /// background otherwise.
    pub fn refresh(&mut self) -> Option<InspectionJob> {
        let job = self.job()?;
        if job.events.len() > SYNC_LIMIT {
            return Some(job);
        }
        if let Some(result) = job.run(&|_| true) {
            self.accept(result);
        }
        None
    }

    /// Makes sure the event at `position` has its full inspection (with trace) ready for
    /// [`Self::full_inspection`]: big inputs are inspected without traces, so the selected
    /// event is inspected again, with the same mapping and clock, keeping the findings that
    /// need the other events (duplicate ids) from the list.
    pub fn prepare_detail(&mut self, position: Option<usize>) {
        let Some(position) = position.filter(|_| !self.traced) else {
            self.detail = None;
            return;
        };
        if self.detail.as_ref().is_some_and(|d| d.index == position) {
            return;
        }
        let (Some(event), Some(listed)) =
            (self.events.get(position), self.inspections.get(position))
        else {
            self.detail = None;
            return;
        };
        let mut full = inspect(event, position, &self.inspected_mapping, self.inspected_now);
        full.diagnostics.clone_from(&listed.diagnostics);
        self.detail = Some(full);
    }

    /// The inspection of event `position` with its trace, if ready.
    pub fn full_inspection(&self, position: usize) -> Option<&Inspection> {
        if self.traced {
            self.inspections.get(position)
        } else {
            self.detail.as_ref().filter(|d| d.index == position)
        }
    }

    /// Positions of the events that match `filter` (index, source or Pinterest event name,
    /// diagnostic code; case-insensitive) and, if `only_errors`, have an error.
    pub fn filter(
        &self,
        filter: &str,
        only_errors: bool,
        answers: Option<&crate::core::send::SendOutcome>,
    ) -> Vec<usize> {
        let needle = filter.trim().to_lowercase();
        // Pinterest's answer matches by its word (`failed`, `not sent`) or its message, so
        // the events it refused can be found after a send.
        let answer_matches = |position: usize| {
            answers
                .and_then(|outcome| outcome.event(position))
                .is_some_and(|answer| {
                    let word = answer.result.as_str();
                    word == needle
                        || word.replace('_', " ") == needle
                        || [&answer.error_message, &answer.warning_message]
                            .into_iter()
                            .flatten()
                            .any(|message| message.to_lowercase().contains(&needle))
                })
        };
        let number = needle.trim_start_matches('#').parse::<usize>().ok();
        (0..self.events.len())
            .filter(|&position| {
                let inspection = self.inspections.get(position);
                if only_errors && !inspection.is_some_and(Inspection::has_errors) {
                    return false;
                }
                if needle.is_empty() || number == Some(position) {
                    return true;
                }
                let Some(inspection) = inspection else {
                    return false;
                };
                let contains = |text: &str| text.to_lowercase().contains(&needle);
                inspection
                    .source_event_name
                    .as_deref()
                    .is_some_and(contains)
                    || inspection.event_name.as_deref().is_some_and(contains)
                    || inspection
                        .diagnostics
                        .iter()
                        .any(|d| d.code.as_str().contains(&needle))
                    || answer_matches(position)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::core::preset::Source;

    fn session_with(events: Vec<Value>) -> Session {
        let mut session = Session::new(Mapping::default(), Clock::Fixed(1_796_126_400));
        let events = events
            .into_iter()
            .enumerate()
            .map(|(i, body)| SourceEvent::new("test", i, body))
            .collect();
        session.append("test", events);
        assert!(session.refresh().is_none());
        session
    }

    #[test]
    fn edits_recompute_and_undo_restores() {
        let mut session = session_with(vec![
            json!({"event_name": "newsletter_optin"}),
            json!({"event_name": "page_view"}),
        ]);
        assert_eq!(
            session.inspections()[0].event_name.as_deref(),
            Some("custom")
        );

        assert!(session.edit(Edit::EventName {
            source: "newsletter_optin".to_owned(),
            target: Some("lead".to_owned()),
        }));
        assert!(!session.is_current());
        assert!(session.refresh().is_none());
        assert_eq!(session.inspections()[0].event_name.as_deref(), Some("lead"));

        assert!(session.undo());
        session.refresh();
        assert_eq!(
            session.inspections()[0].event_name.as_deref(),
            Some("custom")
        );

        assert!(session.redo());
        session.refresh();
        assert_eq!(session.inspections()[0].event_name.as_deref(), Some("lead"));
    }

    #[test]
    fn an_edit_that_changes_nothing_is_not_recorded() {
        let mut session = session_with(vec![json!({"event_name": "page_view"})]);
        assert!(!session.edit(Edit::ResetAllFields));
        assert!(!session.can_undo());
    }

    #[test]
    fn undo_keeps_plain_settings_and_test_mode() {
        let mut session = session_with(vec![json!({"event_name": "page_view"})]);
        session.edit(Edit::Field {
            field: "user_data.em".to_owned(),
            over: FieldOverride::Sources(vec![Source::parse("user.mail").unwrap()]),
        });
        session.mapping_mut().settings.advertiser_id = "123".to_owned();
        session.mapping_mut().settings.send_as_test_request = false;
        session.settings_changed();

        session.undo();
        assert!(session.mapping().fields.is_empty());
        assert_eq!(session.mapping().settings.advertiser_id, "123");
        assert!(!session.mapping().settings.send_as_test_request);
    }

    #[test]
    fn a_replaced_mapping_never_switches_test_mode_off() {
        let mut session = session_with(vec![json!({"event_name": "page_view"})]);
        let mut imported = Mapping::default();
        imported.settings.send_as_test_request = false;
        imported.settings.advertiser_id = "549755885175".to_owned();
        session.edit(Edit::Replace(imported));
        assert!(session.mapping().settings.send_as_test_request);
        assert_eq!(session.mapping().settings.advertiser_id, "549755885175");

        session.undo();
        assert_eq!(session.mapping().settings.advertiser_id, "");
    }

    #[test]
    fn stale_results_are_refused() {
        let mut session = session_with(vec![json!({"event_name": "page_view"})]);
        session.edit(Edit::Unmapped(UnmappedEvents::Skip));
        let job = session.job().unwrap();
        session.edit(Edit::Unmapped(UnmappedEvents::Custom));
        let result = job.run(&|_| true).unwrap();
        assert!(!session.accept(result));
        assert!(!session.is_current());
    }

    #[test]
    fn appending_renumbers_and_counts_names() {
        let mut session = session_with(vec![json!({"event_name": "page_view"})]);
        session.append(
            "more",
            vec![SourceEvent::new(
                "more",
                0,
                json!({"event_name": "page_view"}),
            )],
        );
        assert_eq!(session.events()[1].origin.position, 1);
        assert_eq!(session.event_names().get("page_view"), Some(&2));
        assert_eq!(session.sources().len(), 2);
    }

    #[test]
    fn filter_matches_names_codes_and_indexes() {
        let session = session_with(vec![
            json!({"event_name": "page_view"}),
            json!({"event_name": "purchase"}),
            json!({"event_name": "newsletter_optin"}),
        ]);
        assert_eq!(session.filter("", false, None), [0, 1, 2]);
        assert_eq!(session.filter("CHECKOUT", false, None), [1]);
        assert_eq!(session.filter("#2", false, None), [2]);
        assert_eq!(session.filter("event_name.unmapped", false, None), [2]);
        // Every sample here lacks an event_id, so every one has an error.
        assert_eq!(session.filter("", true, None), [0, 1, 2]);
    }
}
