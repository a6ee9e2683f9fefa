//! The real [`Transport`]: blocking `reqwest` with rustls.
//!
//! - Certificates are checked by rustls-platform-verifier: the operating system's trust store
//!   (on Linux, the files of `ca-certificates`). On Linux its loader already reads
//!   `SSL_CERT_FILE` *instead of* the system store; on macOS and Windows the platform verifier
//!   ignores that variable. So pinspect also adds the certificates of `SSL_CERT_FILE` as extra
//!   roots itself, which makes the variable work the same everywhere — the usual fix behind a
//!   TLS-inspecting proxy.
//! - Proxies come from `HTTPS_PROXY` / `NO_PROXY` (reqwest's system proxy); a loopback endpoint
//!   (a mock server) is always reached directly.
//! - Redirects are not followed (an API does not redirect; following would carry the token
//!   elsewhere), the connection and the whole exchange have timeouts, and the answer is read up
//!   to a size cap.
//! - Failures are classified into [`TransportError`] by walking the error's causes.

use std::error::Error as StdError;
use std::io::Read as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, LOCATION, RETRY_AFTER};

use super::plan::Endpoint;
use super::token::AccessToken;
use super::transport::{HttpResponse, TlsFailure, Transport, TransportError};

/// The environment variable naming extra trusted CA certificates (PEM).
pub const CA_FILE_ENV: &str = "SSL_CERT_FILE";

/// Settings of the HTTP client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpConfig {
    /// Limit for opening the connection (TCP and TLS).
    pub connect_timeout: Duration,

    /// Limit for the whole exchange, answer included.
    pub timeout: Duration,

    /// The most answer bytes read; a longer answer is cut and reported as too large.
    pub max_response_bytes: usize,

    /// PEM file of extra trusted CA certificates (`SSL_CERT_FILE`).
    pub ca_file: Option<PathBuf>,

    /// Use `HTTPS_PROXY` / `NO_PROXY`; `false` connects directly.
    pub use_system_proxy: bool,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_mins(1),
            max_response_bytes: 4 * 1024 * 1024,
            ca_file: None,
            use_system_proxy: true,
        }
    }
}

impl HttpConfig {
    /// The defaults, with `SSL_CERT_FILE` as the CA file when set.
    pub fn from_env() -> Self {
        Self {
            ca_file: std::env::var_os(CA_FILE_ENV)
                .filter(|path| !path.is_empty())
                .map(PathBuf::from),
            ..Self::default()
        }
    }

    /// These settings for `endpoint`: a loopback endpoint bypasses every proxy, so a proxy set
    /// for the whole machine can never intercept traffic meant for a local mock.
    #[must_use]
    pub fn for_endpoint(mut self, endpoint: &Endpoint) -> Self {
        if endpoint.is_loopback() {
            self.use_system_proxy = false;
        }
        self
    }
}

/// A blocking HTTPS client. Create it on the thread that sends (not inside an async runtime).
#[derive(Debug)]
pub struct HttpTransport {
    client: reqwest::blocking::Client,
    config: HttpConfig,

    /// When set, each exchange runs on a helper thread that is abandoned as soon as this
    /// turns true: a cancel then takes effect at once instead of after the time limit.
    cancel: Option<Arc<AtomicBool>>,
}

impl HttpTransport {
    /// Builds the client; fails with [`TransportError::Setup`] when the CA file cannot be used
    /// or no trusted certificate is available at all.
    pub fn new(config: HttpConfig) -> Result<Self, TransportError> {
        let client = builder(&config)?
            .build()
            .map_err(|err| TransportError::Setup {
                detail: causes(&err),
            })?;
        Ok(Self {
            client,
            config,
            cancel: None,
        })
    }

    /// Abandons a request on the wire when `cancel` turns true; it fails with
    /// [`TransportError::Cancelled`] (the events may have arrived) and the helper thread's
    /// answer, if one ever comes, is dropped.
    #[must_use]
    pub fn with_cancel(mut self, cancel: Arc<AtomicBool>) -> Self {
        self.cancel = Some(cancel);
        self
    }
}

/// How often a waiting exchange looks at the cancel flag.
const CANCEL_POLL: Duration = Duration::from_millis(50);

fn builder(config: &HttpConfig) -> Result<reqwest::blocking::ClientBuilder, TransportError> {
    let mut builder = reqwest::blocking::Client::builder()
        .tls_backend_rustls()
        .user_agent(concat!("pinspect/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(config.connect_timeout)
        .timeout(config.timeout)
        .redirect(reqwest::redirect::Policy::none());
    if !config.use_system_proxy {
        builder = builder.no_proxy();
    }
    if let Some(path) = &config.ca_file {
        builder = builder.tls_certs_merge(read_ca_file(path)?);
    }
    Ok(builder)
}

fn read_ca_file(path: &std::path::Path) -> Result<Vec<reqwest::Certificate>, TransportError> {
    let setup = |what: String| TransportError::Setup {
        detail: format!("{CA_FILE_ENV}={} {what}", path.display()),
    };
    let bytes = std::fs::read(path).map_err(|err| setup(format!("cannot be read: {err}")))?;
    let certificates = reqwest::Certificate::from_pem_bundle(&bytes)
        .map_err(|err| setup(format!("is not a PEM certificate file: {}", causes(&err))))?;
    if certificates.is_empty() {
        return Err(setup(
            "holds no PEM certificate (-----BEGIN CERTIFICATE-----)".to_owned(),
        ));
    }
    Ok(certificates)
}

impl Transport for HttpTransport {
    fn post_json(
        &self,
        url: &str,
        token: &AccessToken,
        body: &[u8],
    ) -> Result<HttpResponse, TransportError> {
        let host = host_of(url);

        let mut authorization = HeaderValue::try_from(format!("Bearer {}", token.expose()))
            .map_err(|_| TransportError::Setup {
                detail: "the access token cannot be sent in an HTTP header".to_owned(),
            })?;
        authorization.set_sensitive(true);

        let Some(cancel) = &self.cancel else {
            return exchange(
                &self.client,
                &self.config,
                url,
                authorization,
                body.to_vec(),
            );
        };

        // On a helper thread, so that waiting can stop when the user cancels.
        let (sender, receiver) = std::sync::mpsc::channel();
        let client = self.client.clone();
        let config = self.config.clone();
        let owned_url = url.to_owned();
        let owned_body = body.to_vec();
        std::thread::Builder::new()
            .name("pinspect-http".to_owned())
            .spawn(move || {
                let result = exchange(&client, &config, &owned_url, authorization, owned_body);
                // The receiver is gone when the exchange was abandoned; nothing to do then.
                let _ = sender.send(result);
            })
            .map_err(|err| TransportError::Setup {
                detail: format!("cannot start the request thread: {err}"),
            })?;
        loop {
            match receiver.recv_timeout(CANCEL_POLL) {
                Ok(result) => return result,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(TransportError::Cancelled { host });
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(TransportError::Other {
                        host,
                        detail: "the request thread ended without an answer".to_owned(),
                        reached_server: true,
                    });
                }
            }
        }
    }
}

/// One POST and its answer, read up to the size cap.
fn exchange(
    client: &reqwest::blocking::Client,
    config: &HttpConfig,
    url: &str,
    authorization: HeaderValue,
    body: Vec<u8>,
) -> Result<HttpResponse, TransportError> {
    let host = host_of(url);
    let mut response = client
        .post(url)
        .header(AUTHORIZATION, authorization)
        .header(CONTENT_TYPE, "application/json")
        .header(ACCEPT, "application/json")
        .body(body)
        .send()
        .map_err(|err| classify(&err, &host, config.timeout))?;

    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    let mut answer = HttpResponse {
        status: response.status().as_u16(),
        content_type: header(CONTENT_TYPE),
        retry_after: header(RETRY_AFTER),
        location: header(LOCATION),
        body: Vec::new(),
        body_truncated: false,
    };

    let limit = config.max_response_bytes;
    let read = (&mut response)
        .take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut answer.body);
    if let Err(err) = read {
        return Err(classify(&err, &host, config.timeout));
    }
    if answer.body.len() > limit {
        answer.body.truncate(limit);
        answer.body_truncated = true;
    }
    Ok(answer)
}

/// `host:port` of a URL, for messages.
fn host_of(url: &str) -> String {
    url::Url::parse(url).map_or_else(
        |_| url.to_owned(),
        |url| {
            let host = url.host_str().unwrap_or_default();
            match url.port_or_known_default() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_owned(),
            }
        },
    )
}

/// Every cause of an error, following the errors wrapped inside `io::Error`s (where rustls
/// puts its handshake errors).
fn chain<'a>(err: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut found = Vec::new();
    let mut next = Some(err);
    while let Some(current) = next {
        found.push(current);
        if found.len() > 32 {
            break;
        }
        next = match current
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => current.source(),
        };
    }
    found
}

/// The causes' messages, outermost first, without repeats.
fn causes(err: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in chain(err) {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

/// Sorts a failure into the kinds the user can act on.
fn classify(err: &(dyn StdError + 'static), host: &str, timeout: Duration) -> TransportError {
    let causes_list = chain(err);
    let detail = causes(err);

    if let Some(tls) = causes_list
        .iter()
        .find_map(|c| c.downcast_ref::<rustls::Error>())
    {
        return TransportError::Tls {
            host: host.to_owned(),
            kind: tls_failure(tls),
            detail: tls.to_string(),
        };
    }

    let reqwest_errors: Vec<&reqwest::Error> = causes_list
        .iter()
        .filter_map(|c| c.downcast_ref::<reqwest::Error>())
        .collect();
    let timed_out = reqwest_errors.iter().any(|e| e.is_timeout())
        || causes_list.iter().any(|c| {
            c.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        });
    let connecting = reqwest_errors.iter().any(|e| e.is_connect());

    if timed_out {
        return if connecting {
            TransportError::ConnectTimeout {
                host: host.to_owned(),
            }
        } else {
            TransportError::Timeout {
                host: host.to_owned(),
                limit: timeout,
            }
        };
    }
    if causes_list.iter().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
    }) {
        return TransportError::ConnectionRefused {
            host: host.to_owned(),
        };
    }
    if reqwest_errors.iter().any(|e| e.is_dns()) {
        let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
        return TransportError::Dns {
            host: name.to_owned(),
            detail: causes_list
                .last()
                .map_or_else(|| detail.clone(), ToString::to_string),
        };
    }
    if reqwest_errors.iter().any(|e| e.is_builder()) {
        return TransportError::Setup { detail };
    }
    TransportError::Other {
        host: host.to_owned(),
        detail,
        reached_server: !connecting,
    }
}

fn tls_failure(err: &rustls::Error) -> TlsFailure {
    use rustls::CertificateError as C;

    match err {
        rustls::Error::InvalidCertificate(certificate) => match certificate {
            C::UnknownIssuer => TlsFailure::UnknownIssuer,
            C::Expired
            | C::NotValidYet
            | C::ExpiredContext { .. }
            | C::NotValidYetContext { .. } => TlsFailure::Expired,
            C::NotValidForName | C::NotValidForNameContext { .. } => TlsFailure::NameMismatch,
            _ => TlsFailure::Other,
        },
        _ => TlsFailure::Other,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// A resolver that knows no name, so the DNS path is exercised without any network.
    struct NoNames;

    impl reqwest::dns::Resolve for NoNames {
        fn resolve(&self, _name: reqwest::dns::Name) -> reqwest::dns::Resolving {
            Box::pin(std::future::ready(Err(
                "no such host (test resolver)".into()
            )))
        }
    }

    #[test]
    fn a_dns_failure_is_classified() {
        let client = builder(&HttpConfig::default())
            .unwrap()
            .no_proxy()
            .dns_resolver(Arc::new(NoNames))
            .build()
            .unwrap();
        let err = client
            .post("http://api.pinterest.invalid/v5")
            .send()
            .unwrap_err();
        let classified = classify(&err, "api.pinterest.invalid:80", Duration::from_secs(1));
        assert!(
            matches!(&classified, TransportError::Dns { host, .. } if host == "api.pinterest.invalid"),
            "{classified:?}"
        );
        assert!(!classified.is_retryable() && !classified.may_have_arrived());
        assert!(classified.to_string().contains("could not resolve"));
    }

    #[test]
    fn tls_errors_are_sorted_by_kind() {
        use rustls::CertificateError as C;

        let kind = |e| tls_failure(&rustls::Error::InvalidCertificate(e));
        assert_eq!(kind(C::UnknownIssuer), TlsFailure::UnknownIssuer);
        assert_eq!(kind(C::Expired), TlsFailure::Expired);
        assert_eq!(kind(C::NotValidForName), TlsFailure::NameMismatch);
        assert_eq!(kind(C::BadSignature), TlsFailure::Other);

        let wrapped = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(C::UnknownIssuer),
        );
        let classified = classify(&wrapped, "h:443", Duration::from_secs(1));
        assert!(
            matches!(
                classified,
                TransportError::Tls {
                    kind: TlsFailure::UnknownIssuer,
                    ..
                }
            ),
            "{classified:?}"
        );
    }

    #[test]
    fn a_bad_ca_file_is_a_setup_error() {
        let folder = tempfile::tempdir().unwrap();
        let empty = folder.path().join("empty.pem");
        std::fs::write(&empty, "no certificates here\n").unwrap();
        for path in [empty, folder.path().join("missing.pem")] {
            let config = HttpConfig {
                ca_file: Some(path.clone()),
                ..HttpConfig::default()
            };
            let err = HttpTransport::new(config).unwrap_err();
            assert!(matches!(err, TransportError::Setup { .. }), "{err:?}");
            assert!(err.to_string().contains("SSL_CERT_FILE="), "{err}");
        }
    }

    #[test]
    fn loopback_endpoints_bypass_proxies() {
        let mock = Endpoint::new("http://127.0.0.1:9", "1", true).unwrap();
        assert!(!HttpConfig::default().for_endpoint(&mock).use_system_proxy);
        let real = Endpoint::new("https://api.pinterest.com/v5", "1", true).unwrap();
        assert!(HttpConfig::default().for_endpoint(&real).use_system_proxy);
        assert_eq!(
            host_of("https://api.pinterest.com/v5/x"),
            "api.pinterest.com:443"
        );
    }
}
