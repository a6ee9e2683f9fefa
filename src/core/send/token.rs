//! The Pinterest access token, kept out of every printable form.
//!
//! The token is a bearer secret: whoever holds it can send conversions to the ad account. It
//! therefore lives only in this type, whose `Debug` and `Display` print `***`, so formatting an
//! error, a log line, a report or a panic message can never reveal it. The one way to read it is
//! [`AccessToken::expose`], used to build the `Authorization` header and nowhere else.

use std::fmt;

/// The environment variable the command line reads the token from.
pub const TOKEN_ENV: &str = "PINTEREST_ACCESS_TOKEN";

/// The shortest text taken as a token. Real conversion access tokens run to well over a
/// hundred characters.
pub const MIN_TOKEN_LENGTH: usize = 16;

/// What every printable form of the token shows instead of it.
pub const REDACTED: &str = "***";

/// A Pinterest conversion access token (or an OAuth token with `ads:write`).
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

/// Why a token cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The environment variable is not set.
    #[error(
        "{TOKEN_ENV} is not set; export your Pinterest conversion access token in that variable \
         (generate one in Ads Manager → Conversions → Conversion access token). The token is never \
         accepted as a command-line argument, where it would land in shell history"
    )]
    Missing,

    /// Nothing but spaces.
    #[error("the access token is empty; paste the conversion access token from Ads Manager")]
    Empty,

    /// Far shorter than any real token: a partial paste or a placeholder.
    #[error(
        "the access token is only {} long; Pinterest's are far longer (a conversion access \
         token starts with pina_). Copy the whole token from Ads Manager",
        crate::core::report::plural(*length, "character")
    )]
    TooShort {
        /// How many characters were given.
        length: usize,
    },

    /// A character that cannot travel in an HTTP header (space, line break, non-ASCII).
    #[error(
        "the access token has a space, a line break or a non-ASCII character at character \
         {position}; copy it again from Ads Manager, without quotes or line breaks"
    )]
    InvalidCharacter {
        /// 1-based position of the first bad character (the character itself is not shown).
        position: usize,
    },
}

impl AccessToken {
    /// A token from user input: surrounding spaces and a pasted `Bearer ` prefix are removed;
    /// the rest must be visible ASCII, as an HTTP header value needs.
    pub fn new(text: &str) -> Result<Self, TokenError> {
        let mut token = text.trim();
        if let (Some(word), Some(rest)) = (token.get(..6), token.get(6..))
            && word.eq_ignore_ascii_case("bearer")
            && (rest.is_empty() || rest.starts_with(char::is_whitespace))
        {
            token = rest.trim_start();
        }

        if token.is_empty() {
            return Err(TokenError::Empty);
        }
        if let Some(position) = token.chars().position(|c| !c.is_ascii_graphic()) {
            return Err(TokenError::InvalidCharacter {
                position: position + 1,
            });
        }
        // A token of a few characters is no token, and could not be hidden either: masking
        // every `e` of an answer would garble it.
        if token.len() < MIN_TOKEN_LENGTH {
            return Err(TokenError::TooShort {
                length: token.len(),
            });
        }
        Ok(Self(token.to_owned()))
    }

    /// The token from `PINTEREST_ACCESS_TOKEN`.
    pub fn from_env() -> Result<Self, TokenError> {
        match std::env::var(TOKEN_ENV) {
            Ok(text) => Self::new(&text),
            Err(std::env::VarError::NotPresent) => Err(TokenError::Missing),
            Err(std::env::VarError::NotUnicode(text)) => Err(TokenError::InvalidCharacter {
                position: text
                    .to_string_lossy()
                    .chars()
                    .position(|c| c == char::REPLACEMENT_CHARACTER)
                    .map_or(1, |p| p + 1),
            }),
        }
    }

    /// The secret itself, for the `Authorization` header. Never format it into anything else.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the token replaced by `***`, also where it stands
    /// JSON-escaped inside a JSON string. Everything `send` shows goes through this: answers
    /// from the network (a proxy page may echo the request headers), and the events themselves,
    /// which may carry the token's value by mistake.
    pub fn redact(&self, text: &str) -> String {
        let mut text = text.replace(&self.0, REDACTED);
        let escaped = self.json_escaped();
        if escaped != self.0 {
            text = text.replace(&escaped, REDACTED);
        }
        text
    }

    /// Whether `text` holds the token, as it is or JSON-escaped.
    pub fn appears_in(&self, text: &str) -> bool {
        text.contains(&self.0) || text.contains(&self.json_escaped())
    }

    /// The token as it is written inside a JSON string (`"` and `\` escaped).
    fn json_escaped(&self) -> String {
        let quoted = serde_json::to_string(&self.0).unwrap_or_default();
        quoted
            .strip_prefix('"')
            .and_then(|q| q.strip_suffix('"'))
            .unwrap_or(&quoted)
            .to_owned()
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccessToken({REDACTED})")
    }
}

impl fmt::Display for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAKE: &str = "pina_FAKE_token_for_unit_tests_123";

    #[test]
    fn printing_never_shows_the_token() {
        let token = AccessToken::new(FAKE).unwrap();
        assert_eq!(token.to_string(), "***");
        assert_eq!(format!("{token:?}"), "AccessToken(***)");
        assert_eq!(format!("{:?}", Some(&token)), "Some(AccessToken(***))");
        assert_eq!(token.expose(), FAKE);
    }

    #[test]
    fn input_is_trimmed_and_a_bearer_prefix_removed() {
        assert_eq!(
            AccessToken::new(&format!("  {FAKE}\n")).unwrap().expose(),
            FAKE
        );
        assert_eq!(
            AccessToken::new(&format!("Bearer {FAKE}"))
                .unwrap()
                .expose(),
            FAKE
        );
        assert_eq!(
            AccessToken::new(&format!("bearer   {FAKE}"))
                .unwrap()
                .expose(),
            FAKE
        );
    }

    #[test]
    fn bad_tokens_are_refused_without_echoing_them() {
        assert_eq!(AccessToken::new("   "), Err(TokenError::Empty));
        assert_eq!(AccessToken::new("Bearer "), Err(TokenError::Empty));
        assert_eq!(
            AccessToken::new("bearerish-token-value").unwrap().expose(),
            "bearerish-token-value"
        );
        assert_eq!(
            AccessToken::new(" e "),
            Err(TokenError::TooShort { length: 1 })
        );
        let err = AccessToken::new("pina_abc defghijklmnop").unwrap_err();
        assert_eq!(err, TokenError::InvalidCharacter { position: 9 });
        assert!(!err.to_string().contains("pina_abc"));
        assert_eq!(
            AccessToken::new("pina_é"),
            Err(TokenError::InvalidCharacter { position: 6 })
        );
    }

    #[test]
    fn redact_also_replaces_the_json_escaped_form() {
        let token = AccessToken::new(r#"pina_FAKE"quote\back"#).unwrap();
        let json = serde_json::json!({"content_name": token.expose()}).to_string();
        assert!(token.appears_in(&json));
        assert_eq!(token.redact(&json), r#"{"content_name":"***"}"#);
        assert!(!token.appears_in("nothing here"));
    }

    #[test]
    fn redact_replaces_every_occurrence() {
        let token = AccessToken::new(FAKE).unwrap();
        let echoed = format!("<p>Authorization: Bearer {FAKE}</p><p>{FAKE}</p>");
        assert_eq!(
            token.redact(&echoed),
            "<p>Authorization: Bearer ***</p><p>***</p>"
        );
    }
}
