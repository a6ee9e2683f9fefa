//! The one door to the network: a [`Transport`] posts a JSON body and returns the raw answer
//! or a classified failure. The sender's retry and answer logic sees only this trait, so tests
//! drive it with fakes and mocks and never wait for real: waiting goes through a [`Sleeper`].

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::token::AccessToken;

/// What came back over HTTP, whatever the status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,

    /// The `Content-Type` header.
    pub content_type: Option<String>,

    /// The `Retry-After` header (seconds or an HTTP date).
    pub retry_after: Option<String>,

    /// The `Location` header of a redirect.
    pub location: Option<String>,

    /// The body, at most the transport's limit.
    pub body: Vec<u8>,

    /// The body was larger than the limit; `body` holds only its start.
    pub body_truncated: bool,
}

/// How a TLS handshake failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsFailure {
    /// The certificate chain ends at an authority this machine does not trust (typically a
    /// TLS-inspecting proxy).
    UnknownIssuer,

    /// The certificate is expired or not yet valid (often a wrong system clock).
    Expired,

    /// The certificate is for another host name.
    NameMismatch,

    /// Anything else (protocol error, revoked certificate, no trusted roots at all …).
    Other,
}

/// Why no HTTP answer came back.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The connection could not be opened in time: nothing was sent.
    #[error(
        "could not connect to {host} in time; check the network connection and the proxy \
         (HTTPS_PROXY)"
    )]
    ConnectTimeout {
        /// `host:port`.
        host: String,
    },

    /// The request went out but no complete answer came back in time: Pinterest may or may not
    /// have recorded the events.
    #[error(
        "no answer from {host} within {} (the time limit of one attempt); the events may or \
         may not have been recorded — check the network or proxy and send again (Pinterest \
         deduplicates events with the same event_id)",
        seconds_text(*limit)
    )]
    Timeout {
        /// `host:port`.
        host: String,
        /// The total timeout.
        limit: Duration,
    },

    /// Nothing listens on the port.
    #[error(
        "the connection to {host} was refused (nothing listens there); check {api_base_env} \
         and HTTPS_PROXY",
        api_base_env = super::plan::API_BASE_ENV
    )]
    ConnectionRefused {
        /// `host:port`.
        host: String,
    },

    /// The host name could not be resolved.
    #[error(
        "could not resolve the host name {host} ({detail}); check the network connection, DNS, \
         and {api_base_env}",
        api_base_env = super::plan::API_BASE_ENV
    )]
    Dns {
        /// The host.
        host: String,
        /// The resolver's reason.
        detail: String,
    },

    /// The TLS handshake failed: a network problem, not Pinterest's verdict.
    #[error("{}", tls_message(host, *kind, detail))]
    Tls {
        /// `host:port`.
        host: String,
        /// What kind of failure.
        kind: TlsFailure,
        /// The TLS library's reason.
        detail: String,
    },

    /// The user cancelled while the request was on the wire: it was abandoned, and Pinterest
    /// may or may not have received it.
    #[error(
        "cancelled while the request to {host} was on its way; Pinterest may or may not have \
         recorded these events (sending again is safe: Pinterest deduplicates events with the \
         same event_id)"
    )]
    Cancelled {
        /// `host:port`.
        host: String,
    },

    /// The HTTP client could not be set up (bad `SSL_CERT_FILE`, no trusted roots …).
    #[error("cannot prepare the HTTPS client: {detail}")]
    Setup {
        /// What is wrong.
        detail: String,
    },

    /// Any other failure; `reached_server` says whether the request may have arrived.
    #[error("the request to {host} failed: {detail}")]
    Other {
        /// `host:port`.
        host: String,
        /// The HTTP library's reason.
        detail: String,
        /// The connection was open, so the request may have arrived.
        reached_server: bool,
    },
}

/// "30 s", "0.3 s".
pub(super) fn seconds_text(duration: Duration) -> String {
    if duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

fn tls_message(host: &str, kind: TlsFailure, detail: &str) -> String {
    let what = match kind {
        TlsFailure::UnknownIssuer => {
            "its certificate is signed by an unknown certificate authority. This is a network \
             problem, not Pinterest's verdict: a TLS-inspecting proxy or antivirus usually causes \
             it. Set SSL_CERT_FILE to a PEM file with that proxy's CA certificate (your IT team \
             has it) and send again"
        }
        TlsFailure::Expired => {
            "its certificate is expired or not yet valid; check this machine's date and time, \
             and whether a proxy presents an old certificate"
        }
        TlsFailure::NameMismatch => {
            "its certificate is for another host name; a proxy may be intercepting the \
             connection, or the API base URL is wrong"
        }
        TlsFailure::Other => {
            "the secure connection could not be set up; check the proxy (HTTPS_PROXY) and the \
             network"
        }
    };
    format!("TLS failure talking to {host}: {what} ({detail}); not retried")
}

impl TransportError {
    /// Whether the request may have reached the server, so the events' fate is unknown.
    pub fn may_have_arrived(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Cancelled { .. } => true,
            Self::Other { reached_server, .. } => *reached_server,
            Self::ConnectTimeout { .. }
            | Self::ConnectionRefused { .. }
            | Self::Dns { .. }
            | Self::Tls { .. }
            | Self::Setup { .. } => false,
        }
    }

    /// Whether trying again may help: only timeouts (a TLS or DNS failure will fail the same
    /// way; a refused connection means nothing listens).
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Timeout { .. } | Self::ConnectTimeout { .. })
    }
}

/// Posts JSON to the Conversions API. Implementations set `Authorization: Bearer <token>` and
/// `Content-Type: application/json`, bound the time and the size of the answer, and never put
/// the token into an error.
pub trait Transport: Send + Sync {
    /// One POST of `body` to `url`.
    fn post_json(
        &self,
        url: &str,
        token: &AccessToken,
        body: &[u8],
    ) -> Result<HttpResponse, TransportError>;
}

/// Waits between retries. Tests inject one that records the delays and returns at once.
pub trait Sleeper: Send + Sync {
    /// Waits `delay`, returning early when `cancel` is set.
    fn sleep(&self, delay: Duration, cancel: &AtomicBool);
}

/// The real clock: sleeps in short slices so that a cancel is noticed within 50 ms.
#[derive(Clone, Copy, Debug, Default)]
pub struct ThreadSleeper;

impl Sleeper for ThreadSleeper {
    fn sleep(&self, delay: Duration, cancel: &AtomicBool) {
        let slice = Duration::from_millis(50);
        let start = Instant::now();
        while !cancel.load(Ordering::Relaxed) {
            let left = delay.saturating_sub(start.elapsed());
            if left.is_zero() {
                break;
            }
            std::thread::sleep(left.min(slice));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_timeouts_are_retried_and_only_some_may_have_arrived() {
        let host = "h:1".to_owned();
        let timeout = TransportError::Timeout {
            host: host.clone(),
            limit: Duration::from_millis(300),
        };
        assert!(timeout.is_retryable() && timeout.may_have_arrived());
        assert!(
            timeout
                .to_string()
                .contains("no answer from h:1 within 0.3 s")
        );
        assert_eq!(seconds_text(Duration::from_secs(30)), "30 s");
        let tls = TransportError::Tls {
            host: host.clone(),
            kind: TlsFailure::UnknownIssuer,
            detail: "invalid peer certificate: UnknownIssuer".to_owned(),
        };
        assert!(!tls.is_retryable() && !tls.may_have_arrived());
        let message = tls.to_string();
        assert!(
            message.contains("unknown certificate authority"),
            "{message}"
        );
        assert!(message.contains("SSL_CERT_FILE"), "{message}");
        assert!(message.contains("not Pinterest's verdict"), "{message}");
        let refused = TransportError::ConnectionRefused { host };
        assert!(!refused.is_retryable() && !refused.may_have_arrived());
        assert!(refused.to_string().contains("refused"));
    }

    #[test]
    fn the_thread_sleeper_stops_when_cancelled() {
        let cancel = AtomicBool::new(true);
        let start = Instant::now();
        ThreadSleeper.sleep(Duration::from_hours(1), &cancel);
        assert!(start.elapsed() < Duration::from_hours(1));
    }
}
