//! The mapping engine: one Commanders Act event in, the Pinterest payload, its diagnostics and a
//! trace of every field out.
//!
//! The same function feeds `pinspect map`, `pinspect check`, the GUI and the request sender, so
//! what a user inspects is byte for byte what is sent.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};

use super::checks;
use super::diagnostics::{Code, Diagnostic, Severity};
use super::event::SourceEvent;
use super::fields::{self, FieldKind, FieldSpec};
use super::hashcheck::{self, Variant};
use super::mapping::{EventNameResolution, Mapping, Rule, RuleOrigin, RuleValue};
use super::normalize::{self, Normalized, Step, is_missing};
use super::path::ListProblem;
use super::preset::{Derivation, Source};
use super::schema;
use super::settings::UnmappedEvents;

/// Everything pinspect knows about one event.
#[derive(Clone, Debug, PartialEq)]
pub struct Inspection {
    /// Position in the input (across all files).
    pub index: usize,

    /// The source `event_name`, if it is a string.
    pub source_event_name: Option<String>,

    /// The Pinterest event name, if the event is mapped.
    pub event_name: Option<String>,

    /// The Pinterest event as `map` emits it; `None` when the event is skipped or unreadable.
    pub payload: Option<Value>,

    /// Every finding, in field order.
    pub diagnostics: Vec<Diagnostic>,

    /// How each field was filled.
    pub trace: Vec<TraceEntry>,
}

impl Inspection {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Whether the event would be sent by default: it has a payload and no error.
    pub fn is_sendable(&self) -> bool {
        self.payload.is_some() && !self.has_errors()
    }

    /// The worst severity among the diagnostics.
    pub fn worst(&self) -> Option<Severity> {
        self.diagnostics.iter().map(|d| d.severity).max()
    }
}

/// How a field's rule was applied to one event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraceEntry {
    /// Pinterest field path, with item indexes: `custom_data.contents[1].quantity`.
    pub field: String,

    /// `preset`, `override`, `constant` or `skipped`.
    pub rule: &'static str,

    /// The source that won, in source-expression form; `None` when nothing was found.
    pub source: Option<String>,

    /// Every source considered, in order.
    pub tried: Vec<String>,

    /// The value found at the winning source.
    pub raw: Option<Value>,

    /// Each normalization rule applied and its result.
    pub steps: Vec<Step>,

    /// The clear value before hashing (hashed fields) or the converted value.
    pub normalized: Option<Value>,

    /// What is in the payload.
    pub sent: Option<Value>,

    /// Hashed fields only: what common mistakes (the `+` kept, no lower-casing, NFD, MD5 …)
    /// would have sent instead, so a user can recognize what their current setup sends; for
    /// a value pinspect drops because it cannot decide (a national phone without a country,
    /// an ambiguous date), what hashing the raw value sends. Empty (and left out of the JSON)
    /// for other fields, for pre-hashed values and digests, and for values with nothing to
    /// hash.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mistakes: Vec<Variant>,
}

/// Inspects every event, with the checks that need several events (duplicate event ids).
pub fn inspect_all(events: &[SourceEvent], mapping: &Mapping, now: i64) -> Vec<Inspection> {
    inspect_all_with(events, mapping, now, true, &|_| true).unwrap_or_default()
}

/// [`inspect_all`] for long inputs: `keep_going(done)` is called after each event with the
/// number of events inspected so far (from any worker thread), and the work stops, returning
/// `None`, as soon as it returns `false` (a user cancelled it). Without `with_traces` every
/// inspection's `trace` is left empty, which saves most of the memory on big inputs (a caller
/// that needs one event's trace inspects that event again). Otherwise the results are
/// identical to [`inspect_all`]'s.
pub fn inspect_all_with(
    events: &[SourceEvent],
    mapping: &Mapping,
    now: i64,
    with_traces: bool,
    keep_going: &(dyn Fn(usize) -> bool + Sync),
) -> Option<Vec<Inspection>> {
    let mut inspections = inspect_each(events, 0, mapping, now, with_traces, keep_going)?;
    checks::duplicate_event_ids(&mut inspections);
    Some(inspections)
}

/// Inspects each event on its own, numbering them from `first_index`, without the checks that
/// need the other events (duplicate event ids: see [`checks::duplicate_event_id_findings`]).
/// A caller that streams a big input inspects it chunk by chunk with this; `keep_going` and
/// `with_traces` work as in [`inspect_all_with`].
pub fn inspect_each(
    events: &[SourceEvent],
    first_index: usize,
    mapping: &Mapping,
    now: i64,
    with_traces: bool,
    keep_going: &(dyn Fn(usize) -> bool + Sync),
) -> Option<Vec<Inspection>> {
    let rules = mapping.rules();
    let done = AtomicUsize::new(0);
    let stopped = AtomicBool::new(false);

    // Events are independent until the cross-event checks, so they are inspected on every
    // core; the indexed collect keeps input order.
    events
        .par_iter()
        .enumerate()
        .map(|(position, event)| {
            if stopped.load(Ordering::Relaxed) {
                return None;
            }
            let inspection = inspect_with_rules(
                event,
                first_index + position,
                mapping,
                &rules,
                now,
                with_traces,
            );
            let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
            if keep_going(finished) {
                Some(inspection)
            } else {
                stopped.store(true, Ordering::Relaxed);
                None
            }
        })
        .collect()
}

/// Inspects one event.
pub fn inspect(event: &SourceEvent, index: usize, mapping: &Mapping, now: i64) -> Inspection {
    inspect_with_rules(event, index, mapping, &mapping.rules(), now, true)
}

fn inspect_with_rules(
    event: &SourceEvent,
    index: usize,
    mapping: &Mapping,
    rules: &[Rule],
    now: i64,
    with_traces: bool,
) -> Inspection {
    let source_event_name = event.event_name().map(str::to_owned);
    let mut inspection = Inspection {
        index,
        source_event_name: source_event_name.clone(),
        event_name: None,
        payload: None,
        diagnostics: Vec::new(),
        trace: Vec::new(),
    };

    if let Some(problem) = &event.problem {
        inspection.diagnostics.push(problem.clone());
        return inspection;
    }

    let mut builder = Builder::new(&event.body, mapping, now, with_traces);
    builder.diagnostics.extend(event.warnings.iter().cloned());
    let Some(event_name) = builder.event_name() else {
        inspection.diagnostics = builder.diagnostics;
        inspection.trace = builder.trace;
        return inspection;
    };

    for rule in rules {
        if rule.spec.is_item_level() {
            continue;
        }
        builder.apply_rule(rule);
    }
    builder.apply_item_rules(rules.iter().filter(|rule| rule.spec.is_item_level()));

    let payload = builder.payload(&event_name);
    checks::event_checks(&payload, &builder.outcomes, &mut builder.diagnostics);

    let schema_findings = schema::check_payload(&payload, &builder.diagnostics);
    builder.diagnostics.extend(schema_findings);

    inspection.event_name = Some(event_name);
    inspection.payload = Some(payload);
    inspection.diagnostics = builder.diagnostics;
    inspection.trace = builder.trace;
    inspection
}

/// What happened to one field, for the checks that explain missing identity fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldOutcome {
    /// Sources considered.
    pub tried: Vec<String>,

    /// The winning source.
    pub source: Option<String>,

    /// Whether a value was sent.
    pub sent: bool,

    /// Whether the field was skipped by an override.
    pub skipped: bool,
}

struct Builder<'a> {
    event: &'a Value,
    mapping: &'a Mapping,
    options: normalize::Options,
    now: i64,
    values: Vec<(String, Value)>,
    diagnostics: Vec<Diagnostic>,
    trace: Vec<TraceEntry>,
    outcomes: BTreeMap<String, FieldOutcome>,

    /// Whether to keep the trace. Without it the common-mistake hashes, most of the cost of a
    /// hashed field, are not worked out either.
    tracing: bool,

    /// The lists (`items`) already checked for their shape, so each problem is said once.
    checked_lists: Vec<String>,
}

/// A source value that won.
struct Found {
    source: String,
    value: Value,
    from_sha256: bool,
}

/// A converted value.
struct Converted {
    mistakes: Vec<Variant>,
    sent: Option<Value>,
    normalized: Option<Value>,
    steps: Vec<Step>,
    findings: Vec<normalize::Finding>,
}

impl<'a> Builder<'a> {
    /// Keeps a trace entry, when tracing.
    fn push_trace(&mut self, entry: TraceEntry) {
        if self.tracing {
            self.trace.push(entry);
        }
    }

    fn new(event: &'a Value, mapping: &'a Mapping, now: i64, tracing: bool) -> Self {
        Self {
            tracing,
            event,
            mapping,
            options: normalize::Options {
                default_phone_country: mapping.settings.default_phone_country.clone(),
                strip_name_diacritics: mapping.settings.strip_name_diacritics,
                now: Some(now),
            },
            now,
            values: Vec::new(),
            diagnostics: Vec::new(),
            trace: Vec::new(),
            outcomes: BTreeMap::new(),
            checked_lists: Vec::new(),
        }
    }

    /// Says once per list when a `[*]` source's list is not a list, or holds entries that are
    /// not objects: otherwise content ids and contents go missing without a word.
    fn check_lists(&mut self, sources: &[Source], field: &str) {
        for path in sources.iter().filter_map(Source::path) {
            let Some(problem) = path.list_problem(self.event) else {
                continue;
            };
            let (list, diagnostic) = match problem {
                ListProblem::NotList { list, found } => {
                    let message = format!(
                        "{list} holds {found}, not a list of items, so {field} gets nothing from {path}. Send the items as a JSON list of objects"
                    );
                    let diagnostic = Diagnostic::new(Code::ItemsNotList, field, message);
                    (list, diagnostic)
                }
                ListProblem::EntriesNotObjects { list, indices } => {
                    let places = checks::listed(
                        indices.iter().map(|i| format!("{list}[{i}]")),
                        indices.len(),
                    );
                    let message = format!(
                        "{places} {} not an object, so {} no id, price or quantity for {field}. Each item should be an object such as {{\"id\": …, \"quantity\": …}}",
                        if indices.len() == 1 { "is" } else { "are" },
                        if indices.len() == 1 {
                            "it has"
                        } else {
                            "they have"
                        }
                    );
                    let diagnostic = Diagnostic::new(Code::ItemsEntryNotObject, field, message);
                    (list, diagnostic)
                }
            };
            if !self.checked_lists.contains(&list) {
                self.checked_lists.push(list);
                self.diagnostics.push(diagnostic);
            }
        }
    }

    /// Resolves the event name; `None` when the event is not sent at all.
    fn event_name(&mut self) -> Option<String> {
        let raw = self.event.get("event_name");
        let source_name = match raw {
            // `"null"`, `"undefined"`: a missing name written as text by a tag.
            Some(value @ Value::String(name)) if !name.trim().is_empty() && !is_missing(value) => {
                name.clone()
            }
            other => {
                let what = match other {
                    None | Some(Value::Null) => "no event_name".to_owned(),
                    Some(Value::String(name)) if !name.trim().is_empty() => {
                        format!("the event_name {name:?}, which stands for no name")
                    }
                    Some(Value::String(_)) => "an empty event_name".to_owned(),
                    Some(value) => format!("event_name {value}, which is not text"),
                };
                self.diagnostics.push(Diagnostic::new(
                    Code::EventNameMissing,
                    "event_name",
                    format!("the event has {what}, so it cannot be mapped to a Pinterest event"),
                ));
                return None;
            }
        };

        let (target, rule, step) = match self.mapping.resolve_event_name(&source_name) {
            EventNameResolution::Override(target) => {
                let step = format!("your event-name override: {source_name} → {target}");
                (target, "override", step)
            }
            EventNameResolution::Preset(target) => {
                let step = format!("preset {}: {source_name} → {target}", self.mapping.preset);
                (target, "preset", step)
            }
            EventNameResolution::Unmapped => {
                let hint = self.unmapped_hint(&source_name);
                match self.mapping.settings.unmapped_events {
                    UnmappedEvents::Custom => {
                        self.diagnostics.push(Diagnostic::new(
                            Code::EventNameUnmapped,
                            "event_name",
                            format!("{source_name:?} is in no event table, so it is sent as custom, which Pinterest does not optimize for{hint}. Add an event-name override to map it"),
                        ));
                        let step = format!("unmapped: {source_name} → custom");
                        ("custom".to_owned(), "preset", step)
                    }
                    UnmappedEvents::Skip => {
                        self.diagnostics.push(Diagnostic::new(
                            Code::EventNameSkipped,
                            "event_name",
                            format!("{source_name:?} is in no event table and unmapped events are set to be skipped; not sent{hint}"),
                        ));
                        self.push_trace(event_name_trace(
                            &source_name,
                            None,
                            "skipped",
                            "unmapped: skipped",
                        ));
                        return None;
                    }
                }
            }
        };

        let spec_names = fields::catalog().spec_event_names();
        if !spec_names.contains(&target) {
            let why = if fields::NEWER_EVENT_NAMES.contains(&target.as_str()) {
                "Pinterest documents it since 2025, but the pinned 5.23 spec does not list it"
            } else {
                "it is not a standard Pinterest event name; it only counts if it is an advertiser-defined event set up in Ads Manager"
            };
            self.diagnostics.push(Diagnostic::new(
                Code::EventNameNotInSpec,
                "event_name",
                format!("{target:?}: {why}"),
            ));
        }

        self.push_trace(event_name_trace(&source_name, Some(&target), rule, &step));
        Some(target)
    }

    /// Why a near name would have been mapped: spaces around it (trimming matches), letter case
    /// (lower-casing matches), or both; nothing when neither would help.
    fn unmapped_hint(&self, source_name: &str) -> String {
        let known = |name: &str| {
            !matches!(
                self.mapping.resolve_event_name(name),
                EventNameResolution::Unmapped
            )
        };
        let trimmed = source_name.trim();
        let spaced = trimmed != source_name;
        if spaced && known(trimmed) {
            return format!(" (the name has spaces around it; {trimmed:?} would be mapped)");
        }
        let lower = trimmed.to_lowercase();
        if lower == trimmed || !known(&lower) {
            String::new()
        } else if spaced {
            format!(
                " (the name has spaces around it and event names are case-sensitive; {lower:?} would be mapped)"
            )
        } else {
            format!(" (event names are case-sensitive; {lower:?} would be mapped)")
        }
    }

    fn apply_rule(&mut self, rule: &Rule) {
        let path = rule.spec.path.clone();
        let (found, tried) = match &rule.value {
            RuleValue::Skip => {
                self.push_skip(&path);
                return;
            }
            RuleValue::Const(value) => (
                Some(Found {
                    source: "constant".to_owned(),
                    value: value.clone(),
                    from_sha256: false,
                }),
                vec!["constant".to_owned()],
            ),
            RuleValue::Sources(sources) => {
                self.check_lists(sources, &path);
                let (found, tried, passed_over) = self.first_found_past_blanks(sources);
                if let (Some(blank), Some(used)) = (&passed_over, &found) {
                    // A setup that fills a source with blanks (or hashes missing values) is
                    // worth fixing even when another source saves the field.
                    self.diagnostics.push(Diagnostic::new(
                        Code::SourceBlank,
                        &path,
                        format!(
                            "{} holds {}, which is no value; {} was used instead",
                            blank.source,
                            describe_blank(&blank.value),
                            used.source
                        ),
                    ));
                }
                (found, tried)
            }
        };

        let outcome = self.outcomes.entry(path.clone()).or_default();
        outcome.tried.clone_from(&tried);
        outcome.source = found.as_ref().map(|f| f.source.clone());

        let Some(found) = found else {
            self.push_trace(TraceEntry {
                field: path,
                rule: rule_label(rule),
                source: None,
                tried,
                raw: None,
                steps: Vec::new(),
                normalized: None,
                sent: None,
                mistakes: Vec::new(),
            });
            return;
        };

        let converted = self.convert(&rule.spec, &found);
        self.record(rule, &path, found, tried, converted);
    }

    fn push_skip(&mut self, path: &str) {
        self.outcomes.entry(path.to_owned()).or_default().skipped = true;
        self.push_trace(TraceEntry {
            field: path.to_owned(),
            rule: "skipped",
            source: None,
            tried: Vec::new(),
            raw: None,
            steps: vec![Step::new("not sent (override)", "")],
            normalized: None,
            sent: None,
            mistakes: Vec::new(),
        });
    }

    fn record(
        &mut self,
        rule: &Rule,
        path: &str,
        found: Found,
        tried: Vec<String>,
        converted: Converted,
    ) {
        for finding in converted.findings {
            self.diagnostics
                .push(Diagnostic::new(finding.code, path, finding.message));
        }
        if let Some(message) = personal_source_in_clear(rule, &found.source) {
            self.diagnostics
                .push(Diagnostic::new(Code::PiiClearText, path, message));
        }
        if converted.sent.is_some() {
            self.outcomes.entry(path.to_owned()).or_default().sent = true;
        }
        if let Some(sent) = &converted.sent {
            self.values.push((path.to_owned(), sent.clone()));
        }
        self.push_trace(TraceEntry {
            field: path.to_owned(),
            rule: rule_label(rule),
            source: Some(found.source),
            tried,
            raw: Some(found.value),
            steps: converted.steps,
            normalized: converted.normalized,
            sent: converted.sent,
            mistakes: converted.mistakes,
        });
    }

    /// Item-level rules: one value per element of the arrays their `[*]` sources iterate.
    fn apply_item_rules<'r>(&mut self, rules: impl Iterator<Item = &'r Rule>) {
        let rules: Vec<&Rule> = rules.collect();
        let mut per_rule: Vec<ItemRule<'_>> = Vec::new();
        let mut count = 0;

        for rule in &rules {
            let (tried, items) = match &rule.value {
                RuleValue::Skip => {
                    self.push_skip(&rule.spec.path);
                    continue;
                }
                RuleValue::Const(value) => (
                    vec!["constant".to_owned()],
                    ItemValues::Same(Found {
                        source: "constant".to_owned(),
                        value: value.clone(),
                        from_sha256: false,
                    }),
                ),
                RuleValue::Sources(sources) => {
                    self.check_lists(sources, "custom_data.contents");
                    self.per_item(sources)
                }
            };
            let items = match items {
                ItemValues::Each(items) => {
                    count = count.max(items.len());
                    items
                }
                ItemValues::Same(found) => vec![Some(found)],
            };
            per_rule.push((rule, tried, items));
        }

        // TODO(#4): an item-level override that reads a list longer than `items` (`cats[*]`)
        // adds content lines of its own; the number of lines should follow the item list.
        let mut contents: Vec<Map<String, Value>> = vec![Map::new(); count];
        for (rule, tried, items) in per_rule {
            let Some(key) = rule.spec.item_key() else {
                continue;
            };
            let same_for_all = items.len() == 1 && count != 1;
            for (index, entry) in contents.iter_mut().enumerate() {
                let found = if same_for_all {
                    items.first()
                } else {
                    items.get(index)
                };
                let path = rule.spec.path_for_item(index);
                let Some(Some(found)) = found else {
                    self.push_trace(TraceEntry {
                        field: path,
                        rule: rule_label(rule),
                        source: None,
                        tried: tried.clone(),
                        raw: None,
                        steps: Vec::new(),
                        normalized: None,
                        sent: None,
                        mistakes: Vec::new(),
                    });
                    continue;
                };
                let found = Found {
                    source: found.source.clone(),
                    value: found.value.clone(),
                    from_sha256: found.from_sha256,
                };
                let converted = self.convert(&rule.spec, &found);
                if let Some(sent) = &converted.sent {
                    entry.insert(key.to_owned(), sent.clone());
                }
                for finding in &converted.findings {
                    self.diagnostics.push(Diagnostic::new(
                        finding.code,
                        &path,
                        finding.message.clone(),
                    ));
                }
                self.push_trace(TraceEntry {
                    field: path,
                    rule: rule_label(rule),
                    source: Some(found.source),
                    tried: tried.clone(),
                    raw: Some(found.value),
                    steps: converted.steps,
                    normalized: converted.normalized,
                    sent: converted.sent,
                    mistakes: converted.mistakes,
                });
            }
        }

        if contents.iter().any(|entry| !entry.is_empty()) {
            let contents = contents.into_iter().map(Value::Object).collect();
            self.values
                .push(("custom_data.contents".to_owned(), Value::Array(contents)));
        }
    }

    /// The first source with a value. A blank value (`"  "`, `"-"`, the SHA-256 of nothing)
    /// holds nothing, so the next source gets its turn: a tag that fills `email_sha256` with
    /// spaces must not hide a good `email`. Only when every source is blank does the first
    /// blank one win, so that its field still says why nothing is sent.
    fn first_found(&self, sources: &[Source]) -> (Option<Found>, Vec<String>) {
        let (found, tried, _) = self.first_found_past_blanks(sources);
        (found, tried)
    }

    /// [`Self::first_found`], with the blank source passed over on the way, if any.
    fn first_found_past_blanks(
        &self,
        sources: &[Source],
    ) -> (Option<Found>, Vec<String>, Option<Found>) {
        let mut tried = Vec::new();
        let mut first_blank = None;
        for source in sources {
            tried.push(self.source_label(source));
            if let Some(value) = self.resolve(source)
                && !is_missing(&value)
            {
                let found = Found {
                    source: self.source_label(source),
                    value,
                    from_sha256: is_sha256_source(source),
                };
                if !normalize::is_blank(&found.value) {
                    return (Some(found), tried, first_blank);
                }
                first_blank.get_or_insert(found);
            }
        }
        (first_blank, tried, None)
    }

    fn per_item(&self, sources: &[Source]) -> (Vec<String>, ItemValues) {
        let tried: Vec<String> = sources.iter().map(|s| self.source_label(s)).collect();
        let iterating: Vec<&Source> = sources
            .iter()
            .filter(|s| s.path().is_some_and(super::path::SourcePath::has_each))
            .collect();
        if iterating.is_empty() {
            let (found, _) = self.first_found(sources);
            return (
                tried,
                found.map_or(ItemValues::Each(Vec::new()), ItemValues::Same),
            );
        }

        let lists: Vec<(String, Vec<Option<Value>>)> = iterating
            .iter()
            .filter_map(|source| {
                let path = source.path()?;
                let values = path
                    .each(self.event)?
                    .into_iter()
                    .map(|resolved| resolved.map(|r| r.to_value()))
                    .collect();
                Some((source.to_string(), values))
            })
            .collect();
        let count = lists
            .iter()
            .map(|(_, values)| values.len())
            .max()
            .unwrap_or(0);
        let items = (0..count)
            .map(|index| {
                lists.iter().find_map(|(source, values)| {
                    let value = values.get(index)?.as_ref()?;
                    (!is_missing(value)).then(|| Found {
                        source: source.replacen("[*]", &format!("[{index}]"), 1),
                        value: value.clone(),
                        from_sha256: source.ends_with("_sha256"),
                    })
                })
            })
            .collect();
        (tried, ItemValues::Each(items))
    }

    fn source_label(&self, source: &Source) -> String {
        match source {
            Source::Cookie { header, name: None } => {
                format!(
                    "cookie({header}, {})",
                    self.mapping.settings.click_id_cookie()
                )
            }
            other => other.to_string(),
        }
    }

    /// The value a source yields in this event.
    fn resolve(&self, source: &Source) -> Option<Value> {
        match source {
            Source::Path(path) if path.has_each() => {
                let values: Vec<Value> = path
                    .each(self.event)?
                    .into_iter()
                    .flatten()
                    .map(|r| r.to_value())
                    .filter(|v| !is_missing(v))
                    .collect();
                Some(Value::Array(values))
            }
            Source::Path(path) => path.lookup(self.event).map(|r| r.to_value()),
            Source::Query { url, param } => {
                let url = url.lookup(self.event)?.to_value();
                query_parameter(url.as_str()?, param).map(Value::String)
            }
            Source::Cookie { header, name } => {
                let name = name
                    .as_deref()
                    .unwrap_or_else(|| self.mapping.settings.click_id_cookie());
                match header.lookup(self.event)?.to_value() {
                    Value::String(text) => cookie_value(&text, name).map(Value::String),
                    Value::Object(map) => map.get(name).cloned(),
                    _ => None,
                }
            }
            Source::Derive(Derivation::ActionSource) => {
                let (value, _) = normalize::derive_action_source(self.event);
                Some(Value::String(value))
            }
        }
    }

    fn convert(&self, spec: &FieldSpec, found: &Found) -> Converted {
        let raw = &found.value;
        match spec.kind {
            FieldKind::Hashed(field) => self.convert_hashed(field, raw, found.from_sha256),
            FieldKind::Text if spec.path == "language" => {
                from_normalized(normalize::language(raw), Value::String)
            }
            FieldKind::Text | FieldKind::Url => {
                let mut converted = from_normalized(normalize::text(raw), Value::String);
                if spec.path == "event_id"
                    && !raw.is_string()
                    && let Some(Value::String(sent)) = &converted.sent
                {
                    // Quote exactly what is sent: `1.5e20` is sent as "150000000000000000000".
                    converted.findings.push(normalize::Finding::new(
                        Code::EventIdNotString,
                        format!("the source event_id is {raw}, not a string; sent as the string {sent:?}. Make sure the Pinterest tag sends the same text"),
                    ));
                }
                if spec.path == "custom_data.opt_out_type"
                    && let Some(Value::String(sent)) = &mut converted.sent
                {
                    // Pinterest documents and processes `LDP` in upper case; `ldp` may be
                    // ignored, and then the opt-out silently does nothing.
                    let upper: String = sent
                        .split(',')
                        .map(|flag| flag.trim().to_uppercase())
                        .filter(|flag| !flag.is_empty())
                        .collect::<Vec<_>>()
                        .join(",");
                    if upper.is_empty() {
                        converted.findings.push(normalize::Finding::new(
                            Code::NormalizeEmpty,
                            format!(
                                "{sent:?} holds no flag, only separators; the field is dropped"
                            ),
                        ));
                        converted.sent = None;
                        converted.normalized = None;
                    } else if upper != *sent {
                        converted
                            .steps
                            .push(Step::new("trim and upper-case each flag", upper.clone()));
                        converted.normalized = Some(Value::String(upper.clone()));
                        *sent = upper;
                    }
                }
                converted
            }
            FieldKind::Integer => {
                let result = normalize::integer(raw);
                let not_positive = result.value.filter(|quantity| *quantity <= 0);
                let mut converted = from_normalized(result, Value::from);
                let what = |count: i64| if count == 0 { "zero" } else { "negative" };
                if spec.item_key() == Some("quantity")
                    && let Some(quantity) = not_positive
                {
                    converted.findings.push(normalize::Finding::new(
                        Code::QuantityNotPositive,
                        format!("the quantity is {quantity} ({}); an item line that was bought has at least one unit, so Pinterest's item counts and value checks will be off. Check the source (a return or a removed line should not be in a conversion)", what(quantity)),
                    ));
                }
                if spec.path == "custom_data.num_items"
                    && let Some(count) = not_positive
                {
                    converted.findings.push(normalize::Finding::new(
                        Code::QuantityNotPositive,
                        format!("num_items is {count} ({}); a conversion with items has at least one. Check the source", what(count)),
                    ));
                }
                converted
            }
            FieldKind::Boolean => from_normalized(normalize::boolean(raw), Value::Bool),
            FieldKind::Decimal => from_normalized(normalize::decimal(raw), Value::String),
            FieldKind::Timestamp => {
                let result = normalize::timestamp(raw);
                let mut converted = from_normalized(result, |t| Value::from(t.seconds));
                if let Some(seconds) = converted.sent.as_ref().and_then(Value::as_i64) {
                    converted
                        .findings
                        .extend(checks::time_window(seconds, self.now));
                }
                converted
            }
            FieldKind::ActionSource => {
                let mut converted =
                    from_normalized(normalize::action_source_value(raw), Value::String);
                if found.source == "derive(action_source)" {
                    let (derived, why) = normalize::derive_action_source(self.event);
                    converted.steps.insert(0, Step::new(why.clone(), derived));
                    converted
                        .findings
                        .push(normalize::Finding::new(Code::ActionSourceDerived, why));
                }
                converted
            }
            FieldKind::Currency => from_normalized(normalize::currency_value(raw), Value::String),
            FieldKind::TextList => {
                let elements: Vec<Value> = match raw {
                    Value::Array(elements) => elements.clone(),
                    other => vec![other.clone()],
                };
                let mut steps = Vec::new();
                let mut findings = Vec::new();
                let mut texts = Vec::new();
                for element in &elements {
                    let result = normalize::text(element);
                    steps.extend(result.steps);
                    findings.extend(result.findings);
                    // An id with spaces around it never equals the catalog's id.
                    let trimmed = result
                        .value
                        .map(|text| (text.trim().to_owned(), text))
                        .map(|(trimmed, text)| {
                            if trimmed != text {
                                steps.push(Step::new("trim", trimmed.clone()));
                            }
                            trimmed
                        })
                        .filter(|text| !text.is_empty());
                    texts.extend(trimmed.map(Value::String));
                }
                let sent = (!texts.is_empty()).then(|| Value::Array(texts));
                Converted {
                    mistakes: Vec::new(),
                    normalized: sent.clone(),
                    sent,
                    steps,
                    findings,
                }
            }
            FieldKind::IpAddress => {
                from_normalized(normalize::ip_address_value(raw), Value::String)
            }
        }
    }

    fn convert_hashed(
        &self,
        field: fields::HashedField,
        raw: &Value,
        from_sha256: bool,
    ) -> Converted {
        let elements: Vec<&Value> = match raw {
            Value::Array(elements) => elements.iter().filter(|v| !is_missing(v)).collect(),
            other => vec![other],
        };
        let several = elements.len() > 1;
        let mut steps = Vec::new();
        let mut findings = Vec::new();
        let mut normalized = Vec::new();
        let mut hashes: Vec<Value> = Vec::new();
        let mut mistakes = Vec::new();

        for (position, element) in elements.into_iter().enumerate() {
            let text = match element {
                Value::String(text) => text.clone(),
                Value::Number(_) => {
                    let text = normalize::text(element).value.unwrap_or_default();
                    steps.push(Step::new("number → string", text.clone()));
                    text
                }
                // A boolean is never personal data: hashing "true" would send a value that
                // matches nobody (or everybody with the same mistake).
                other => {
                    findings.push(normalize::Finding::new(
                        Code::ValueWrongType,
                        format!(
                            "the source holds {}, not text; not sent. Map a source that holds the clear value as text",
                            normalize::describe_value(other),
                        ),
                    ));
                    continue;
                }
            };
            let result = normalize::hashed(field, &text, from_sha256, &self.options);
            let prefix = if several {
                format!("[{position}] ")
            } else {
                String::new()
            };
            steps.extend(
                result
                    .steps
                    .into_iter()
                    .map(|step| Step::new(format!("{prefix}{}", step.rule), step.value)),
            );
            if result.value.is_none() && self.tracing {
                // Dropped: what a setup that hashes the raw value anyway would send.
                mistakes.extend(hashcheck::dropped_variants(
                    Some(field),
                    &text,
                    &result.findings,
                ));
            }
            findings.extend(result.findings);
            if let Some(value) = result.value {
                if let Some(clear) = &value.normalized
                    && self.tracing
                {
                    mistakes.extend(hashcheck::variants(Some(field), &text, clear));
                }
                let hash = Value::String(value.sha256);
                if !hashes.contains(&hash) {
                    hashes.push(hash);
                    normalized.push(value.normalized.map_or(Value::Null, Value::String));
                }
            }
        }

        let normalized = match normalized.len() {
            0 => None,
            1 => normalized.pop(),
            _ => Some(Value::Array(normalized)),
        };
        Converted {
            mistakes,
            sent: (!hashes.is_empty()).then(|| Value::Array(hashes)),
            normalized,
            steps,
            findings,
        }
    }

    /// Builds the payload in a readable, stable order; `user_data` is always present.
    fn payload(&self, event_name: &str) -> Value {
        let mut payload = Map::new();
        payload.insert(
            "event_name".to_owned(),
            Value::String(event_name.to_owned()),
        );
        for (path, value) in &self.values {
            // user_data is required; keep it ahead of custom_data even when it is empty.
            let after_user_data = ["custom_data.", "app_info.", "device_info."]
                .iter()
                .any(|prefix| path.starts_with(prefix));
            if after_user_data && !payload.contains_key("user_data") {
                payload.insert("user_data".to_owned(), Value::Object(Map::new()));
            }
            set_path(&mut payload, path, value.clone());
        }
        payload
            .entry("user_data")
            .or_insert_with(|| Value::Object(Map::new()));
        Value::Object(payload)
    }
}

/// An item-level rule with the sources it tried and one value per item.
type ItemRule<'r> = (&'r Rule, Vec<String>, Vec<Option<Found>>);

enum ItemValues {
    Each(Vec<Option<Found>>),
    Same(Found),
}

/// A blank source value in words: the digest of nothing is named as such.
fn describe_blank(value: &Value) -> String {
    match value.as_str() {
        Some(text) if text.trim().eq_ignore_ascii_case(normalize::EMPTY_SHA256) => {
            "the SHA-256 of an empty string".to_owned()
        }
        _ => normalize::describe_value(value),
    }
}

fn from_normalized<T>(result: Normalized<T>, to_value: impl Fn(T) -> Value) -> Converted {
    let sent = result.value.map(to_value);
    Converted {
        mistakes: Vec::new(),
        normalized: sent.clone(),
        sent,
        steps: result.steps,
        findings: result.findings,
    }
}

fn rule_label(rule: &Rule) -> &'static str {
    match (&rule.origin, &rule.value) {
        (_, RuleValue::Skip) => "skipped",
        (_, RuleValue::Const(_)) => "constant",
        (RuleOrigin::Override { .. }, _) => "override",
        (RuleOrigin::Preset, _) => "preset",
    }
}

fn event_name_trace(
    source_name: &str,
    target: Option<&str>,
    rule: &'static str,
    step: &str,
) -> TraceEntry {
    TraceEntry {
        field: "event_name".to_owned(),
        rule,
        source: Some("event_name".to_owned()),
        tried: vec!["event_name".to_owned()],
        raw: Some(Value::String(source_name.to_owned())),
        steps: vec![Step::new(step, target.unwrap_or_default())],
        normalized: target.map(|t| Value::String(t.to_owned())),
        sent: target.map(|t| Value::String(t.to_owned())),
        mistakes: Vec::new(),
    }
}

fn is_sha256_source(source: &Source) -> bool {
    source
        .path()
        .is_some_and(|path| path.as_str().ends_with("_sha256"))
}

/// A warning when an override feeds personal data into a field Pinterest does not hash.
fn personal_source_in_clear(rule: &Rule, source: &str) -> Option<String> {
    const PERSONAL: [&str; 10] = [
        "email",
        "mail",
        "phone",
        "mobile",
        "firstname",
        "lastname",
        "birthdate",
        "birthday",
        "address",
        "zipcode",
    ];
    if matches!(rule.spec.kind, FieldKind::Hashed(_)) || rule.origin == RuleOrigin::Preset {
        return None;
    }
    let last = source
        .rsplit(['.', '('])
        .next()
        .unwrap_or(source)
        .to_lowercase();
    PERSONAL
        .iter()
        .any(|word| last.contains(word))
        .then(|| format!("{source} looks like personal data and {} is sent in clear text, not hashed. Map it to a user_data field instead", rule.spec.path))
}

/// Sets `a.b.c` inside nested objects, creating them as needed.
fn set_path(root: &mut Map<String, Value>, path: &str, value: Value) {
    let mut parts = path.split('.').peekable();
    let mut current = root;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            current.insert(part.to_owned(), value);
            return;
        }
        let next = current
            .entry(part.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if !next.is_object() {
            *next = Value::Object(Map::new());
        }
        let Value::Object(map) = next else {
            return;
        };
        current = map;
    }
}

/// The URL-decoded value of a query parameter; works on absolute and relative URLs.
fn query_parameter(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
        .filter(|value| !value.is_empty())
}

/// A cookie's value in a `Cookie:` header.
fn cookie_value(header: &str, name: &str) -> Option<String> {
    header
        .split(';')
        .find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key.trim() == name).then(|| value.trim().trim_matches('"').to_owned())
        })
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const NOW: i64 = 1_744_956_000;

    fn run(body: Value) -> Inspection {
        inspect(
            &SourceEvent::new("test", 0, body),
            0,
            &Mapping::default(),
            NOW,
        )
    }

    #[test]
    fn lists_that_are_not_lists_of_objects_are_named_once() {
        let base = json!({
            "event_name": "purchase",
            "context": {"event_id": "e1", "event_timestamp": 1_744_955_000_000_u64},
            "user": {"email": "jane@example.com"},
            "currency": "EUR", "value": 2,
        });
        let with_items = |items: Value| {
            let mut body = base.clone();
            body["items"] = items;
            run(body)
        };

        let text = with_items(json!("SKU-1,SKU-2"));
        let not_list: Vec<_> = text
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::ItemsNotList)
            .collect();
        assert_eq!(not_list.len(), 1, "{:?}", text.diagnostics);
        assert!(not_list[0].message.contains("items holds \"SKU-1,SKU-2\""));

        let mixed =
            with_items(json!([1, {"id": " sku1 ", "product": {"price": 2}, "quantity": 1}]));
        let entries: Vec<_> = mixed
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::ItemsEntryNotObject)
            .collect();
        assert_eq!(entries.len(), 1, "{:?}", mixed.diagnostics);
        assert!(entries[0].message.starts_with("items[0] is not an object"));
        let payload = mixed.payload.unwrap();
        assert_eq!(payload["custom_data"]["content_ids"], json!(["sku1"]));

        let clean = with_items(json!([{"id": "sku1", "product": {"price": 2}, "quantity": 1}]));
        assert!(!codes(&clean).iter().any(|code| code.starts_with("items.")));
    }

    #[test]
    fn item_counts_are_checked_only_where_pinterest_counts_items() {
        let viewed = run(json!({
            "event_name": "view_item",
            "context": {"event_id": "e1", "event_timestamp": 1_744_955_000_000_u64},
            "user": {"email": "jane@example.com"},
            "items": [{"id": "sku1", "quantity": 2, "product": {"price": 10}}],
        }));
        assert!(
            !codes(&viewed).contains(&"num_items.lines"),
            "{:?}",
            codes(&viewed)
        );
    }

    #[test]
    fn opt_out_type_flags_are_upper_cased() {
        let inspection = run(json!({
            "event_name": "purchase",
            "context": {"event_id": "e1", "event_timestamp": 1_744_955_000_000_u64},
            "user": {"email": "jane@example.com", "state_short": "CA", "country": "US"},
            "partners": {"pinterest": {"opt_out_type": " ldp "}},
        }));
        let payload = inspection.payload.unwrap();
        assert_eq!(payload["custom_data"]["opt_out_type"], json!("LDP"));
    }

    fn codes(inspection: &Inspection) -> Vec<&'static str> {
        inspection
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect()
    }

    #[test]
    fn maps_a_clean_purchase() {
        let inspection = run(json!({
            "event_name": "purchase", "id": "O-1", "value": 20, "currency": "EUR",
            "items": [{"id": "A", "quantity": 2, "product": {"price": 10}}],
            "user": {"email": "jane.doe@example.com"},
            "context": {"event_id": "e1", "event_timestamp": 1_744_955_619_974_u64,
                "page": {"url": "https://shop.example/thanks"},
                "device": {"ip": "203.0.113.7", "user_agent": "Mozilla/5.0"}}
        }));
        let payload = inspection.payload.as_ref().unwrap();
        assert_eq!(payload["event_name"], "checkout");
        assert_eq!(payload["action_source"], "web");
        assert_eq!(payload["event_time"], 1_744_955_619);
        assert_eq!(payload["custom_data"]["value"], "20");
        assert_eq!(payload["custom_data"]["num_items"], 1);
        assert_eq!(payload["custom_data"]["contents"][0]["quantity"], 2);
        assert_eq!(payload["custom_data"]["contents"][0]["item_price"], "10");
        assert!(!inspection.has_errors(), "{:?}", inspection.diagnostics);
        // Two units on one line: Commanders Act's num_items (items.length) undercounts.
        assert_eq!(
            codes(&inspection),
            [
                "action_source.derived",
                "num_items.lines",
                "web.click_id_missing"
            ]
        );
        let em = inspection
            .trace
            .iter()
            .find(|t| t.field == "user_data.em")
            .unwrap();
        assert_eq!(em.tried, ["user.email_sha256", "user.email"]);
        assert_eq!(em.source.as_deref(), Some("user.email"));
    }

    #[test]
    fn a_blank_source_gives_way_to_the_next() {
        let inspection = run(json!({
            "event_name": "purchase",
            "partners": {"pinterest": {"event_id": "  ", "action_source": " "}},
            "context": {"event_id": "e1", "event_timestamp": 1_744_955_000_000_u64},
            "user": {
                "email": "jane@example.com",
                "email_sha256": "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"
            },
        }));
        let payload = inspection.payload.clone().unwrap();
        assert_eq!(payload["event_id"], "e1");
        assert_eq!(payload["action_source"], "web");
        // printf '%s' 'jane@example.com' | sha256sum
        assert_eq!(
            payload["user_data"]["em"],
            json!(["8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d"])
        );
        assert!(!inspection.has_errors(), "{:?}", inspection.diagnostics);

        // Blank everywhere: the first blank one still explains why nothing is sent.
        let blank = run(json!({
            "event_name": "purchase",
            "context": {"event_id": "e1", "event_timestamp": 1_744_955_000_000_u64},
            "user": {"email_sha256": "  ", "email": " - "},
        }));
        let empty: Vec<_> = blank
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::NormalizeEmpty)
            .collect();
        assert_eq!(empty.len(), 1, "{:?}", blank.diagnostics);
        assert_eq!(empty[0].field.as_deref(), Some("user_data.em"));
    }

    #[test]
    fn click_id_falls_back_from_partner_to_url_to_cookie() {
        let from_url = run(json!({"event_name": "page_view",
            "context": {"page": {"url": "https://x.io/?epik=URL-ID"}, "device": {"cookie": "_epik=C"}}}));
        assert_eq!(from_url.payload.unwrap()["user_data"]["click_id"], "URL-ID");
        let from_cookie = run(json!({"event_name": "page_view",
            "context": {"device": {"cookie": "a=1; _epik=C; b=2"}}}));
        assert_eq!(from_cookie.payload.unwrap()["user_data"]["click_id"], "C");
        let mut mapping = Mapping::default();
        mapping.settings.click_id_cookie_name = "_pin_click".to_owned();
        let custom = inspect(
            &SourceEvent::new(
                "t",
                0,
                json!({"event_name": "page_view",
                "context": {"device": {"cookie": "_epik=A; _pin_click=B"}}}),
            ),
            0,
            &mapping,
            NOW,
        );
        assert_eq!(custom.payload.unwrap()["user_data"]["click_id"], "B");
    }

    #[test]
    fn identity_error_names_what_is_missing() {
        let inspection = run(json!({"event_name": "page_view",
            "context": {"event_id": "e", "event_timestamp": 1_744_955_619, "device": {"ip": "203.0.113.7"}}}));
        let identity = inspection
            .diagnostics
            .iter()
            .find(|d| d.code == Code::IdentityMissing)
            .unwrap();
        assert_eq!(identity.field.as_deref(), Some("user_data"));
        assert!(
            identity.message.contains("context.device.user_agent"),
            "{}",
            identity.message
        );
        assert!(!codes(&inspection).contains(&"schema.violation"));
    }

    #[test]
    fn unmapped_and_skipped_event_names() {
        let unmapped = run(json!({"event_name": "Purchase"}));
        assert_eq!(unmapped.event_name.as_deref(), Some("custom"));
        let warning = &unmapped.diagnostics[0];
        assert_eq!(warning.code, Code::EventNameUnmapped);
        assert!(
            warning.message.contains("case-sensitive"),
            "{}",
            warning.message
        );

        let hint = |name: &str| {
            run(json!({"event_name": name})).diagnostics[0]
                .message
                .clone()
        };
        let spaced = hint(" purchase ");
        assert!(
            spaced.contains("(the name has spaces around it; \"purchase\" would be mapped)"),
            "{spaced}"
        );
        assert!(!spaced.contains("case-sensitive"), "{spaced}");
        let both = hint(" Purchase\t");
        assert!(
            both.contains("(the name has spaces around it and event names are case-sensitive; \"purchase\" would be mapped)"),
            "{both}"
        );
        let cased = hint("PURCHASE");
        assert!(
            cased.contains("(event names are case-sensitive; \"purchase\" would be mapped)"),
            "{cased}"
        );
        assert!(!cased.contains("spaces"), "{cased}");
        assert!(!hint(" newsletter ").contains(" would be mapped"));

        let mut mapping = Mapping::default();
        mapping.settings.unmapped_events = UnmappedEvents::Skip;
        let skipped = inspect(
            &SourceEvent::new("t", 0, json!({"event_name": "x"})),
            0,
            &mapping,
            NOW,
        );
        assert!(skipped.payload.is_none());
        assert_eq!(skipped.diagnostics[0].code, Code::EventNameSkipped);
    }

    #[test]
    fn broken_records_carry_their_problem() {
        let inspection = run(json!(42));
        assert!(inspection.payload.is_none());
        assert_eq!(inspection.diagnostics[0].code, Code::InputNotObject);
    }

    #[test]
    fn query_and_cookie_parsing() {
        assert_eq!(
            query_parameter("/p?a=1&epik=x%3Dy#f", "epik").as_deref(),
            Some("x=y")
        );
        assert_eq!(query_parameter("https://x.io/p", "epik"), None);
        assert_eq!(
            cookie_value("a=1;  _epik=\"v\" ", "_epik").as_deref(),
            Some("v")
        );
        assert_eq!(cookie_value("_epik=", "_epik"), None);
    }

    #[test]
    fn inspect_all_with_reports_progress_and_stops_when_asked() {
        let events: Vec<SourceEvent> = (0..5)
            .map(|i| {
                SourceEvent::new(
                    "test",
                    i,
                    json!({"event_name": "page_view", "context": {"event_id": "same"}, "id": format!("O-{i}")}),
                )
            })
            .collect();
        let mapping = Mapping::default();

        let seen = std::sync::Mutex::new(Vec::new());
        let all = inspect_all_with(&events, &mapping, NOW, true, &|done| {
            seen.lock().unwrap().push(done);
            true
        });
        let mut seen = seen.into_inner().unwrap();
        seen.sort_unstable();
        assert_eq!(seen, [1, 2, 3, 4, 5]);
        assert_eq!(all, Some(inspect_all(&events, &mapping, NOW)));

        let stopped = inspect_all_with(&events, &mapping, NOW, true, &|done| done < 2);
        assert_eq!(stopped, None);

        let lean = inspect_all_with(&events, &mapping, NOW, false, &|_| true).unwrap();
        let full = inspect_all(&events, &mapping, NOW);
        for (lean, full) in std::iter::zip(lean, full) {
            assert!(lean.trace.is_empty());
            assert_eq!(lean.diagnostics, full.diagnostics);
            assert_eq!(lean.payload, full.payload);
        }
    }
}
