//! A mapping: a preset plus the user's overrides and settings. This is exactly what a mapping
//! config file holds (see [`super::config`]), and what the GUI edits.
//!
//! [`Mapping::rules`] resolves it into one [`Rule`] per Pinterest field, saying where the value
//! comes from and whether that is the preset's choice or an override, so the trace and the GUI
//! can show both. [`diff`] and [`diff_outputs`] say what changes between two mappings.

mod diff;

use std::collections::BTreeMap;

use serde::ser::{Serialize, SerializeMap as _, Serializer};
use serde_json::Value;

pub use diff::{
    EventNameChange, EventOutcome, EventOutputChange, FieldChange, FieldOrigin, MappingDiff,
    NameOrigin, PresetChange, SettingChange, ValueChange, diff, diff_outputs,
};

use super::fields::{self, FieldSpec, canonical_path};
use super::preset::{DEFAULT_PRESET, Preset, Source, builtin_presets};
use super::settings::Settings;

/// A user's override of one field.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldOverride {
    /// Read from these sources, first non-empty wins.
    Sources(Vec<Source>),

    /// Always send this value (converted and normalized like a source value).
    Const(Value),

    /// Never send the field.
    Skip,
}

/// Preset + overrides + settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Mapping {
    /// Name of the built-in preset the overrides apply to.
    pub preset: String,

    /// Destination settings.
    pub settings: Settings,

    /// Source event name → Pinterest event name; wins over the preset's table.
    pub event_names: BTreeMap<String, String>,

    /// Canonical Pinterest field path → override.
    pub fields: BTreeMap<String, FieldOverride>,
}

impl Default for Mapping {
    fn default() -> Self {
        Self {
            preset: DEFAULT_PRESET.to_owned(),
            settings: Settings::default(),
            event_names: BTreeMap::new(),
            fields: BTreeMap::new(),
        }
    }
}

/// Where a rule came from.
#[derive(Clone, Debug, PartialEq)]
pub enum RuleOrigin {
    /// The preset's table.
    Preset,

    /// A user override; `preset_default` is what the preset would have used (empty when the
    /// preset does not map the field).
    Override {
        /// The preset's sources for this field.
        preset_default: Vec<Source>,
    },
}

/// How one field is filled.
#[derive(Clone, Debug, PartialEq)]
pub enum RuleValue {
    /// Sources in priority order.
    Sources(Vec<Source>),

    /// A constant.
    Const(Value),

    /// Not sent.
    Skip,
}

/// Written like a config override, `{"sources": [...]}`, `{"const": v}` or `{"skip": true}`,
/// so that a diff reads like the files it compares.
impl Serialize for RuleValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        match self {
            Self::Sources(sources) => {
                let texts: Vec<String> = sources.iter().map(ToString::to_string).collect();
                map.serialize_entry("sources", &texts)?;
            }
            Self::Const(value) => map.serialize_entry("const", value)?,
            Self::Skip => map.serialize_entry("skip", &true)?,
        }
        map.end()
    }
}

/// One Pinterest field's resolved rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// The field.
    pub spec: FieldSpec,

    /// Where the value comes from.
    pub value: RuleValue,

    /// Preset or override.
    pub origin: RuleOrigin,
}

/// How an event name was resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventNameResolution {
    /// From the user's overrides.
    Override(String),

    /// From the preset's table.
    Preset(String),

    /// In no table.
    Unmapped,
}

impl Mapping {
    /// The preset this mapping builds on; the default preset if the name is unknown (configs
    /// are validated on load, so this only matters for hand-built mappings).
    pub fn preset(&self) -> &'static Preset {
        Preset::builtin(&self.preset)
            .or_else(|| Preset::builtin(DEFAULT_PRESET))
            .or_else(|| builtin_presets().first())
            .unwrap_or_else(|| empty_preset())
    }

    /// Resolves a source event name.
    pub fn resolve_event_name(&self, source_name: &str) -> EventNameResolution {
        if let Some(target) = self.event_names.get(source_name) {
            return EventNameResolution::Override(target.clone());
        }
        match self.preset().event_names.get(source_name) {
            Some(target) => EventNameResolution::Preset(target.clone()),
            None => EventNameResolution::Unmapped,
        }
    }

    /// One rule per field that the preset or an override fills, in payload order.
    pub fn rules(&self) -> Vec<Rule> {
        let preset = self.preset();
        let mut rules = Vec::new();
        for spec in fields::catalog().fields() {
            let preset_sources = preset.sources(&spec.path).map(<[Source]>::to_vec);
            let rule = match (self.fields.get(&spec.path), preset_sources) {
                (Some(over), preset_default) => Rule {
                    spec: spec.clone(),
                    value: match over {
                        FieldOverride::Sources(sources) => RuleValue::Sources(sources.clone()),
                        FieldOverride::Const(value) => RuleValue::Const(value.clone()),
                        FieldOverride::Skip => RuleValue::Skip,
                    },
                    origin: RuleOrigin::Override {
                        preset_default: preset_default.unwrap_or_default(),
                    },
                },
                (None, Some(sources)) => Rule {
                    spec: spec.clone(),
                    value: RuleValue::Sources(sources),
                    origin: RuleOrigin::Preset,
                },
                (None, None) => continue,
            };
            rules.push(rule);
        }
        rules.sort_by_key(|rule| payload_rank(&rule.spec.path));
        rules
    }

    /// Sets or replaces the override of `field` (canonicalized).
    pub fn set_override(&mut self, field: &str, over: FieldOverride) {
        self.fields.insert(canonical_path(field), over);
    }

    /// Removes the override of `field`, going back to the preset.
    pub fn reset_field(&mut self, field: &str) {
        self.fields.remove(&canonical_path(field));
    }

    /// The same mapping with the preset's tables written out as overrides: every event name
    /// the preset knows and every field it fills. It behaves exactly like `self`
    /// ([`diff`] is empty) and, exported, shows the whole table in one file
    /// (`pinspect config show --full`); it no longer follows later changes of the preset.
    #[must_use]
    pub fn explicit(&self) -> Self {
        let mut full = self.clone();
        for (source, target) in &self.preset().event_names {
            full.event_names
                .entry(source.clone())
                .or_insert_with(|| target.clone());
        }
        for rule in self.rules() {
            if let (RuleOrigin::Preset, RuleValue::Sources(sources)) = (rule.origin, rule.value) {
                full.fields
                    .insert(rule.spec.path, FieldOverride::Sources(sources));
            }
        }
        full
    }
}

fn empty_preset() -> &'static Preset {
    static EMPTY: std::sync::OnceLock<Preset> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Preset {
        name: String::new(),
        title: String::new(),
        description: String::new(),
        event_names: BTreeMap::new(),
        fields: Vec::new(),
    })
}

/// Order of fields in a payload: the required event fields first, then other event fields,
/// then `user_data`, `custom_data`, `app_info`, `device_info`; stable within each group.
pub fn payload_rank(path: &str) -> usize {
    const FIRST: [&str; 5] = [
        "action_source",
        "event_time",
        "event_id",
        "event_source_url",
        "opt_out",
    ];
    if let Some(position) = FIRST.iter().position(|p| *p == path) {
        return position;
    }
    let group = match path.split('.').next().unwrap_or(path) {
        "user_data" => 2,
        "custom_data" => 3,
        "app_info" => 4,
        "device_info" => 5,
        _ => 1,
    };
    group * 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_follow_the_preset_and_record_overrides() {
        let mut mapping = Mapping::default();
        mapping.set_override(
            "custom_data.currency",
            FieldOverride::Const(Value::from("EUR")),
        );
        mapping.set_override("user_data.ge", FieldOverride::Skip);
        let rules = mapping.rules();
        assert_eq!(rules[0].spec.path, "action_source");
        let currency = rules
            .iter()
            .find(|r| r.spec.path == "custom_data.currency")
            .unwrap();
        assert_eq!(currency.value, RuleValue::Const(Value::from("EUR")));
        let RuleOrigin::Override { preset_default } = &currency.origin else {
            panic!("not an override");
        };
        assert_eq!(preset_default[0].to_string(), "currency");
        assert!(
            rules
                .iter()
                .any(|r| r.spec.path == "user_data.ge" && r.value == RuleValue::Skip)
        );
        assert_eq!(rules.len(), 39);
    }

    #[test]
    fn event_name_overrides_win() {
        let mut mapping = Mapping::default();
        assert_eq!(
            mapping.resolve_event_name("purchase"),
            EventNameResolution::Preset("checkout".to_owned())
        );
        mapping
            .event_names
            .insert("purchase".to_owned(), "custom".to_owned());
        assert_eq!(
            mapping.resolve_event_name("purchase"),
            EventNameResolution::Override("custom".to_owned())
        );
        assert_eq!(
            mapping.resolve_event_name("newsletter"),
            EventNameResolution::Unmapped
        );
    }
}
