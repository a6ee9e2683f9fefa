//! What will be sent, and where: batches of at most 1000 payloads, each keeping the input
//! positions of its events, and a validated endpoint URL.
//!
//! Pinterest answers `events[i]` for the i-th event *of that request*. Because only some events
//! are sent (those without errors, by default), a request's i-th event is generally not the
//! file's i-th event; [`Batch::indexes`] is the only way back from an answer to an event.

use serde_json::Value;

use crate::core::inspect::Inspection;
use crate::core::report;

/// Pinterest accepts at most this many events in one request (`data` maxItems).
pub const MAX_EVENTS_PER_REQUEST: usize = 1000;

/// The Pinterest API v5 base URL.
pub const DEFAULT_API_BASE: &str = "https://api.pinterest.com/v5";

/// The environment variable that replaces [`DEFAULT_API_BASE`] (tests point it at a mock).
pub const API_BASE_ENV: &str = "PINSPECT_API_BASE";

/// Pinterest's ad account ids are at most this many digits.
pub const MAX_ADVERTISER_ID_DIGITS: usize = 18;

/// One request's worth of events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    /// Input positions of the events, in request order: `indexes[i]` is `data[i]`.
    indexes: Vec<usize>,

    /// The request body, `{"data":[...]}`, compact JSON.
    body: String,
}

impl Batch {
    /// Input positions of the events, in request order: `indexes()[i]` is the event Pinterest
    /// answers in `events[i]`.
    pub fn indexes(&self) -> &[usize] {
        &self.indexes
    }

    /// Number of events in the request.
    pub fn len(&self) -> usize {
        self.indexes.len()
    }

    /// Whether the request carries no event (never true for a planned batch).
    pub fn is_empty(&self) -> bool {
        self.indexes.is_empty()
    }

    /// The exact request body.
    pub fn body(&self) -> &str {
        &self.body
    }
}

/// An event that is not part of any batch, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unplanned {
    /// Input position.
    pub index: usize,

    /// `not sent: <first error message>` (or the reason the event has no payload).
    pub reason: String,
}

/// Every event of the input, either in a batch or unplanned with a reason: none is dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    batches: Vec<Batch>,
    unplanned: Vec<Unplanned>,
    event_ids: Vec<(usize, Option<String>)>,
    include_errors: bool,
}

impl Plan {
    /// Batches of at most [`MAX_EVENTS_PER_REQUEST`] payloads. By default only events without
    /// errors are planned; `include_errors` adds events that have errors but a payload, so the
    /// user can read Pinterest's own verdict on them. Events without a payload are never sent.
    pub fn new(inspections: &[Inspection], include_errors: bool) -> Self {
        Self::with_batch_size(inspections, include_errors, MAX_EVENTS_PER_REQUEST)
    }

    pub(crate) fn with_batch_size(
        inspections: &[Inspection],
        include_errors: bool,
        size: usize,
    ) -> Self {
        let size = size.clamp(1, MAX_EVENTS_PER_REQUEST);
        let selected: Vec<(usize, &Value)> =
            report::selected_payloads(inspections, include_errors).collect();

        let batches = selected
            .chunks(size)
            .map(|chunk| Batch {
                indexes: chunk.iter().map(|(index, _)| *index).collect(),
                body: report::request_body(chunk.iter().map(|(_, payload)| *payload)).to_string(),
            })
            .collect();

        let planned: std::collections::HashSet<usize> =
            selected.iter().map(|(index, _)| *index).collect();
        let unplanned = inspections
            .iter()
            .filter(|i| !planned.contains(&i.index))
            .map(|i| Unplanned {
                index: i.index,
                reason: not_sent_reason(i),
            })
            .collect();

        let event_ids = inspections
            .iter()
            .map(|i| {
                let id = i
                    .payload
                    .as_ref()
                    .and_then(|p| p.get("event_id"))
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                (i.index, id)
            })
            .collect();

        Self {
            batches,
            unplanned,
            event_ids,
            include_errors,
        }
    }

    /// The requests to make, in order.
    pub fn batches(&self) -> &[Batch] {
        &self.batches
    }

    /// The events that will not be sent, with their reason.
    pub fn unplanned(&self) -> &[Unplanned] {
        &self.unplanned
    }

    /// Every input event: its position and the `event_id` of its payload.
    pub fn events(&self) -> &[(usize, Option<String>)] {
        &self.event_ids
    }

    /// Number of input events.
    pub fn events_total(&self) -> usize {
        self.event_ids.len()
    }

    /// Number of events in the batches.
    pub fn events_planned(&self) -> usize {
        self.batches.iter().map(Batch::len).sum()
    }

    /// Whether events with errors are included.
    pub fn includes_errors(&self) -> bool {
        self.include_errors
    }

    /// "12 of 14 events in 1 request", for the send panel and the command line.
    pub fn describe(&self) -> String {
        let total = self.events_total();
        format!(
            "{} of {} in {}",
            self.events_planned(),
            report::plural(total, "event"),
            report::plural(self.batches.len(), "request")
        )
    }
}

/// `not sent: <why>` for an event that is not planned.
fn not_sent_reason(inspection: &Inspection) -> String {
    use crate::core::diagnostics::{Code, Severity};

    let first = |severity: Severity| {
        inspection
            .diagnostics
            .iter()
            .find(|d| d.severity == severity)
            .map(|d| d.message.clone())
    };
    let why = if inspection.payload.is_some() {
        first(Severity::Error).unwrap_or_else(|| {
            "it has errors (send with errors included to see Pinterest's verdict)".to_owned()
        })
    } else {
        first(Severity::Error)
            .or_else(|| {
                inspection
                    .diagnostics
                    .iter()
                    .find(|d| d.code == Code::EventNameSkipped)
                    .map(|d| d.message.clone())
            })
            .unwrap_or_else(|| "the event has no Pinterest payload".to_owned())
    };
    format!("not sent: {why}")
}

/// Why an advertiser id cannot be used. No request is ever made with one of these.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AdvertiserIdError {
    /// Nothing after trimming.
    #[error(
        "the advertiser id is empty; set the Pinterest ad account id (digits, shown in Ads Manager \
         under the account name) in the settings, the mapping config or with --advertiser-id"
    )]
    Empty,

    /// Spaces inside the id.
    #[error(
        "the advertiser id {id:?} contains a space; a Pinterest ad account id is digits only, \
         e.g. 549755885175 — remove the spaces"
    )]
    Space {
        /// The id as given, trimmed.
        id: String,
    },

    /// Dashes inside the id.
    #[error(
        "the advertiser id {id:?} contains a dash; a Pinterest ad account id is digits only, \
         e.g. 549755885175 — remove the dashes"
    )]
    Dash {
        /// The id as given, trimmed.
        id: String,
    },

    /// Another character that is not a digit.
    #[error(
        "the advertiser id {id:?} contains {character:?}; a Pinterest ad account id is digits \
         only, e.g. 549755885175"
    )]
    NotDigit {
        /// The id as given, trimmed.
        id: String,
        /// The first character that is not a digit.
        character: char,
    },

    /// More digits than Pinterest allows.
    #[error(
        "the advertiser id {id:?} has {digits} digits; Pinterest ad account ids have at most \
         {MAX_ADVERTISER_ID_DIGITS}"
    )]
    TooLong {
        /// The id as given, trimmed.
        id: String,
        /// Its length.
        digits: usize,
    },
}

/// The advertiser id with surrounding spaces trimmed, if it is a valid Pinterest ad account id
/// (`^\d{1,18}$`).
pub fn validate_advertiser_id(text: &str) -> Result<String, AdvertiserIdError> {
    let id = text.trim();
    if id.is_empty() {
        return Err(AdvertiserIdError::Empty);
    }

    let owned = || id.to_owned();
    if let Some(character) = id.chars().find(|c| !c.is_ascii_digit()) {
        return Err(if character.is_whitespace() {
            AdvertiserIdError::Space { id: owned() }
        } else if matches!(character, '-' | '‐' | '‑' | '–' | '—') {
            AdvertiserIdError::Dash { id: owned() }
        } else {
            AdvertiserIdError::NotDigit {
                id: owned(),
                character,
            }
        });
    }
    if id.len() > MAX_ADVERTISER_ID_DIGITS {
        return Err(AdvertiserIdError::TooLong {
            id: owned(),
            digits: id.len(),
        });
    }
    Ok(owned())
}

/// Why the endpoint cannot be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    /// The advertiser id is not usable.
    #[error(transparent)]
    AdvertiserId(#[from] AdvertiserIdError),

    /// `PINSPECT_API_BASE` is set to nothing but spaces.
    #[error("{API_BASE_ENV} is set but empty; unset it to use {DEFAULT_API_BASE}")]
    EmptyBase,

    /// The API base URL is not usable.
    #[error("the API base URL {base:?} ({API_BASE_ENV}) {reason}")]
    Base {
        /// The base as given.
        base: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// Where a send goes: `{base}/ad_accounts/{advertiser_id}/events[?test=true]`. Only a valid
/// advertiser id and base make one, so `/ad_accounts//events` cannot be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    base: url::Url,
    advertiser_id: String,
    test: bool,
}

impl Endpoint {
    /// Checks the base (http(s), a host, no query, no credentials; plain http only to this
    /// machine, because the token would travel unencrypted) and the advertiser id.
    pub fn new(base: &str, advertiser_id: &str, test: bool) -> Result<Self, EndpointError> {
        let advertiser_id = validate_advertiser_id(advertiser_id)?;
        let base = parse_base(base)?;
        Ok(Self {
            base,
            advertiser_id,
            test,
        })
    }

    /// The endpoint with the base from `PINSPECT_API_BASE`, or Pinterest's.
    pub fn from_env(advertiser_id: &str, test: bool) -> Result<Self, EndpointError> {
        Self::new(&api_base_from_env(), advertiser_id, test)
    }

    /// The full request URL. It never contains the token.
    pub fn url(&self) -> String {
        let base = self.base.as_str().trim_end_matches('/');
        let query = if self.test { "?test=true" } else { "" };
        format!("{base}/ad_accounts/{}/events{query}", self.advertiser_id)
    }

    /// The validated advertiser id.
    pub fn advertiser_id(&self) -> &str {
        &self.advertiser_id
    }

    /// Whether requests carry `?test=true`.
    pub fn is_test(&self) -> bool {
        self.test
    }

    /// The base URL, for messages.
    pub fn base(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    /// `host` or `host:port`, for messages.
    pub fn host(&self) -> String {
        let host = self.base.host_str().unwrap_or_default();
        match self.base.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        }
    }

    /// Whether the endpoint is on this machine (a mock server): no proxy is used for it.
    pub fn is_loopback(&self) -> bool {
        match self.base.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
            None => false,
        }
    }
}

/// The API base: `PINSPECT_API_BASE` as set (even blank, which [`Endpoint::new`] refuses: an
/// empty variable silently meaning production would send where the user did not mean to), or
/// Pinterest's when the variable is not set.
pub fn api_base_from_env() -> String {
    match std::env::var(API_BASE_ENV) {
        Ok(base) => base.trim().to_owned(),
        Err(std::env::VarError::NotPresent) => DEFAULT_API_BASE.to_owned(),
        Err(std::env::VarError::NotUnicode(base)) => base.to_string_lossy().into_owned(),
    }
}

fn parse_base(text: &str) -> Result<url::Url, EndpointError> {
    if text.trim().is_empty() {
        return Err(EndpointError::EmptyBase);
    }
    let error = |reason| EndpointError::Base {
        base: text.to_owned(),
        reason,
    };
    let url = url::Url::parse(text.trim()).map_err(|_| error("is not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(error(
            "must start with https://, or with http:// for this machine only (127.0.0.1, [::1] \
             or localhost, e.g. a mock server)",
        ));
    }
    if url.host().is_none() {
        return Err(error("has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(error("must not have a query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(error(
            "must not contain credentials; the token comes from PINTEREST_ACCESS_TOKEN",
        ));
    }

    let endpoint = Endpoint {
        base: url,
        advertiser_id: String::new(),
        test: true,
    };
    if endpoint.base.scheme() == "http" && !endpoint.is_loopback() {
        return Err(error(
            "uses plain http to another machine, which would send the token unencrypted; use https",
        ));
    }
    Ok(endpoint.base)
}

/// A `curl` command that makes the same request, with `$PINTEREST_ACCESS_TOKEN` where the
/// token goes, so the command can be shared or pasted into a terminal that has the variable.
pub fn curl_command(endpoint: &Endpoint, batch: &Batch) -> String {
    format!(
        "curl --request POST {url} \\\n  --header \"Authorization: Bearer ${token_env}\" \\\n  \
         --header 'Content-Type: application/json' \\\n  --data-binary @- <<'PINSPECT_BODY'\n\
         {body}\nPINSPECT_BODY\n",
        url = shell_quote(&endpoint.url()),
        token_env = super::token::TOKEN_ENV,
        body = batch.body(),
    )
}

/// Single-quotes `text` for a POSIX shell.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::event::SourceEvent;
    use crate::core::inspect::inspect_all;
    use crate::core::mapping::Mapping;
    use crate::core::send::tests::inspections;

    fn data_len(batch: &Batch) -> usize {
        let body: Value = serde_json::from_str(batch.body()).unwrap();
        body["data"].as_array().unwrap().len()
    }

    #[test]
    fn batches_count_output_events_and_keep_their_positions() {
        let all = inspections(&[false, true, false, false, true, false, false]);
        let plan = Plan::with_batch_size(&all, false, 2);
        let indexes: Vec<&[usize]> = plan.batches().iter().map(Batch::indexes).collect();
        assert_eq!(indexes, [&[0, 2][..], &[3, 5], &[6]]);
        assert!(plan.batches().iter().all(|b| data_len(b) == b.len()));
        let unplanned: Vec<usize> = plan.unplanned().iter().map(|u| u.index).collect();
        assert_eq!(unplanned, [1, 4]);
        assert!(
            plan.unplanned()[0].reason.starts_with("not sent: "),
            "{}",
            plan.unplanned()[0].reason
        );
        assert_eq!(plan.events_total(), 7);
        assert_eq!(plan.events_planned(), 5);
        assert_eq!(plan.describe(), "5 of 7 events in 3 requests");
        assert_eq!(plan.events()[2], (2, Some("e-2".to_owned())));
    }

    #[test]
    fn skipped_event_names_say_so() {
        let mut mapping = Mapping::default();
        mapping.settings.unmapped_events = crate::core::settings::UnmappedEvents::Skip;
        let events = [SourceEvent::new(
            "t",
            0,
            serde_json::json!({"event_name": "newsletter_optin"}),
        )];
        let plan = Plan::new(&inspect_all(&events, &mapping, 0), true);
        assert!(plan.batches().is_empty());
        let reason = &plan.unplanned()[0].reason;
        assert!(reason.contains("newsletter_optin"), "{reason}");
    }

    #[test]
    fn including_errors_sends_events_that_have_a_payload() {
        let all = inspections(&[false, true, false]);
        assert!(all[1].has_errors() && all[1].payload.is_some());
        let plan = Plan::new(&all, true);
        assert_eq!(plan.batches()[0].indexes(), [0, 1, 2]);
        assert!(plan.unplanned().is_empty());
    }

    #[test]
    fn events_without_payload_are_never_sent() {
        let mut all = inspections(&[false, false]);
        all[1].payload = None;
        let plan = Plan::new(&all, true);
        assert_eq!(plan.batches()[0].indexes(), [0]);
        assert_eq!(plan.unplanned()[0].index, 1);
        assert_eq!(
            plan.unplanned()[0].reason,
            "not sent: the event has no Pinterest payload"
        );
    }

    #[test]
    fn the_body_is_the_map_preview() {
        let all = inspections(&[false, true, false]);
        let plan = Plan::new(&all, false);
        let body: Value = serde_json::from_str(plan.batches()[0].body()).unwrap();
        assert_eq!(body, report::map_body(&all, false));
    }

    #[test]
    fn a_thousand_and_one_events_make_two_requests() {
        let all = inspections(&[false; 1001]);
        let plan = Plan::new(&all, false);
        let sizes: Vec<usize> = plan.batches().iter().map(Batch::len).collect();
        assert_eq!(sizes, [1000, 1]);
        assert_eq!(data_len(&plan.batches()[0]), 1000);
        assert_eq!(plan.batches()[1].indexes(), [1000]);
        assert!(Plan::new(&[], false).batches().is_empty());
    }

    #[test]
    fn advertiser_ids_are_trimmed_and_checked() {
        assert_eq!(
            validate_advertiser_id(" 549755885175 \t"),
            Ok("549755885175".to_owned())
        );
        assert_eq!(validate_advertiser_id("  "), Err(AdvertiserIdError::Empty));
        assert!(matches!(
            validate_advertiser_id("549 755 885"),
            Err(AdvertiserIdError::Space { .. })
        ));
        assert!(matches!(
            validate_advertiser_id("549-755-885"),
            Err(AdvertiserIdError::Dash { .. })
        ));
        assert!(matches!(
            validate_advertiser_id("54975x"),
            Err(AdvertiserIdError::NotDigit { character: 'x', .. })
        ));
        assert!(matches!(
            validate_advertiser_id("１２３"),
            Err(AdvertiserIdError::NotDigit { .. })
        ));
        assert_eq!(validate_advertiser_id(&"9".repeat(18)), Ok("9".repeat(18)));
        assert!(matches!(
            validate_advertiser_id(&"9".repeat(19)),
            Err(AdvertiserIdError::TooLong { digits: 19, .. })
        ));
        let message = AdvertiserIdError::Empty.to_string();
        assert!(message.contains("advertiser id is empty"), "{message}");
    }

    #[test]
    fn urls_are_built_from_the_base() {
        let test = Endpoint::new("https://api.pinterest.com/v5/", " 123 ", true).unwrap();
        assert_eq!(
            test.url(),
            "https://api.pinterest.com/v5/ad_accounts/123/events?test=true"
        );
        assert!(!test.is_loopback());
        assert_eq!(test.host(), "api.pinterest.com");
        let live = Endpoint::new(DEFAULT_API_BASE, "123", false).unwrap();
        assert_eq!(
            live.url(),
            "https://api.pinterest.com/v5/ad_accounts/123/events"
        );
        let mock = Endpoint::new("http://127.0.0.1:1234", "9", true).unwrap();
        assert_eq!(
            mock.url(),
            "http://127.0.0.1:1234/ad_accounts/9/events?test=true"
        );
        assert!(mock.is_loopback());
        assert_eq!(mock.host(), "127.0.0.1:1234");
        assert!(
            Endpoint::new("http://localhost:8/v5", "9", true)
                .unwrap()
                .is_loopback()
        );
    }

    #[test]
    fn bad_bases_and_ids_build_no_endpoint() {
        assert_eq!(
            Endpoint::new(DEFAULT_API_BASE, "", true),
            Err(EndpointError::AdvertiserId(AdvertiserIdError::Empty))
        );
        for base in [
            "api.pinterest.com",
            "ftp://api.pinterest.com",
            "https://api.pinterest.com/v5?x=1",
            "https://user:pw@api.pinterest.com/v5",
            "http://api.pinterest.com/v5",
        ] {
            let err = Endpoint::new(base, "1", true).unwrap_err();
            assert!(matches!(err, EndpointError::Base { .. }), "{base}: {err}");
            assert!(err.to_string().contains(API_BASE_ENV), "{err}");
        }
    }

    #[test]
    fn an_empty_base_is_an_error_not_production() {
        for base in ["", "   "] {
            let err = Endpoint::new(base, "1", true).unwrap_err();
            assert_eq!(err, EndpointError::EmptyBase);
            assert_eq!(
                err.to_string(),
                "PINSPECT_API_BASE is set but empty; unset it to use https://api.pinterest.com/v5"
            );
        }
        let ftp = Endpoint::new("ftp://api.pinterest.com", "1", true)
            .unwrap_err()
            .to_string();
        assert!(
            ftp.contains("must start with https://, or with http:// for this machine only (127.0.0.1, [::1] or localhost"),
            "{ftp}"
        );
        assert!(Endpoint::new("http://[::1]:8080", "1", true).is_ok());
    }

    #[test]
    fn descriptions_count_in_singular_and_plural() {
        assert_eq!(
            Plan::new(&inspections(&[false]), false).describe(),
            "1 of 1 event in 1 request"
        );
        assert_eq!(
            Plan::new(&inspections(&[true, true]), false).describe(),
            "0 of 2 events in 0 requests"
        );
    }

    #[test]
    fn curl_uses_the_variable_not_the_token() {
        let all = inspections(&[false]);
        let plan = Plan::new(&all, false);
        let endpoint = Endpoint::new(DEFAULT_API_BASE, "123", true).unwrap();
        let curl = curl_command(&endpoint, &plan.batches()[0]);
        assert!(curl.starts_with(
            "curl --request POST 'https://api.pinterest.com/v5/ad_accounts/123/events?test=true'"
        ));
        assert!(curl.contains("--header \"Authorization: Bearer $PINTEREST_ACCESS_TOKEN\""));
        assert!(curl.contains("Content-Type: application/json"));
        assert!(curl.contains(plan.batches()[0].body()));
        assert_eq!(shell_quote("a'b"), r"'a'\''b'");
    }
}
