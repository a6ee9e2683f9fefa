//! Destination settings that change what the mapping produces. The access token is not one of
//! them: it never enters this type, so it can never be persisted or exported with it.

use serde::{Deserialize, Serialize};

/// What to do with a source event name that no table maps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnmappedEvents {
    /// Send it as `custom`, with a warning (Commanders Act's behaviour).
    #[default]
    Custom,

    /// Do not send it.
    Skip,
}

/// The destination settings of a mapping config (PRODUCT.md §6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Pinterest ad account id (digits). Needed only for sending.
    pub advertiser_id: String,

    /// Cookie holding the click id, read from `context.device.cookie`.
    pub click_id_cookie_name: String,

    /// Send with `?test=true`.
    pub send_as_test_request: bool,

    /// ISO 3166-1 alpha-2 region for national phone numbers, e.g. `FR`. `None`: national
    /// numbers are not sent, because guessing the country would hash the wrong number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_phone_country: Option<String>,

    /// Unmapped source event names: `custom` or `skip`.
    pub unmapped_events: UnmappedEvents,

    /// Remove diacritics from first and last names before hashing. Off by default: Pinterest
    /// asks for UTF-8 and does not say to strip them.
    pub strip_name_diacritics: bool,
}

/// The cookie Pinterest's tag writes the click id to.
pub const DEFAULT_CLICK_ID_COOKIE: &str = "_epik";

impl Default for Settings {
    fn default() -> Self {
        Self {
            advertiser_id: String::new(),
            click_id_cookie_name: DEFAULT_CLICK_ID_COOKIE.to_owned(),
            send_as_test_request: true,
            default_phone_country: None,
            unmapped_events: UnmappedEvents::Custom,
            strip_name_diacritics: false,
        }
    }
}

impl Settings {
    /// The cookie name to look for, falling back to `_epik` when the setting is blank.
    pub fn click_id_cookie(&self) -> &str {
        let name = self.click_id_cookie_name.trim();
        if name.is_empty() {
            DEFAULT_CLICK_ID_COOKIE
        } else {
            name
        }
    }
}

/// Why `name` cannot be a cookie name, or `Ok` when it can (empty included: it means `_epik`).
/// A cookie name is an RFC 6265 token: visible ASCII without spaces and without any of
/// `()<>@,;:\"/[]?={}`. A name with `;` or `=` can never be found in a `Cookie` header, so
/// every click id would be lost without a word.
pub fn check_cookie_name(name: &str) -> Result<(), String> {
    let separators = "()<>@,;:\\\"/[]?={}";
    match name
        .trim()
        .chars()
        .find(|&c| !c.is_ascii_graphic() || separators.contains(c))
    {
        None => Ok(()),
        Some(bad) => Err(format!(
            "click_id_cookie_name {name:?} is not a cookie name: {} cannot be part of one (a cookie name is letters, digits and !#$%&'*+-.^_`|~; Pinterest's tag writes _epik)",
            match bad {
                ' ' => "a space".to_owned(),
                c if c.is_control() => format!("the control character {c:?}"),
                c => format!("{c:?}"),
            }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_names_are_rfc_6265_tokens() {
        for good in ["_epik", "", " _epik ", "pin_click.v2", "a!#$%&'*+-.^_`|~"] {
            assert_eq!(check_cookie_name(good), Ok(()), "{good:?}");
        }
        for (bad, named) in [
            ("_epik;x", "';'"),
            ("a=b", "'='"),
            ("my cookie", "a space"),
            ("épik", "'é'"),
        ] {
            let message = check_cookie_name(bad).unwrap_err();
            assert!(message.contains(named), "{bad:?}: {message}");
        }
    }

    #[test]
    fn defaults_are_test_mode_and_the_epik_cookie() {
        let settings = Settings::default();
        assert!(settings.send_as_test_request);
        assert_eq!(settings.click_id_cookie(), "_epik");
        assert_eq!(settings.unmapped_events, UnmappedEvents::Custom);
    }

    #[test]
    fn a_blank_cookie_name_falls_back_to_epik() {
        let settings = Settings {
            click_id_cookie_name: "  ".to_owned(),
            ..Settings::default()
        };
        assert_eq!(settings.click_id_cookie(), "_epik");
        let custom = Settings {
            click_id_cookie_name: " _pin_click ".to_owned(),
            ..Settings::default()
        };
        assert_eq!(custom.click_id_cookie(), "_pin_click");
    }

    #[test]
    fn serialized_settings_have_no_token_and_refuse_unknown_keys() {
        let json = serde_json::to_value(Settings::default()).unwrap();
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert!(keys.iter().all(|k| !k.contains("token")), "{keys:?}");
        let with_token = serde_json::json!({"access_token": "x"});
        assert!(serde_json::from_value::<Settings>(with_token).is_err());
    }
}
