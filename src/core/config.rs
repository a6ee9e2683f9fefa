//! Mapping config files (`pinspect-mapping/1`): reading with errors that name the line, and
//! writing atomically.
//!
//! Reading happens in two passes over the text, both through `serde_json` so that every
//! message carries the line and column of the offending key or value:
//!
//! 1. the file's shape: keys at every level (unknown ones get a "did you mean"), `format`,
//!    the preset, settings, event-name targets (Pinterest's 22 names), field paths (the
//!    pinned schema's fields), source expressions, one kind per override, no key twice;
//! 2. constants: each `{"const": …}` is run through the mapping engine itself
//!    ([`check_constant`]), with the file's own settings, and refused when the engine would
//!    not send it. There is no second set of type rules to drift from what is sent.
//!
//! The access token has no place in this format: a file that tries to carry one is refused,
//! and nothing pinspect writes can contain it.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write as _;
use std::path::Path;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, de::Error as _};
use serde_json::{Map, Value, json};

use super::diagnostics::{Code, Severity};
use super::event::{SourceEvent, explain_json_message, line_column};
use super::fields::{self, FieldKind, canonical_path};
use super::inspect;
use super::mapping::{FieldOverride, Mapping};
use super::preset::{
    DEFAULT_PRESET, Derivation, Preset, Source, SourceError, builtin_presets, preset_names,
};
use super::settings::{Settings, UnmappedEvents};

/// The `format` tag of the current config version.
pub const FORMAT: &str = "pinspect-mapping/1";

/// Why a config could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read the mapping config {path}: {err}")]
    Io {
        /// Path as given.
        path: String,
        /// The operating system's reason.
        #[source]
        err: std::io::Error,
    },

    /// The file is not a valid config; the message names the problem.
    #[error("{source_name}:{line}:{column}: {message}")]
    Invalid {
        /// Path as given.
        source_name: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong and how to fix it.
        message: String,
    },
}

/// Reads a config file.
pub fn load_config(path: &Path) -> Result<Mapping, ConfigError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|err| ConfigError::Io {
        path: name.clone(),
        err,
    })?;
    parse_config_bytes(&name, &bytes)
}

/// Parses config bytes; text that is not UTF-8 is refused at its first bad byte.
pub fn parse_config_bytes(source_name: &str, bytes: &[u8]) -> Result<Mapping, ConfigError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_config(source_name, text),
        Err(err) => {
            let (line, column) = line_column(bytes, err.valid_up_to());
            let byte = bytes.get(err.valid_up_to()).copied().unwrap_or_default();
            Err(ConfigError::Invalid {
                source_name: source_name.to_owned(),
                line,
                column,
                message: format!(
                    "the file is not UTF-8 text (byte 0x{byte:02X}); save it as UTF-8 (a Latin-1 or Windows-1252 editor setting usually causes this)"
                ),
            })
        }
    }
}

/// Parses and validates config text; `source_name` is the file name used in messages.
pub fn parse_config(source_name: &str, text: &str) -> Result<Mapping, ConfigError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let invalid = |err: &serde_json::Error| ConfigError::Invalid {
        source_name: source_name.to_owned(),
        line: err.line().max(1),
        column: err.column().max(1),
        message: explain(err),
    };
    if text.trim().is_empty() {
        return Err(ConfigError::Invalid {
            source_name: source_name.to_owned(),
            line: 1,
            column: 1,
            message: format!(
                "the file is empty; a mapping config is a JSON object that starts with {{\"format\": \"{FORMAT}\""
            ),
        });
    }

    let Object(file): Object<ConfigFile> =
        serde_json::from_str(text).map_err(|err| invalid(&err))?;
    let mapping = Mapping {
        preset: file
            .preset
            .map_or_else(|| DEFAULT_PRESET.to_owned(), |p| p.0),
        settings: file.settings.map(|s| s.0).unwrap_or_default(),
        event_names: file.event_names.0,
        fields: file.fields.0,
    };

    let has_constants = mapping
        .fields
        .values()
        .any(|over| matches!(over, FieldOverride::Const(_)));
    if has_constants {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        Walk {
            mapping: &mapping,
            level: Level::Top,
        }
        .deserialize(&mut deserializer)
        .map_err(|err| invalid(&err))?;
    }
    Ok(mapping)
}

/// `serde_json`'s message without the location (we print our own), in friendlier words.
fn explain(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let text = text
        .rfind(" at line ")
        .map_or(text.as_str(), |cut| &text[..cut]);
    explain_message(text)
}

/// Rewrites serde's messages about keys and values for people.
fn explain_message(text: &str) -> String {
    let text = text.replace("struct Settings", "a settings object");

    if let Some(rest) = text.strip_prefix("unknown field `")
        && let Some((name, expected)) = rest.split_once('`')
    {
        if is_token_key(name) {
            return token_refusal(name);
        }
        let options = backquoted(expected);
        return format!(
            "unknown key {name:?}{} (allowed here: {})",
            did_you_mean(name, &options, "; did you mean"),
            options.join(", ")
        );
    }
    if let Some(rest) = text.strip_prefix("unknown variant `")
        && let Some((name, expected)) = rest.split_once('`')
    {
        let options = backquoted(expected);
        return format!(
            "unknown value {name:?}{} (allowed here: {})",
            did_you_mean(name, &options, "; did you mean"),
            options.join(", ")
        );
    }
    if let Some(rest) = text.strip_prefix("duplicate field `")
        && let Some((name, _)) = rest.split_once('`')
    {
        return format!("{name:?} appears twice; keep one");
    }
    if text.starts_with("missing field `format`") {
        return format!(
            "missing \"format\": a mapping config starts with \"format\": \"{FORMAT}\""
        );
    }
    explain_json_message(&text)
}

/// The names between backquotes in serde's "expected one of `a`, `b`" lists.
fn backquoted(list: &str) -> Vec<&str> {
    list.split('`').skip(1).step_by(2).collect()
}

/// `" did you mean \"x\"?"` for the nearest option, or nothing when none is near.
fn did_you_mean(name: &str, options: &[&str], lead: &str) -> String {
    let name = name.to_lowercase();
    options
        .iter()
        .map(|option| (strsim::jaro_winkler(&name, option), *option))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, option)| format!("{lead} {option:?}?"))
        .unwrap_or_default()
}

fn is_token_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.contains("token") || key.contains("secret") || key == "authorization"
}

fn token_refusal(key: &str) -> String {
    format!(
        "{key:?}: a mapping config never holds the access token; remove it and set PINTEREST_ACCESS_TOKEN (or type it in the app) instead"
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(rename = "format")]
    _format: FormatTag,
    #[serde(default)]
    preset: Option<PresetName>,
    #[serde(default)]
    settings: Option<ValidSettings>,
    #[serde(default)]
    event_names: EventNames,
    #[serde(default)]
    fields: FieldTable,
}

struct FormatTag;

impl<'de> Deserialize<'de> for FormatTag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(tag) if tag == FORMAT => Ok(Self),
            other => Err(D::Error::custom(format!(
                "\"format\" is {other}; this version of pinspect reads \"{FORMAT}\""
            ))),
        }
    }
}

struct PresetName(String);

impl<'de> Deserialize<'de> for PresetName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(name) if Preset::builtin(&name).is_some() => Ok(Self(name)),
            Value::String(name) => Err(D::Error::custom(unknown_preset(&name))),
            other => Err(D::Error::custom(format!(
                "\"preset\" is {other}; write a preset name as text: {}",
                preset_names().join(", ")
            ))),
        }
    }
}

/// The message for a preset name that is not built in, with the nearest name.
pub fn unknown_preset(name: &str) -> String {
    let known = preset_names();
    format!(
        "unknown preset {name:?}{}; the presets are {}",
        did_you_mean(name, &known, ", did you mean"),
        known.join(", ")
    )
}

/// Accepts only a JSON object (serde's derived structs also take arrays, which would read
/// `[]` as "all defaults").
struct Object<T>(T);

/// What an [`Object`] holds, for the message when something else stands there.
trait Described {
    const WHAT: &'static str;
}

impl Described for ConfigFile {
    const WHAT: &'static str = "a mapping config object, {\"format\": \"pinspect-mapping/1\", …}";
}

impl Described for RawOverride {
    const WHAT: &'static str = "an override object: {\"source\": \"path\"}, {\"sources\": [\"path\", …]}, {\"const\": value} or {\"skip\": true}";
}

impl<'de, T: Deserialize<'de> + Described> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de> + Described> Visitor<'de> for ObjectVisitor<T> {
            type Value = Object<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(T::WHAT)
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Object<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Object)
            }
        }

        deserializer.deserialize_map(ObjectVisitor(std::marker::PhantomData))
    }
}

/// `settings`, read key by key so that a wrong value is reported with its key, at its place.
struct ValidSettings(Settings);

impl<'de> Deserialize<'de> for ValidSettings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SettingsVisitor;

        impl<'de> Visitor<'de> for SettingsVisitor {
            type Value = ValidSettings;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a settings object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ValidSettings, A::Error> {
                let mut object = Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value: Value = map.next_value()?;
                    let single = Value::Object(Map::from_iter([(key.clone(), value.clone())]));
                    if let Err(err) = Settings::deserialize(&single) {
                        let text = err.to_string();
                        let message = if text.starts_with("unknown field") {
                            explain_message(&text)
                        } else {
                            format!("settings.{key}: {}", explain_message(&text))
                        };
                        return Err(A::Error::custom(message));
                    }
                    if object.insert(key.clone(), value).is_some() {
                        return Err(A::Error::custom(format!(
                            "{key:?} appears twice in \"settings\"; keep one"
                        )));
                    }
                }
                let mut settings =
                    Settings::deserialize(Value::Object(object)).map_err(A::Error::custom)?;
                check_settings(&settings).map_err(A::Error::custom)?;
                // Kept in the form they are used in, so `config show` and exports print them
                // that way: an id without the spaces around it, an upper-case country code.
                settings.advertiser_id = settings.advertiser_id.trim().to_owned();
                settings.click_id_cookie_name = settings.click_id_cookie_name.trim().to_owned();
                settings.default_phone_country = settings
                    .default_phone_country
                    .map(|country| country.trim().to_ascii_uppercase());
                Ok(ValidSettings(settings))
            }
        }

        deserializer.deserialize_map(SettingsVisitor)
    }
}

/// What the settings' types cannot say.
fn check_settings(settings: &Settings) -> Result<(), String> {
    check_advertiser_id("advertiser_id", &settings.advertiser_id)?;
    super::settings::check_cookie_name(&settings.click_id_cookie_name)?;
    if let Some(country) = &settings.default_phone_country
        && rust_iso3166::from_alpha2(&country.trim().to_ascii_uppercase()).is_none()
    {
        return Err(format!(
            "default_phone_country {country:?} is not an ISO 3166-1 alpha-2 code such as \"FR\" or \"US\""
        ));
    }
    Ok(())
}

/// Checks an advertiser id wherever it comes from (`label` names the place: the config's
/// `advertiser_id`, the `--advertiser-id` option), so that every command refuses the same ids
/// with the same words. Empty is allowed: only sending needs the id, and it says so.
pub fn check_advertiser_id(label: &str, id: &str) -> Result<(), String> {
    let trimmed = id.trim();
    let digits_only = trimmed.len() <= super::send::MAX_ADVERTISER_ID_DIGITS
        && trimmed.chars().all(|c| c.is_ascii_digit());
    if digits_only {
        Ok(())
    } else {
        Err(format!(
            "{label} {id:?} must be the ad account number: digits only, at most {}",
            super::send::MAX_ADVERTISER_ID_DIGITS
        ))
    }
}

/// Whether `text` holds something that looks like a Pinterest access token: `pina_` followed
/// by at least [`TOKEN_LIKE_MIN_TAIL`] token characters. Such a constant would put the secret
/// into every event sent and every config shared, so configs refuse it.
pub fn looks_like_access_token(text: &str) -> bool {
    text.match_indices(TOKEN_PREFIX).any(|(at, _)| {
        let tail = text.get(at + TOKEN_PREFIX.len()..).unwrap_or_default();
        tail.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '='))
            .count()
            >= TOKEN_LIKE_MIN_TAIL
    })
}

/// How Pinterest access tokens start.
pub const TOKEN_PREFIX: &str = "pina_";

/// Characters after [`TOKEN_PREFIX`] from which a text counts as a token; real tokens have
/// well over a hundred.
pub const TOKEN_LIKE_MIN_TAIL: usize = 20;

/// Whether a constant (a text, or a list or object of them) holds a token-like text.
fn holds_access_token(value: &Value) -> bool {
    match value {
        Value::String(text) => looks_like_access_token(text),
        Value::Array(items) => items.iter().any(holds_access_token),
        Value::Object(map) => map.values().any(holds_access_token),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// `event_names`: source name → one of Pinterest's names, each source name once.
#[derive(Default)]
struct EventNames(BTreeMap<String, String>);

impl<'de> Deserialize<'de> for EventNames {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Names;

        impl<'de> Visitor<'de> for Names {
            type Value = EventNames;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of source event name → Pinterest event name")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EventNames, A::Error> {
                let mut names = BTreeMap::new();
                while let Some(source) = map.next_key::<String>()? {
                    let target = match map.next_value::<Value>()? {
                        Value::String(name) => event_target(name).map_err(A::Error::custom)?,
                        other => {
                            return Err(A::Error::custom(format!(
                                "event_names.{source} is {other}; write a Pinterest event name as text, e.g. \"lead\""
                            )));
                        }
                    };
                    if source.trim().is_empty() {
                        return Err(A::Error::custom(
                            "an event_names key is empty; write the Commanders Act event_name it maps, e.g. \"purchase\"",
                        ));
                    }
                    if names.insert(source.clone(), target).is_some() {
                        return Err(A::Error::custom(format!(
                            "{source:?} appears twice in \"event_names\"; keep one"
                        )));
                    }
                }
                Ok(EventNames(names))
            }
        }

        deserializer.deserialize_map(Names)
    }
}

/// Checks an event-name target against Pinterest's 22 names.
fn event_target(name: String) -> Result<String, String> {
    let names = fields::all_event_names();
    if names.contains(&name.as_str()) {
        return Ok(name);
    }
    // A Commanders Act name on the right-hand side: say what the presets send it as.
    let source_hint = builtin_presets()
        .iter()
        .find_map(|preset| preset.event_names.get(&name))
        .map(|target| {
            format!(
                " {name:?} is a Commanders Act name; the keys of event_names are source names and the values Pinterest names, e.g. {{\"{name}\": \"{target}\"}}."
            )
        })
        .unwrap_or_default();
    Err(format!(
        "{name:?} is not a Pinterest event name.{}{source_hint} Pinterest's names are: {}",
        did_you_mean(&name, &names, " Did you mean"),
        names.join(", ")
    ))
}

/// `fields`: canonical field path → override, each field once, sources checked against the
/// field they fill.
#[derive(Default)]
struct FieldTable(BTreeMap<String, FieldOverride>);

impl<'de> Deserialize<'de> for FieldTable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Table;

        impl<'de> Visitor<'de> for Table {
            type Value = FieldTable;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of Pinterest field path → override")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FieldTable, A::Error> {
                let mut table: BTreeMap<String, FieldOverride> = BTreeMap::new();
                let mut written: BTreeMap<String, String> = BTreeMap::new();
                while let Some(key) = map.next_key::<FieldKey>()? {
                    let over: ValidOverride = map.next_value()?;
                    check_sources_fit(&key.path, &over.0).map_err(A::Error::custom)?;
                    if let Some(first) = written.insert(key.path.clone(), key.written.clone()) {
                        return Err(A::Error::custom(format!(
                            "{:?} and {first:?} both override {}; keep one",
                            key.written, key.path
                        )));
                    }
                    table.insert(key.path, over.0);
                }
                Ok(FieldTable(table))
            }
        }

        deserializer.deserialize_map(Table)
    }
}

/// `derive(action_source)` computes an action source; any other field would receive "web".
fn check_sources_fit(path: &str, over: &FieldOverride) -> Result<(), String> {
    let FieldOverride::Sources(sources) = over else {
        return Ok(());
    };
    let derives = sources
        .iter()
        .any(|source| matches!(source, Source::Derive(Derivation::ActionSource)));
    if derives && path != "action_source" {
        return Err(format!(
            "derive(action_source) only fills action_source, not {path}"
        ));
    }
    Ok(())
}

struct FieldKey {
    /// Canonical path.
    path: String,
    /// As written in the file.
    written: String,
}

impl<'de> Deserialize<'de> for FieldKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let key = String::deserialize(deserializer)?;
        let catalog = fields::catalog();
        if let Some(spec) = catalog.get(&key) {
            return Ok(Self {
                path: spec.path.clone(),
                written: key,
            });
        }
        if key == "event_name" {
            return Err(D::Error::custom(
                "event_name is not a field override; put source → Pinterest names in \"event_names\"",
            ));
        }
        if is_token_key(&key) {
            return Err(D::Error::custom(token_refusal(&key)));
        }
        let hint = catalog
            .suggest(&key)
            .map(|s| format!("; did you mean {s:?}?"))
            .unwrap_or_default();
        Err(D::Error::custom(format!(
            "{key:?} is not a field of the Pinterest {} schema{hint}",
            super::schema::SCHEMA_VERSION
        )))
    }
}

struct ValidOverride(FieldOverride);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    source: Option<String>,
    sources: Option<Vec<String>>,
    #[serde(rename = "const", default, deserialize_with = "present")]
    constant: Option<Value>,
    skip: Option<bool>,
}

/// Keeps `"const": null` as a constant (plain `Option` would read it as no key), so that the
/// engine refuses it with its own words.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// The grammar of a source, for messages.
const SOURCE_SYNTAX: &str = "a source is a path (user.email, items[*].id, items.length), query(URL_PATH, PARAMETER), cookie(HEADER_PATH) or cookie(HEADER_PATH, NAME), or derive(action_source)";

impl<'de> Deserialize<'de> for ValidOverride {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Object(raw) = Object::<RawOverride>::deserialize(deserializer)?;
        let parse = |texts: Vec<String>| {
            texts
                .iter()
                .map(|text| {
                    Source::parse(text).map_err(|err| {
                        let reason = match err {
                            SourceError::Call { reason, .. } => reason.to_owned(),
                            SourceError::Path(err) => err.to_string(),
                        };
                        D::Error::custom(format!(
                            "bad source expression {text:?}: {reason}; {SOURCE_SYNTAX}"
                        ))
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        };
        let over = match (raw.source, raw.sources, raw.constant, raw.skip) {
            (Some(source), None, None, None) => FieldOverride::Sources(parse(vec![source])?),
            (None, Some(sources), None, None) if !sources.is_empty() => {
                FieldOverride::Sources(parse(sources)?)
            }
            (None, Some(_), None, None) => {
                return Err(D::Error::custom(
                    "\"sources\" is empty; list at least one source, or use {\"skip\": true} to not send the field",
                ));
            }
            (None, None, Some(value), None) => FieldOverride::Const(value),
            (None, None, None, Some(true)) => FieldOverride::Skip,
            (None, None, None, Some(false)) => {
                return Err(D::Error::custom(
                    "{\"skip\": false} does nothing; remove the override to use the preset's sources",
                ));
            }
            _ => {
                return Err(D::Error::custom(
                    "a field override is exactly one of {\"source\": \"path\"}, {\"sources\": [\"path\", …]}, {\"const\": value} or {\"skip\": true}",
                ));
            }
        };
        Ok(Self(over))
    }
}

/// Where the second pass is in the file.
#[derive(Clone, Copy)]
enum Level<'p> {
    Top,
    Fields,
    Override(&'p str),
}

/// The second pass: visits every `fields.*.const` value with the mapping read in the first
/// pass, so that a refused constant is reported at its own line and column.
struct Walk<'m> {
    mapping: &'m Mapping,
    level: Level<'m>,
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match self.level {
                Level::Top if key == "fields" => map.next_value_seed(Walk {
                    mapping: self.mapping,
                    level: Level::Fields,
                })?,
                Level::Fields => {
                    let Some(spec) = fields::catalog().get(&key) else {
                        return Err(A::Error::custom(format!("{key:?} is not a field")));
                    };
                    map.next_value_seed(Walk {
                        mapping: self.mapping,
                        level: Level::Override(&spec.path),
                    })?;
                }
                Level::Override(path) if key == "const" => {
                    let value: Value = map.next_value()?;
                    check_constant(self.mapping, path, &value).map_err(A::Error::custom)?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// The source event name of the probe event [`check_constant`] maps.
const PROBE_EVENT: &str = "pinspect_constant_check";

/// Runs `{"const": value}` on `field` through the mapping engine, with `mapping`'s preset and
/// settings, and returns the value the payload would carry; `Err` says why the engine would
/// not send it. Config files are checked with this, and the GUI can check a typed constant
/// the same way before it applies it.
pub fn check_constant(mapping: &Mapping, field: &str, value: &Value) -> Result<Value, String> {
    // Before anything that would echo the value.
    if holds_access_token(value) {
        return Err(format!(
            "the constant for {field} looks like a Pinterest access token (it starts with {TOKEN_PREFIX}); it is not shown here. A mapping config never holds the token, and the token is never event data: remove the constant, and set PINTEREST_ACCESS_TOKEN (or type it in the app) to send"
        ));
    }

    let catalog = fields::catalog();
    let Some(spec) = catalog.get(field) else {
        return Err(format!("{field:?} is not a Pinterest field"));
    };

    let mut probe = Mapping {
        preset: mapping.preset.clone(),
        settings: mapping.settings.clone(),
        event_names: BTreeMap::from([(PROBE_EVENT.to_owned(), "custom".to_owned())]),
        fields: BTreeMap::from([(spec.path.clone(), FieldOverride::Const(value.clone()))]),
    };
    let mut body = json!({ "event_name": PROBE_EVENT });

    // An item-level constant fills every item, so the probe needs one item; another item
    // field that reads `items[*]` makes the engine count it.
    let traced = if spec.is_item_level() {
        if let (Some(helper), Ok(source)) = (
            catalog
                .fields()
                .iter()
                .find(|other| other.is_item_level() && other.path != spec.path),
            Source::parse("items[*].id"),
        ) {
            probe
                .fields
                .insert(helper.path.clone(), FieldOverride::Sources(vec![source]));
        }
        body["items"] = json!([{ "id": "probe" }]);
        spec.path_for_item(0)
    } else {
        spec.path.clone()
    };

    // The constant is checked without a clock: what depends on when events are checked (the
    // time window, a birth date after today) is left to `check`. The latest possible clock
    // puts every birth date in the past and makes every event time too old, which is filtered
    // out below.
    let inspection = inspect::inspect(&SourceEvent::new("constant", 0, body), 0, &probe, i64::MAX);
    let sent = inspection
        .trace
        .iter()
        .find(|entry| entry.field == traced)
        .and_then(|entry| entry.sent.clone());
    // The time window depends on the clock the events are checked against, not on the
    // constant, so it is left to `check`.
    let problems: Vec<&str> = inspection
        .diagnostics
        .iter()
        .filter(|d| d.field.as_deref() == Some(traced.as_str()))
        .filter(|d| {
            !matches!(
                d.code,
                Code::EventTimeFuture | Code::EventTimeTooOld | Code::EventTimeLate
            )
        })
        // A part of the constant dropped for its type (`["sku1", {"x": 1}]`) is refused too:
        // the config would say more than is sent.
        .filter(|d| {
            sent.is_none() || d.severity == Severity::Error || d.code == Code::ValueWrongType
        })
        .map(|d| d.message.as_str())
        .collect();

    match sent {
        Some(sent) if problems.is_empty() => Ok(sent),
        _ => {
            let why = if problems.is_empty() {
                "the mapping engine would not send it".to_owned()
            } else {
                problems.join("; ")
            };
            Err(format!(
                "{{\"const\": {}}} cannot fill {path}: {why} (a constant for {path} is {})",
                super::schema::excerpt(value),
                constant_example(spec.kind),
                path = spec.path,
            ))
        }
    }
}

/// What a constant for a field of this kind looks like, for messages.
fn constant_example(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text | FieldKind::Url => "a text such as \"summer-sale\"",
        FieldKind::Integer => "a whole number such as 3",
        FieldKind::Boolean => "true or false",
        FieldKind::Decimal => "a number such as 19.99 or \"19.99\"",
        FieldKind::Timestamp => "Unix seconds such as 1744955619",
        FieldKind::ActionSource => "one of \"app_android\", \"app_ios\", \"offline\", \"web\"",
        FieldKind::Currency => "an ISO 4217 code such as \"EUR\"",
        FieldKind::TextList => "a list of texts such as [\"SKU-1\", \"SKU-2\"]",
        FieldKind::Hashed(_) => {
            "the clear value as text (it is normalized and hashed like a source value)"
        }
        FieldKind::IpAddress => "a public IPv4 or IPv6 address such as \"203.0.113.7\"",
    }
}

/// The config file for a mapping, as JSON. Overrides are written in their shortest form.
pub fn to_config_json(mapping: &Mapping) -> Value {
    let mut fields = Map::new();
    for (path, over) in &mapping.fields {
        let value = match over {
            FieldOverride::Sources(sources) => match sources.as_slice() {
                [only] => json!({ "source": only.to_string() }),
                many => {
                    json!({ "sources": many.iter().map(ToString::to_string).collect::<Vec<_>>() })
                }
            },
            FieldOverride::Const(value) => json!({ "const": value }),
            FieldOverride::Skip => json!({ "skip": true }),
        };
        fields.insert(canonical_path(path), value);
    }
    json!({
        "format": FORMAT,
        "preset": mapping.preset,
        "settings": mapping.settings,
        "event_names": mapping.event_names,
        "fields": fields,
    })
}

/// The config file text: pretty JSON with a final newline.
pub fn to_config_text(mapping: &Mapping) -> String {
    let mut text = serde_json::to_string_pretty(&to_config_json(mapping)).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes the config atomically: a temporary file in the same folder, flushed, then renamed
/// over the target, so a crash never leaves half a config behind.
pub fn write_config(path: &Path, mapping: &Mapping) -> std::io::Result<()> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    write_atomically(path, folder, mapping).map_err(|err| {
        // The temporary file's name means nothing to the user; the folder does.
        let why = match err.kind() {
            std::io::ErrorKind::NotFound => {
                format!("the folder {} does not exist", folder.display())
            }
            std::io::ErrorKind::PermissionDenied => {
                format!("no permission to write in {}", folder.display())
            }
            kind => format!("{kind} in {}", folder.display()),
        };
        std::io::Error::new(err.kind(), why)
    })
}

fn write_atomically(path: &Path, folder: &Path, mapping: &Mapping) -> std::io::Result<()> {
    let mut file = tempfile::NamedTempFile::new_in(folder)?;
    file.write_all(to_config_text(mapping).as_bytes())?;

    // The temporary file is private (0600); a config is meant to be handed on, so it gets the
    // permissions of the file it replaces, or ordinary ones (0644) when it is new.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;

        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }

    file.as_file().sync_all()?;
    file.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// The unmapped-events setting as written in configs.
pub fn unmapped_label(unmapped: UnmappedEvents) -> &'static str {
    match unmapped {
        UnmappedEvents::Custom => "custom",
        UnmappedEvents::Skip => "skip",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        parse_config("m.json", text).unwrap_err().to_string()
    }

    #[test]
    fn reads_the_product_example() {
        let text = r#"{
          "format": "pinspect-mapping/1",
          "preset": "commandersact",
          "settings": {"advertiser_id": "549755885175", "click_id_cookie_name": "_epik",
            "send_as_test_request": true, "default_phone_country": "FR", "unmapped_events": "custom"},
          "event_names": {"purchase": "custom", "newsletter_optin": "lead"},
          "fields": {
            "custom_data.content_category": {"source": "page_name"},
            "user_data.em": {"source": "user.email"},
            "custom_data.currency": {"const": "EUR"},
            "user_data.ge": {"skip": true}
          }
        }"#;
        let mapping = parse_config("m.json", text).unwrap();
        assert_eq!(
            mapping.settings.default_phone_country.as_deref(),
            Some("FR")
        );
        assert_eq!(mapping.event_names["newsletter_optin"], "lead");
        assert_eq!(mapping.fields["user_data.ge"], FieldOverride::Skip);
        assert_eq!(
            mapping.fields["custom_data.currency"],
            FieldOverride::Const(Value::from("EUR"))
        );
    }

    #[test]
    fn round_trips_every_kind_of_override() {
        let mut mapping = Mapping::default();
        mapping.settings.default_phone_country = Some("US".to_owned());
        mapping.settings.unmapped_events = UnmappedEvents::Skip;
        mapping
            .event_names
            .insert("optin".to_owned(), "lead".to_owned());
        mapping.set_override("user_data.ge", FieldOverride::Skip);
        mapping.set_override("custom_data.currency", FieldOverride::Const(json!("EUR")));
        mapping.set_override(
            "custom_data.contents[].id",
            FieldOverride::Sources(vec![Source::parse("items[*].sku").unwrap()]),
        );
        mapping.set_override(
            "user_data.click_id",
            FieldOverride::Sources(vec![
                Source::parse("query(url, epik)").unwrap(),
                Source::parse("cookie(context.device.cookie, _epik)").unwrap(),
            ]),
        );
        let text = to_config_text(&mapping);
        assert_eq!(parse_config("x", &text).unwrap(), mapping);
    }

    /// Asserts that `text` is refused at `line`, at a column inside (or just after) the first
    /// `at` on that line, with a message holding every one of `words`.
    #[track_caller]
    fn refused(text: &str, line: usize, at: &str, words: &[&str]) {
        let err = parse_config("m.json", text).unwrap_err();
        let message = err.to_string();
        let ConfigError::Invalid {
            line: got_line,
            column,
            ..
        } = err
        else {
            panic!("not a config error: {message}");
        };
        assert_eq!(got_line, line, "wrong line: {message}");
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let on_line = text.lines().nth(line - 1).unwrap_or_default();
        let start = on_line
            .find(at)
            .unwrap_or_else(|| panic!("{at:?} is not on line {line}"));
        let span = start + 1..=start + at.len() + 1;
        assert!(
            span.contains(&column),
            "column {column} is not at {at:?} ({span:?}): {message}"
        );
        assert!(message.starts_with(&format!("m.json:{line}:{column}: ")));
        for word in words {
            assert!(message.contains(word), "{word:?} missing from: {message}");
        }
    }

    const HEAD: &str = "{\"format\": \"pinspect-mapping/1\",\n";

    #[test]
    fn invalid_json_names_line_and_column() {
        refused("{\"format\": \n", 2, "", &["EOF", "ends too early"]);
        refused(
            "{\"format\": \"pinspect-mapping/1\",\n \"preset\": \"commandersact\",,\n}",
            2,
            ",,",
            &["key must be a string"],
        );
        refused("", 1, "", &["empty"]);
        refused("[]", 1, "[", &["expected a mapping config object"]);
        refused("\u{feff}{\"format\": 1}", 1, "1", &["\"format\" is 1"]);
    }

    #[test]
    fn wrong_or_missing_format() {
        refused(
            "{\"format\": \"pinspect-mapping/2\"}",
            1,
            "\"pinspect-mapping/2\"",
            &["\"pinspect-mapping/2\"", "reads \"pinspect-mapping/1\""],
        );
        refused(
            "{\n \"preset\": \"commandersact\"\n}",
            3,
            "}",
            &["missing \"format\""],
        );
        refused(
            "{\"format\": \"pinspect-mapping/1\", \"format\": \"pinspect-mapping/1\"}",
            1,
            ", \"format\"",
            &["\"format\" appears twice"],
        );
    }

    #[test]
    fn unknown_top_level_key_suggests() {
        refused(
            &format!("{HEAD} \"event_name\": {{}}}}"),
            2,
            "\"event_name\"",
            &[
                "unknown key \"event_name\"",
                "did you mean \"event_names\"?",
            ],
        );
        refused(
            &format!("{HEAD} \"overrides\": {{}}}}"),
            2,
            "\"overrides\"",
            &["unknown key \"overrides\"", "allowed here: format, preset"],
        );
    }

    #[test]
    fn unknown_settings_key_and_bad_values_name_the_key() {
        refused(
            &format!("{HEAD} \"settings\": {{\"advertiser\": \"1\"}}}}"),
            2,
            "\"1\"",
            &[
                "unknown key \"advertiser\"",
                "did you mean \"advertiser_id\"?",
            ],
        );
        refused(
            &format!("{HEAD} \"settings\": {{\"send_as_test_request\": \"yes\"}}}}"),
            2,
            "\"yes\"",
            &["settings.send_as_test_request", "expected a boolean"],
        );
        refused(
            &format!("{HEAD} \"settings\": {{\"unmapped_events\": \"skp\"}}}}"),
            2,
            "\"skp\"",
            &["settings.unmapped_events", "did you mean \"skip\"?"],
        );
        refused(
            &format!("{HEAD} \"settings\": {{\"advertiser_id\": \"5497-5588\"}}}}"),
            2,
            "}}",
            &["advertiser_id \"5497-5588\"", "digits only"],
        );
        refused(
            &format!("{HEAD} \"settings\": {{\"click_id_cookie_name\": \"_epik;x\"}}}}"),
            2,
            "}}",
            &[
                "click_id_cookie_name \"_epik;x\" is not a cookie name",
                "';'",
            ],
        );
        refused(
            &format!("{HEAD} \"settings\": {{\"default_phone_country\": \"France\"}}}}"),
            2,
            "}}",
            &["\"France\"", "alpha-2"],
        );
        refused(
            &format!("{HEAD} \"settings\": []}}"),
            2,
            " [",
            &["settings object"],
        );
    }

    #[test]
    fn unknown_override_key_suggests() {
        refused(
            &format!("{HEAD} \"fields\": {{\"user_data.em\": {{\"sorce\": \"user.mail\"}}}}}}"),
            2,
            "\"sorce\"",
            &["unknown key \"sorce\"", "did you mean \"source\"?"],
        );
        refused(
            &format!(
                "{HEAD} \"fields\": {{\"user_data.em\": {{\"source\": \"a\", \"skip\": true}}}}}}"
            ),
            2,
            "true}",
            &["exactly one of"],
        );
        refused(
            &format!("{HEAD} \"fields\": {{\"user_data.em\": \"user.email\"}}}}"),
            2,
            "\"user.email\"",
            &["expected an override object"],
        );
        refused(
            &format!("{HEAD} \"fields\": {{\"user_data.em\": {{\"sources\": []}}}}}}"),
            2,
            "[]}",
            &["\"sources\" is empty"],
        );
        refused(
            &format!("{HEAD} \"fields\": {{\"user_data.em\": {{\"skip\": false}}}}}}"),
            2,
            "false}",
            &["does nothing"],
        );
    }

    #[test]
    fn field_not_in_the_schema_suggests_the_nearest() {
        // BC-10.
        refused(
            &format!(
                "{HEAD} \"fields\": {{\n  \"custom_data.category_name\": {{\"source\": \"page_name\"}}}}}}"
            ),
            3,
            "\"custom_data.category_name\"",
            &[
                "\"custom_data.category_name\" is not a field of the Pinterest 5.23.0 schema",
                "did you mean \"custom_data.content_category\"?",
            ],
        );
        refused(
            &format!("{HEAD} \"fields\": {{\"user_data.emial\": {{\"skip\": true}}}}}}"),
            2,
            "\"user_data.emial\"",
            &["did you mean \"user_data.em\"?"],
        );
        refused(
            &format!("{HEAD} \"fields\": {{\"event_name\": {{\"const\": \"lead\"}}}}}}"),
            2,
            "\"event_name\"",
            &["put source → Pinterest names in \"event_names\""],
        );
        refused(
            &format!(
                "{HEAD} \"fields\": {{\"custom_data.contents[0].id\": {{\"source\": \"a\"}},\n \"custom_data.contents[*].id\": {{\"source\": \"b\"}}}}}}"
            ),
            3,
            "\"b\"}",
            &["both override custom_data.contents[].id"],
        );
    }

    #[test]
    fn event_name_targets_must_be_pinterest_names() {
        refused(
            &format!("{HEAD} \"event_names\": {{\"x\": \"chekout\"}}}}"),
            2,
            "\"chekout\"",
            &[
                "\"chekout\" is not a Pinterest event name",
                "Did you mean \"checkout\"?",
            ],
        );
        refused(
            &format!("{HEAD} \"event_names\": {{\"x\": \"purchase\"}}}}"),
            2,
            "\"purchase\"",
            &["Commanders Act name", "{\"purchase\": \"checkout\"}"],
        );
        refused(
            &format!("{HEAD} \"event_names\": {{\"x\": 3}}}}"),
            2,
            "3",
            &["event_names.x is 3"],
        );
        refused(
            &format!("{HEAD} \"event_names\": {{\"x\": \"lead\",\n \"x\": \"signup\"}}}}"),
            3,
            "\"signup\"",
            &["\"x\" appears twice"],
        );
        refused(
            &format!("{HEAD} \"event_names\": {{\"\": \"lead\"}}}}"),
            2,
            "\"lead\"",
            &["key is empty"],
        );
        // The newer names are Pinterest names too (with a warning when an event uses them).
        assert!(
            parse_config(
                "m.json",
                &format!("{HEAD} \"event_names\": {{\"x\": \"contact\"}}}}")
            )
            .is_ok()
        );
    }

    #[test]
    fn unknown_preset_suggests() {
        refused(
            &format!("{HEAD} \"preset\": \"commandersact2026\"}}"),
            2,
            "\"commandersact2026\"",
            &[
                "unknown preset \"commandersact2026\"",
                "did you mean \"commandersact-2026\"?",
                "the presets are commandersact, commandersact-2026",
            ],
        );
        refused(
            &format!("{HEAD} \"preset\": 3}}"),
            2,
            "3",
            &["\"preset\" is 3"],
        );
    }

    #[test]
    fn bad_source_expressions() {
        let with = |source: &str| {
            format!("{HEAD} \"fields\": {{\"user_data.click_id\": {{\"source\": \"{source}\"}}}}}}")
        };
        let quoted = |source: &str| format!("\"{source}\"");
        for (source, words) in [
            (
                "query(url)",
                &[
                    "bad source expression \"query(url)\"",
                    "write query(URL_PATH, PARAMETER)",
                ][..],
            ),
            ("a..b", &["empty segment", "a source is a path"][..]),
            ("items[x].id", &["bad index"][..]),
            ("frob(a)", &["unknown function"][..]),
            ("cookie(a", &["missing closing parenthesis"][..]),
            ("derive(ip)", &["derive(action_source)"][..]),
        ] {
            refused(&with(source), 2, &format!("{}}}", quoted(source)), words);
        }
        refused(
            &format!(
                "{HEAD} \"fields\": {{\"custom_data.order_id\": {{\"source\": \"derive(action_source)\"}}}}}}"
            ),
            2,
            "\"derive(action_source)\"}",
            &["only fills action_source, not custom_data.order_id"],
        );
    }

    #[test]
    fn constants_of_the_wrong_type_are_refused_by_the_engine() {
        let with = |field: &str, value: &str| {
            format!("{HEAD} \"fields\": {{\n \"{field}\": {{\"const\": {value}}}}}}}")
        };
        let cases: [(&str, &str, &[&str]); 9] = [
            (
                "custom_data.num_items",
                "\"abc\"",
                &[
                    "{\"const\": \"abc\"} cannot fill custom_data.num_items",
                    "not a whole number",
                    "a whole number such as 3",
                ],
            ),
            (
                "opt_out",
                "\"maybe\"",
                &["cannot fill opt_out", "not a boolean", "true or false"],
            ),
            (
                "custom_data.contents[].quantity",
                "\"two\"",
                &[
                    "cannot fill custom_data.contents[].quantity",
                    "not a whole number",
                ],
            ),
            ("custom_data.currency", "\"EURO\"", &["ISO 4217"]),
            ("action_source", "\"website\"", &["app_android"]),
            (
                "custom_data.value",
                "null",
                &["cannot fill custom_data.value"],
            ),
            ("custom_data.content_ids", "{\"a\": 1}", &["object"]),
            (
                "user_data.em",
                "\"d41d8cd98f00b204e9800998ecf8427e\"",
                &["MD5"],
            ),
            // A national number needs the default country.
            ("user_data.ph", "\"06 55 50 12 34\"", &["country"]),
        ];
        for (field, value, words) in cases {
            refused(&with(field, value), 3, &format!("{value}}}"), words);
        }

        // The same file may set the default country.
        let with_country = format!(
            "{HEAD} \"fields\": {{\"user_data.ph\": {{\"const\": \"06 55 50 12 34\"}}}},\n \"settings\": {{\"default_phone_country\": \"FR\"}}}}"
        );
        assert!(parse_config("m.json", &with_country).is_ok());

        // What the engine accepts is accepted, converted as it would be sent.
        for (field, value) in [
            ("opt_out", "\"yes\""),
            ("custom_data.num_items", "\"3\""),
            ("custom_data.value", "19.99"),
            ("event_time", "1700000000"),
            ("custom_data.content_ids", "[\"A\", 2]"),
        ] {
            assert!(
                parse_config("m.json", &with(field, value)).is_ok(),
                "{field}"
            );
        }
        let mapping = Mapping::default();
        assert_eq!(
            check_constant(&mapping, "custom_data.value", &json!(19.5)),
            Ok(json!("19.5"))
        );
        assert_eq!(
            check_constant(&mapping, "custom_data.contents[].quantity", &json!("2")),
            Ok(json!(2))
        );
        assert_eq!(
            check_constant(&mapping, "opt_out", &json!("no")),
            Ok(json!(false))
        );
        assert!(check_constant(&mapping, "user_data.emial", &json!("x")).is_err());
        // printf '%s' '19850317' | sha256sum
        assert_eq!(
            check_constant(&mapping, "user_data.db", &json!("1985-03-17")),
            Ok(json!([
                "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a"
            ]))
        );
        assert!(check_constant(&mapping, "event_time", &json!(1_700_000_000)).is_ok());
    }

    #[test]
    fn a_long_constant_is_quoted_once_and_cut() {
        let long = "x".repeat(300);
        let message =
            check_constant(&Mapping::default(), "app_info.app_name", &json!(long)).unwrap_err();
        assert_eq!(message.matches("app_info.app_name").count(), 2, "{message}");
        assert!(
            message.contains("cannot fill app_info.app_name: \""),
            "{message}"
        );
        assert!(message.contains("longer than 200 characters"), "{message}");
        assert!(!message.contains(&"x".repeat(61)), "{message}");
        assert!(message.contains("(300 characters)"), "{message}");
    }

    #[test]
    fn the_access_token_is_refused_everywhere() {
        for text in [
            format!("{HEAD} \"access_token\": \"pina_fake\"}}"),
            format!("{HEAD} \"settings\": {{\"token\": \"pina_fake\"}}}}"),
            format!("{HEAD} \"fields\": {{\"access_token\": {{\"const\": \"pina_fake\"}}}}}}"),
        ] {
            let message = error(&text);
            assert!(message.starts_with("m.json:2:"), "{message}");
            assert!(
                message.contains("never holds the access token")
                    && message.contains("PINTEREST_ACCESS_TOKEN"),
                "{message}"
            );
            assert!(!message.contains("pina_fake"), "{message}");
        }
    }

    #[test]
    fn a_token_like_constant_is_refused_without_echoing_it() {
        // Built from pieces so that no token-shaped literal sits in the source for scanners to
        // flag; the value is plainly fake.
        let token = &format!("{TOKEN_PREFIX}{}", "AMAFAKE".repeat(4) + "0123456789abcdef");
        for constant in [
            json!(token),
            json!(format!("Bearer {token}")),
            json!(["SKU-1", token]),
        ] {
            let field = if constant.is_array() {
                "custom_data.content_ids"
            } else {
                "custom_data.content_name"
            };
            let text = format!("{HEAD} \"fields\": {{\"{field}\": {{\"const\": {constant}}}}}}}");
            let message = error(&text);
            assert!(message.starts_with("m.json:2:"), "{message}");
            assert!(
                message.contains(&format!(
                    "the constant for {field} looks like a Pinterest access token"
                )) && message.contains("PINTEREST_ACCESS_TOKEN"),
                "{message}"
            );
            assert!(!message.contains("AMAFAKE"), "{message}");
        }
        // Short or ordinary texts that merely mention the prefix are constants like others.
        assert!(!looks_like_access_token("pina_colada"));
        assert!(!looks_like_access_token("summer-sale"));
        assert!(looks_like_access_token(token));
        let mapping = Mapping::default();
        assert!(
            check_constant(&mapping, "custom_data.content_name", &json!("pina_colada")).is_ok()
        );
    }

    #[test]
    fn text_that_is_not_utf8_names_its_place() {
        let err = parse_config_bytes(
            "m.json",
            b"{\"format\": \"pinspect-mapping/1\",\n \"preset\": \"caf\xe9\"}",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("m.json:2:16: the file is not UTF-8 text (byte 0xE9)"),
            "{err}"
        );
        refused(
            &format!("{HEAD} \"event_names\": {{\"a\\ud800\": \"lead\"}}}}"),
            2,
            "\\ud800",
            &["a lone UTF-16 surrogate"],
        );
    }

    #[test]
    fn advertiser_ids_get_one_message_everywhere() {
        assert_eq!(
            check_advertiser_id("advertiser_id", " 549755885175 "),
            Ok(())
        );
        assert_eq!(check_advertiser_id("advertiser_id", ""), Ok(()));
        assert_eq!(
            check_advertiser_id("--advertiser-id", "12-34"),
            Err(
                "--advertiser-id \"12-34\" must be the ad account number: digits only, at most 18"
                    .to_owned()
            )
        );
        assert!(check_advertiser_id("advertiser_id", &"9".repeat(19)).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn exports_are_readable_by_others_or_keep_the_old_mode() {
        use std::os::unix::fs::PermissionsExt as _;

        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("mapping.json");
        write_config(&path, &Mapping::default()).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_config(&path, &Mapping::default()).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[test]
    fn writes_atomically_and_never_the_token() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("mapping.json");
        write_config(&path, &Mapping::default()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(FORMAT));
        assert!(!text.to_lowercase().contains("token"));
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
    }
}
