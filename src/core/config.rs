//! Mapping config files (`pinspect-mapping/1`): reading with errors that name the line, and
//! writing atomically.
//!
//! Validation happens inside deserialization (field paths, event-name targets, presets, source
//! expressions), so `serde_json` attaches the line and column of the offending key to every
//! message. The access token has no place in this format: a file that tries to carry one is
//! refused, and nothing pinspect writes can contain it.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

use serde::{Deserialize, Deserializer, de::Error as _};
use serde_json::{Map, Value, json};

use super::fields::{self, canonical_path};
use super::mapping::{FieldOverride, Mapping};
use super::preset::{DEFAULT_PRESET, Preset, Source, builtin_presets};
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
    let text = std::fs::read_to_string(path).map_err(|err| ConfigError::Io {
        path: path.display().to_string(),
        err,
    })?;
    parse_config(&path.display().to_string(), &text)
}

/// Parses and validates config text.
pub fn parse_config(source_name: &str, text: &str) -> Result<Mapping, ConfigError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file: ConfigFile = serde_json::from_str(text).map_err(|err| ConfigError::Invalid {
        source_name: source_name.to_owned(),
        line: err.line(),
        column: err.column(),
        message: explain(&err),
    })?;

    Ok(Mapping {
        preset: file
            .preset
            .map_or_else(|| DEFAULT_PRESET.to_owned(), |p| p.0),
        settings: file.settings.map(|s| s.0).unwrap_or_default(),
        event_names: file
            .event_names
            .into_iter()
            .map(|(source, target)| (source, target.0))
            .collect(),
        fields: file
            .fields
            .into_iter()
            .map(|(key, over)| (key.0, over.0))
            .collect(),
    })
}

/// `serde_json`'s message without the location (we print our own), with friendlier words for
/// unknown keys.
fn explain(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let text = text
        .rfind(" at line ")
        .map_or(text.as_str(), |cut| &text[..cut])
        .to_owned();

    if let Some(rest) = text.strip_prefix("unknown field `")
        && let Some((name, expected)) = rest.split_once('`')
    {
        if name.to_ascii_lowercase().contains("token") {
            return format!(
                "{name:?}: a mapping config never holds the access token; remove it and set PINTEREST_ACCESS_TOKEN (or type it in the app) instead"
            );
        }
        let options: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let suggestion = options
            .iter()
            .map(|option| (strsim::jaro_winkler(name, option), *option))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, option)| format!("; did you mean {option:?}?"))
            .unwrap_or_default();
        return format!(
            "unknown key {name:?}{suggestion} (allowed here: {})",
            options.join(", ")
        );
    }
    if text.starts_with("missing field `format`") {
        return format!(
            "missing \"format\": a mapping config starts with \"format\": \"{FORMAT}\""
        );
    }
    text
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
    event_names: BTreeMap<String, EventTarget>,
    #[serde(default)]
    fields: BTreeMap<FieldKey, ValidOverride>,
}

struct FormatTag;

impl<'de> Deserialize<'de> for FormatTag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let tag = String::deserialize(deserializer)?;
        if tag == FORMAT {
            Ok(Self)
        } else {
            Err(D::Error::custom(format!(
                "\"format\" is {tag:?}; this version of pinspect reads \"{FORMAT}\""
            )))
        }
    }
}

struct PresetName(String);

impl<'de> Deserialize<'de> for PresetName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        if Preset::builtin(&name).is_some() {
            return Ok(Self(name));
        }
        let known: Vec<&str> = builtin_presets().iter().map(|p| p.name.as_str()).collect();
        Err(D::Error::custom(format!(
            "unknown preset {name:?}; the presets are {}",
            known.join(", ")
        )))
    }
}

struct ValidSettings(Settings);

impl<'de> Deserialize<'de> for ValidSettings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let settings = Settings::deserialize(deserializer)?;
        let advertiser_id = settings.advertiser_id.trim();
        let digits_only =
            advertiser_id.len() <= 18 && advertiser_id.chars().all(|c| c.is_ascii_digit());
        if !digits_only {
            return Err(D::Error::custom(format!(
                "advertiser_id {:?} must be the ad account number: digits only, at most 18",
                settings.advertiser_id
            )));
        }
        if let Some(country) = &settings.default_phone_country
            && rust_iso3166::from_alpha2(&country.trim().to_ascii_uppercase()).is_none()
        {
            return Err(D::Error::custom(format!(
                "default_phone_country {country:?} is not an ISO 3166-1 alpha-2 code such as \"FR\" or \"US\""
            )));
        }
        Ok(Self(settings))
    }
}

struct EventTarget(String);

impl<'de> Deserialize<'de> for EventTarget {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        let names = fields::all_event_names();
        if names.contains(&name.as_str()) {
            return Ok(Self(name));
        }
        let suggestion = names
            .iter()
            .map(|known| (strsim::jaro_winkler(&name.to_lowercase(), known), *known))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, known)| format!(" Did you mean {known:?}?"))
            .unwrap_or_default();
        Err(D::Error::custom(format!(
            "{name:?} is not a Pinterest event name.{suggestion} Pinterest's names are: {}",
            names.join(", ")
        )))
    }
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct FieldKey(String);

impl<'de> Deserialize<'de> for FieldKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let key = String::deserialize(deserializer)?;
        let catalog = fields::catalog();
        if let Some(spec) = catalog.get(&key) {
            return Ok(Self(spec.path.clone()));
        }
        if key == "event_name" {
            return Err(D::Error::custom(
                "event_name is not a field override; put source → Pinterest names in \"event_names\"",
            ));
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
    #[serde(rename = "const")]
    constant: Option<Value>,
    skip: Option<bool>,
}

impl<'de> Deserialize<'de> for ValidOverride {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawOverride::deserialize(deserializer)?;
        let parse = |texts: Vec<String>| {
            texts
                .iter()
                .map(|text| Source::parse(text).map_err(|err| D::Error::custom(err.to_string())))
                .collect::<Result<Vec<_>, _>>()
        };
        let over = match (raw.source, raw.sources, raw.constant, raw.skip) {
            (Some(source), None, None, None) => FieldOverride::Sources(parse(vec![source])?),
            (None, Some(sources), None, None) if !sources.is_empty() => {
                FieldOverride::Sources(parse(sources)?)
            }
            (None, None, Some(value), None) => FieldOverride::Const(value),
            (None, None, None, Some(true)) => FieldOverride::Skip,
            _ => {
                return Err(D::Error::custom(
                    "a field override is exactly one of {\"source\": \"path\"}, {\"sources\": [\"path\", …]}, {\"const\": value} or {\"skip\": true}",
                ));
            }
        };
        Ok(Self(over))
    }
}

/// The config file for a mapping, as JSON. Overrides are written in their shortest form.
pub fn to_config_json(mapping: &Mapping) -> Value {
    let mut fields = Map::new();
    for (path, over) in &mapping.fields {
        let value = match over {
            FieldOverride::Sources(sources) if sources.len() == 1 => {
                json!({ "source": sources[0].to_string() })
            }
            FieldOverride::Sources(sources) => {
                json!({ "sources": sources.iter().map(ToString::to_string).collect::<Vec<_>>() })
            }
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
    let mut file = tempfile::NamedTempFile::new_in(folder)?;
    file.write_all(to_config_text(mapping).as_bytes())?;
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

    #[test]
    fn errors_name_the_line_and_suggest() {
        let unknown_field = error(
            "{\"format\": \"pinspect-mapping/1\",\n \"fields\": {\n  \"custom_data.category_name\": {\"source\": \"page_name\"}}}",
        );
        assert!(unknown_field.starts_with("m.json:3:"), "{unknown_field}");
        assert!(
            unknown_field.contains("did you mean \"custom_data.content_category\""),
            "{unknown_field}"
        );

        let top = error("{\"format\": \"pinspect-mapping/1\", \"event_name\": {}}");
        assert!(top.contains("did you mean \"event_names\""), "{top}");

        let format = error("{\"format\": \"pinspect-mapping/2\"}");
        assert!(format.contains("pinspect-mapping/1"), "{format}");

        let target =
            error("{\"format\": \"pinspect-mapping/1\", \"event_names\": {\"x\": \"chekout\"}}");
        assert!(target.contains("Did you mean \"checkout\""), "{target}");

        let token =
            error("{\"format\": \"pinspect-mapping/1\", \"settings\": {\"access_token\": \"x\"}}");
        assert!(token.contains("never holds the access token"), "{token}");

        let syntax = error("{\"format\": \n");
        assert!(syntax.starts_with("m.json:2:"), "{syntax}");

        let both = error(
            "{\"format\": \"pinspect-mapping/1\", \"fields\": {\"user_data.em\": {\"source\": \"a\", \"skip\": true}}}",
        );
        assert!(both.contains("exactly one of"), "{both}");

        let country = error(
            "{\"format\": \"pinspect-mapping/1\", \"settings\": {\"default_phone_country\": \"France\"}}",
        );
        assert!(country.contains("alpha-2"), "{country}");
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
