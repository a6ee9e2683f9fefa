//! What changes between two mappings, and what that does to the events.
//!
//! [`diff`] compares the *effective* mappings: the preset's tables with the overrides applied.
//! An override that repeats the preset's own rule is no change, and a preset switch shows up as
//! the event names and fields it really changes. [`diff_outputs`] runs both mappings over the
//! same events with the engine that builds every payload and reports, per event, the Pinterest
//! fields whose sent value differs. The GUI shows both before a preset switch applies; `pinspect
//! config diff` prints them.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::{Map, Value};

use super::{EventNameResolution, Mapping, RuleOrigin, RuleValue};
use crate::core::diagnostics::Diagnostic;
use crate::core::event::SourceEvent;
use crate::core::inspect::{Inspection, inspect_all};

/// Everything that differs between two mappings, in a stable order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MappingDiff {
    /// The preset names, when they differ.
    pub preset: Option<PresetChange>,

    /// Settings whose values differ, in settings order.
    pub settings: Vec<SettingChange>,

    /// Source event names that are sent under another Pinterest name, sorted by source name.
    pub event_names: Vec<EventNameChange>,

    /// Pinterest fields filled differently, in payload order.
    pub fields: Vec<FieldChange>,
}

impl MappingDiff {
    /// Whether the two mappings behave the same and build on the same preset.
    pub fn is_empty(&self) -> bool {
        self.preset.is_none()
            && self.settings.is_empty()
            && self.event_names.is_empty()
            && self.fields.is_empty()
    }
}

/// The preset before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PresetChange {
    /// The first mapping's preset.
    pub before: String,

    /// The second mapping's preset.
    pub after: String,
}

/// One setting that differs, with values as written in a config file (`null` when unset).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SettingChange {
    /// The key in `settings`.
    pub key: String,

    /// The first mapping's value.
    pub before: Value,

    /// The second mapping's value.
    pub after: Value,
}

/// Where an event name's target comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NameOrigin {
    /// The preset's table.
    Preset,

    /// A user override.
    Override,

    /// No table: the `unmapped_events` setting decides (`custom` with a warning, or skip).
    Unmapped,
}

impl NameOrigin {
    /// The word used in JSON and text: `preset`, `override` or `unmapped`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Preset => "preset",
            Self::Override => "override",
            Self::Unmapped => "unmapped",
        }
    }
}

/// A source event name whose Pinterest name differs. A name is `None` when it is in no table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventNameChange {
    /// The Commanders Act `event_name`.
    pub source: String,

    /// The Pinterest name under the first mapping.
    pub before: Option<String>,

    /// The Pinterest name under the second mapping.
    pub after: Option<String>,

    /// Where the first mapping's name comes from.
    pub before_origin: NameOrigin,

    /// Where the second mapping's name comes from.
    pub after_origin: NameOrigin,
}

/// Where a field's rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldOrigin {
    /// The preset's table.
    Preset,

    /// A user override.
    Override,

    /// Neither fills the field.
    None,
}

/// A Pinterest field filled differently. A rule is `None` when nothing fills the field; in
/// JSON a rule reads like a config override: `{"sources": [...]}`, `{"const": v}` or
/// `{"skip": true}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldChange {
    /// Canonical field path (`custom_data.contents[].quantity` for item-level fields).
    pub path: String,

    /// The first mapping's rule.
    pub before: Option<RuleValue>,

    /// The second mapping's rule.
    pub after: Option<RuleValue>,

    /// Where the first mapping's rule comes from.
    pub before_origin: FieldOrigin,

    /// Where the second mapping's rule comes from.
    pub after_origin: FieldOrigin,
}

/// Compares the effective mappings `a` (before) and `b` (after).
pub fn diff(a: &Mapping, b: &Mapping) -> MappingDiff {
    MappingDiff {
        preset: (a.preset != b.preset).then(|| PresetChange {
            before: a.preset.clone(),
            after: b.preset.clone(),
        }),
        settings: setting_changes(a, b),
        event_names: event_name_changes(a, b),
        fields: field_changes(a, b),
    }
}

fn setting_changes(a: &Mapping, b: &Mapping) -> Vec<SettingChange> {
    let as_map = |mapping: &Mapping| match serde_json::to_value(&mapping.settings) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let (before, after) = (as_map(a), as_map(b));

    // Keys in settings order: a key only one side writes (an unset optional setting is left
    // out) goes right after the key it follows on that side.
    let mut keys: Vec<&String> = before.keys().collect();
    let mut previous: Option<&String> = None;
    for key in after.keys() {
        if !keys.contains(&key) {
            let at = previous
                .and_then(|p| keys.iter().position(|k| *k == p))
                .map_or(0, |position| position + 1);
            keys.insert(at, key);
        }
        previous = Some(key);
    }
    keys.into_iter()
        .filter_map(|key| {
            let old = before.get(key).cloned().unwrap_or(Value::Null);
            let new = after.get(key).cloned().unwrap_or(Value::Null);
            (old != new).then(|| SettingChange {
                key: key.clone(),
                before: old,
                after: new,
            })
        })
        .collect()
}

fn event_name_changes(a: &Mapping, b: &Mapping) -> Vec<EventNameChange> {
    let mut names: BTreeSet<&String> = BTreeSet::new();
    for mapping in [a, b] {
        names.extend(mapping.preset().event_names.keys());
        names.extend(mapping.event_names.keys());
    }

    names
        .into_iter()
        .filter_map(|source| {
            let (before, before_origin) = split_resolution(a.resolve_event_name(source));
            let (after, after_origin) = split_resolution(b.resolve_event_name(source));
            (before != after).then(|| EventNameChange {
                source: source.clone(),
                before,
                after,
                before_origin,
                after_origin,
            })
        })
        .collect()
}

fn split_resolution(resolution: EventNameResolution) -> (Option<String>, NameOrigin) {
    match resolution {
        EventNameResolution::Override(name) => (Some(name), NameOrigin::Override),
        EventNameResolution::Preset(name) => (Some(name), NameOrigin::Preset),
        EventNameResolution::Unmapped => (None, NameOrigin::Unmapped),
    }
}

fn field_changes(a: &Mapping, b: &Mapping) -> Vec<FieldChange> {
    let (before, after) = (a.rules(), b.rules());
    let rule_of = |rules: &[super::Rule], path: &str| {
        rules
            .iter()
            .find(|rule| rule.spec.path == path)
            .map(|rule| {
                let origin = match rule.origin {
                    RuleOrigin::Preset => FieldOrigin::Preset,
                    RuleOrigin::Override { .. } => FieldOrigin::Override,
                };
                (rule.value.clone(), origin)
            })
    };

    // Both rule lists are in payload order; walk the catalog in that order once.
    let mut paths: Vec<&str> = before.iter().map(|rule| rule.spec.path.as_str()).collect();
    for rule in &after {
        if !paths.contains(&rule.spec.path.as_str()) {
            paths.push(&rule.spec.path);
        }
    }
    paths.sort_by_key(|path| super::payload_rank(path));

    paths
        .into_iter()
        .filter_map(|path| {
            let (old, old_origin) =
                rule_of(&before, path).map_or((None, FieldOrigin::None), |(v, o)| (Some(v), o));
            let (new, new_origin) =
                rule_of(&after, path).map_or((None, FieldOrigin::None), |(v, o)| (Some(v), o));
            (old != new).then(|| FieldChange {
                path: path.to_owned(),
                before: old,
                after: new,
                before_origin: old_origin,
                after_origin: new_origin,
            })
        })
        .collect()
}

/// How one event's output changes between two mappings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventOutputChange {
    /// Position of the event in the input.
    pub index: usize,

    /// The source `event_name`.
    pub source_event_name: Option<String>,

    /// The event under the first mapping.
    pub before: EventOutcome,

    /// The event under the second mapping.
    pub after: EventOutcome,

    /// Payload fields whose value differs, as paths with item indexes
    /// (`custom_data.contents[1].quantity`); `event_name` is in `before`/`after`, not here.
    pub fields: Vec<ValueChange>,

    /// Diagnostics the second mapping adds.
    pub diagnostics_added: Vec<Diagnostic>,

    /// Diagnostics the second mapping no longer has.
    pub diagnostics_removed: Vec<Diagnostic>,
}

/// What one mapping makes of an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventOutcome {
    /// The Pinterest event name (`None`: no name, or the event is skipped).
    pub event_name: Option<String>,

    /// Whether a payload is built (false: the event is skipped or unreadable).
    pub has_payload: bool,

    /// Whether the event would be sent by default: a payload and no error.
    pub sendable: bool,
}

impl EventOutcome {
    fn of(inspection: &Inspection) -> Self {
        Self {
            event_name: inspection.event_name.clone(),
            has_payload: inspection.payload.is_some(),
            sendable: inspection.is_sendable(),
        }
    }
}

/// One payload value before and after (`None`: the field is not in that payload).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValueChange {
    /// Pinterest field path with item indexes.
    pub path: String,

    /// The value sent under the first mapping.
    pub before: Option<Value>,

    /// The value sent under the second mapping.
    pub after: Option<Value>,
}

/// Maps `events` with both mappings (clock `now`, Unix seconds) and lists, for every event
/// whose output differs, what changes. Events that come out the same are left out.
pub fn diff_outputs(
    a: &Mapping,
    b: &Mapping,
    events: &[SourceEvent],
    now: i64,
) -> Vec<EventOutputChange> {
    let before = inspect_all(events, a, now);
    let after = inspect_all(events, b, now);
    std::iter::zip(&before, &after)
        .filter_map(|(old, new)| event_change(old, new))
        .collect()
}

fn event_change(old: &Inspection, new: &Inspection) -> Option<EventOutputChange> {
    let old_values = payload_values(old.payload.as_ref());
    let new_values = payload_values(new.payload.as_ref());

    let mut fields: Vec<ValueChange> = Vec::new();
    for (path, value) in &old_values {
        let after = lookup(&new_values, path);
        if after != Some(value) {
            fields.push(ValueChange {
                path: path.clone(),
                before: Some(value.clone()),
                after: after.cloned(),
            });
        }
    }
    for (path, value) in &new_values {
        if lookup(&old_values, path).is_none() {
            fields.push(ValueChange {
                path: path.clone(),
                before: None,
                after: Some(value.clone()),
            });
        }
    }
    fields.sort_by_key(|change| super::payload_rank(&item_free(&change.path)));

    let diagnostics_added: Vec<Diagnostic> = new
        .diagnostics
        .iter()
        .filter(|d| !old.diagnostics.contains(d))
        .cloned()
        .collect();
    let diagnostics_removed: Vec<Diagnostic> = old
        .diagnostics
        .iter()
        .filter(|d| !new.diagnostics.contains(d))
        .cloned()
        .collect();

    let (before, after) = (EventOutcome::of(old), EventOutcome::of(new));
    let unchanged = before == after
        && fields.is_empty()
        && diagnostics_added.is_empty()
        && diagnostics_removed.is_empty();
    if unchanged {
        return None;
    }

    Some(EventOutputChange {
        index: new.index,
        source_event_name: new.source_event_name.clone(),
        before,
        after,
        fields,
        diagnostics_added,
        diagnostics_removed,
    })
}

fn lookup<'v>(values: &'v [(String, Value)], path: &str) -> Option<&'v Value> {
    values
        .iter()
        .find(|(known, _)| known == path)
        .map(|(_, value)| value)
}

/// `custom_data.contents[3].id` → `custom_data.contents[].id`, for ordering.
fn item_free(path: &str) -> String {
    crate::core::fields::canonical_path(path)
}

/// The leaves of a payload as Pinterest field paths, in payload order: objects are walked,
/// arrays of objects (`custom_data.contents`) are walked with `[i]`, and other arrays (a
/// hashed field's one-element list, `content_ids`) are one value.
fn payload_values(payload: Option<&Value>) -> Vec<(String, Value)> {
    let mut values = Vec::new();
    if let Some(Value::Object(map)) = payload {
        for (key, value) in map {
            if key != "event_name" {
                flatten(key.clone(), value, &mut values);
            }
        }
    }
    values
}

fn flatten(path: String, value: &Value, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, child) in map {
                flatten(format!("{path}.{key}"), child, out);
            }
        }
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_object) => {
            for (index, item) in items.iter().enumerate() {
                flatten(format!("{path}[{index}]"), item, out);
            }
        }
        _ => out.push((path, value.clone())),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::core::mapping::FieldOverride;
    use crate::core::preset::Source;
    use crate::core::settings::UnmappedEvents;

    const NOW: i64 = 1_744_956_000;

    fn purchase() -> SourceEvent {
        SourceEvent::new(
            "t",
            0,
            json!({"event_name": "purchase", "id": "O-1", "value": 20, "currency": "usd",
                "items": [{"id": "A", "quantity": 2, "product": {"price": 10}}],
                "user": {"email": "jane@example.com"},
                "context": {"event_id": "e1", "event_timestamp": 1_744_955_619_974_u64}}),
        )
    }

    #[test]
    fn identical_mappings_have_no_diff() {
        let a = Mapping::default();
        assert!(diff(&a, &a.clone()).is_empty());

        // An override that repeats the preset's rule changes nothing.
        let mut b = Mapping::default();
        b.set_override(
            "custom_data.currency",
            FieldOverride::Sources(vec![Source::parse("currency").unwrap()]),
        );
        b.event_names
            .insert("purchase".to_owned(), "checkout".to_owned());
        assert!(diff(&a, &b).is_empty(), "{:?}", diff(&a, &b));
        assert!(diff(&a, &a.explicit()).is_empty());
    }

    #[test]
    fn lists_each_kind_of_change() {
        let a = Mapping::default();
        let mut b = Mapping::default();
        b.settings.default_phone_country = Some("FR".to_owned());
        b.settings.unmapped_events = UnmappedEvents::Skip;
        b.event_names
            .insert("purchase".to_owned(), "custom".to_owned());
        b.event_names
            .insert("newsletter".to_owned(), "lead".to_owned());
        b.set_override("custom_data.currency", FieldOverride::Const(json!("EUR")));
        b.set_override("user_data.ge", FieldOverride::Skip);
        b.set_override(
            "custom_data.content_category",
            FieldOverride::Sources(vec![Source::parse("page_name").unwrap()]),
        );

        let changes = diff(&a, &b);
        assert_eq!(changes.preset, None);
        let keys: Vec<&str> = changes.settings.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["default_phone_country", "unmapped_events"]);
        assert_eq!(changes.settings[0].before, Value::Null);
        assert_eq!(changes.settings[0].after, json!("FR"));

        assert_eq!(
            changes.event_names,
            [
                EventNameChange {
                    source: "newsletter".to_owned(),
                    before: None,
                    after: Some("lead".to_owned()),
                    before_origin: NameOrigin::Unmapped,
                    after_origin: NameOrigin::Override,
                },
                EventNameChange {
                    source: "purchase".to_owned(),
                    before: Some("checkout".to_owned()),
                    after: Some("custom".to_owned()),
                    before_origin: NameOrigin::Preset,
                    after_origin: NameOrigin::Override,
                },
            ]
        );

        let paths: Vec<&str> = changes.fields.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "user_data.ge",
                "custom_data.currency",
                "custom_data.content_category"
            ]
        );
        let category = &changes.fields[2];
        assert_eq!(category.before, None);
        assert_eq!(category.before_origin, FieldOrigin::None);
        assert_eq!(
            serde_json::to_value(category).unwrap(),
            json!({"path": "custom_data.content_category", "before": null,
                "after": {"sources": ["page_name"]}, "before_origin": "none",
                "after_origin": "override"})
        );
        assert_eq!(
            serde_json::to_value(&changes.fields[0].after).unwrap(),
            json!({"skip": true})
        );
    }

    #[test]
    fn a_preset_switch_shows_its_event_names() {
        let a = Mapping::default();
        let b = Mapping {
            preset: "commandersact-2026".to_owned(),
            ..Mapping::default()
        };
        let changes = diff(&a, &b);
        assert_eq!(
            changes.preset,
            Some(PresetChange {
                before: "commandersact".to_owned(),
                after: "commandersact-2026".to_owned()
            })
        );
        let begin = changes
            .event_names
            .iter()
            .find(|c| c.source == "begin_checkout")
            .unwrap();
        assert_eq!(begin.before.as_deref(), Some("custom"));
        assert_eq!(begin.after.as_deref(), Some("initiate_checkout"));
        assert!(!changes.event_names.iter().any(|c| c.source == "purchase"));
        // Same field table.
        assert!(changes.fields.is_empty(), "{:?}", changes.fields);
    }

    #[test]
    fn output_changes_name_the_events_and_fields() {
        let page = SourceEvent::new(
            "t",
            1,
            json!({"event_name": "page_view", "user": {"email": "a@example.com"},
                "context": {"event_id": "e2", "event_timestamp": 1_744_955_619_974_u64}}),
        );
        let events = [purchase(), page];
        let a = Mapping::default();
        let mut b = Mapping::default();
        b.set_override("custom_data.currency", FieldOverride::Const(json!("EUR")));
        b.set_override("custom_data.contents[].quantity", FieldOverride::Skip);

        let changes = diff_outputs(&a, &b, &events, NOW);
        assert_eq!(changes.len(), 2, "{changes:?}");

        // The constant reaches the page view too; it has no items to lose.
        assert_eq!(changes[1].index, 1);
        assert_eq!(
            changes[1].fields,
            [ValueChange {
                path: "custom_data.currency".to_owned(),
                before: None,
                after: Some(json!("EUR")),
            }]
        );

        let change = &changes[0];
        assert_eq!(change.index, 0);
        assert_eq!(change.before.event_name.as_deref(), Some("checkout"));
        assert_eq!(change.before, change.after);
        assert_eq!(
            change.fields,
            [
                ValueChange {
                    path: "custom_data.currency".to_owned(),
                    before: Some(json!("USD")),
                    after: Some(json!("EUR")),
                },
                ValueChange {
                    path: "custom_data.contents[0].quantity".to_owned(),
                    before: Some(json!(2)),
                    after: None,
                },
            ]
        );
        assert!(
            change
                .diagnostics_removed
                .iter()
                .any(|d| d.code.as_str() == "currency.upper_cased"),
            "{:?}",
            change.diagnostics_removed
        );

        assert!(diff_outputs(&a, &a, &events, NOW).is_empty());
    }

    #[test]
    fn event_name_and_skip_changes_show_on_the_event() {
        let mut b = Mapping::default();
        b.event_names
            .insert("purchase".to_owned(), "custom".to_owned());
        let changes = diff_outputs(&Mapping::default(), &b, &[purchase()], NOW);
        assert_eq!(changes[0].after.event_name.as_deref(), Some("custom"));
        assert!(changes[0].fields.is_empty());

        let odd = SourceEvent::new("t", 0, json!({"event_name": "odd"}));
        let mut skip = Mapping::default();
        skip.settings.unmapped_events = UnmappedEvents::Skip;
        let changes = diff_outputs(&Mapping::default(), &skip, &[odd], NOW);
        assert!(changes[0].before.has_payload);
        assert_eq!(
            changes[0].after,
            EventOutcome {
                event_name: None,
                has_payload: false,
                sendable: false
            }
        );
        assert!(
            changes[0]
                .fields
                .iter()
                .all(|c| c.before.is_some() && c.after.is_none())
        );
    }

    #[test]
    fn flattening_walks_items_and_keeps_lists_whole() {
        let values = payload_values(Some(&json!({"event_name": "checkout",
            "user_data": {"em": ["h"]},
            "custom_data": {"content_ids": ["A", "B"], "contents": [{"id": "A"}, {"id": "B"}]}})));
        let paths: Vec<&str> = values.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "user_data.em",
                "custom_data.content_ids",
                "custom_data.contents[0].id",
                "custom_data.contents[1].id"
            ]
        );
        assert_eq!(values[1].1, json!(["A", "B"]));
    }
}
