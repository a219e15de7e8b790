//! Reaching headquarters: where the connection string comes from, TLS,
//! and timeouts so that a dead network fails instead of hanging.
//!
//! The connection string (a libpq URL, `postgresql://user:pw@host/db?…`,
//! or `key=value` words) holds a password, so it comes from a file or an
//! environment variable and is never printed. `--pg URL` exists for
//! scripts.

use super::HqError;
use crate::domain::station::Settings;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The environment variable holding headquarters' connection string.
pub const URL_ENV: &str = "SHIGUANG_HQ_URL";
/// A PEM file with the CA that signed headquarters' certificate (when it is
/// not one of the public CAs), unless the URL names one (`sslrootcert`).
pub const CA_ENV: &str = "SHIGUANG_HQ_CA";

/// A connection string and where it came from (the string itself is secret).
#[derive(Clone)]
pub struct Target {
    url: String,
    pub from: String,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Target(from {})", self.from)
    }
}

impl Target {
    pub fn new(url: &str, from: &str) -> Target {
        Target {
            url: url.trim().to_string(),
            from: from.to_string(),
        }
    }
}

/// The first line of a connection file that is not empty or a `#` comment.
pub fn read_url_file(path: &Path) -> Result<Target, HqError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| HqError::BadUrl(format!("{}: {e}", path.display())))?;
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .ok_or_else(|| HqError::BadUrl(format!("{}: no connection string", path.display())))?;
    Ok(Target::new(line, &path.display().to_string()))
}

fn from_env(name: &str) -> Option<Target> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|v| Target::new(&v, &format!("${name}")))
}

/// The station's own headquarters address, from its settings: a file
/// (`hq_url_file`) or an environment variable named by `hq_url_env`.
/// `None` when the station has none set (it does not sync at the close).
pub fn from_settings(s: &Settings) -> Option<Result<Target, HqError>> {
    if !s.hq_url_file.trim().is_empty() {
        return Some(read_url_file(Path::new(s.hq_url_file.trim())));
    }
    let name = s.hq_url_env.trim();
    if !name.is_empty() {
        return Some(from_env(name).ok_or_else(|| {
            HqError::BadUrl(format!("the environment variable {name} is not set"))
        }));
    }
    None
}

/// The connection string for a command: `--pg`, else `--pg-file`, else
/// `SHIGUANG_HQ_URL`, else the station's settings (when there is a station).
pub fn resolve(
    flag: Option<&str>,
    file: Option<&Path>,
    settings: Option<&Settings>,
) -> Result<Target, HqError> {
    if let Some(url) = flag {
        return Ok(Target::new(url, "--pg"));
    }
    if let Some(f) = file {
        return read_url_file(f);
    }
    if let Some(t) = from_env(URL_ENV) {
        return Ok(t);
    }
    settings
        .and_then(from_settings)
        .unwrap_or(Err(HqError::NoUrl))
}

/// `sslrootcert` is libpq's; the Rust client does not know it, so it is
/// taken out here (URL query or `key=value` form) and used as the CA file.
/// libpq's `verify-ca` / `verify-full` mean `require` here: a TLS
/// connection here always verifies the server's certificate.
fn split_libpq_extras(url: &str) -> (String, Option<PathBuf>) {
    let mut ca = None;
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let Some((base, query)) = url.split_once('?') else {
            return (url.to_string(), None);
        };
        let mut kept = Vec::new();
        for pair in query.split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "sslrootcert" => ca = Some(PathBuf::from(percent_decode(v))),
                "sslmode" if v == "verify-ca" || v == "verify-full" => {
                    kept.push("sslmode=require".to_string())
                }
                _ => kept.push(pair.to_string()),
            }
        }
        let url = if kept.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        return (url, ca);
    }
    let mut kept = Vec::new();
    for word in url.split_whitespace() {
        match word.split_once('=') {
            Some(("sslrootcert", v)) => ca = Some(PathBuf::from(v.trim_matches('\''))),
            Some(("sslmode", "verify-ca" | "verify-full")) => kept.push("sslmode=require"),
            _ => kept.push(word),
        }
    }
    (kept.join(" "), ca)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Some(v) = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An open connection to headquarters and where it goes (for messages).
pub struct Hq {
    pub client: postgres::Client,
    /// `host:port/database` — never the password.
    pub place: String,
}

impl std::fmt::Debug for Hq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Hq({})", self.place)
    }
}

/// Connect: plain unless the URL asks for TLS (`sslmode=require`); then
/// TLS with the server's certificate verified against the public CAs and
/// the CA of `sslrootcert` / `SHIGUANG_HQ_CA`. Timeouts are added where the
/// URL sets none: 10 s to connect, and a connection whose peer stops
/// answering (a network cut) fails after a minute instead of hanging.
pub fn connect(t: &Target) -> Result<Hq, HqError> {
    let (url, ca) = split_libpq_extras(&t.url);
    let mut cfg: postgres::Config = url
        .parse()
        .map_err(|e: postgres::Error| HqError::BadUrl(format!("{}: {e}", t.from)))?;
    if cfg.get_connect_timeout().is_none() {
        cfg.connect_timeout(Duration::from_secs(10));
    }
    if cfg.get_tcp_user_timeout().is_none() {
        cfg.tcp_user_timeout(Duration::from_secs(60));
    }
    cfg.keepalives_idle(Duration::from_secs(30));
    if cfg.get_application_name().is_none() {
        cfg.application_name("shiguang");
    }
    let place = place(&cfg);
    let client = if cfg.get_ssl_mode() == postgres::config::SslMode::Require {
        let ca = ca.or_else(|| std::env::var_os(CA_ENV).map(PathBuf::from));
        let tls = tls(ca.as_deref())?;
        cfg.connect(tls)
    } else {
        cfg.connect(postgres::NoTls)
    }
    .map_err(|e| HqError::Unreachable(format!("{place}: {}", with_sources(&e))))?;
    Ok(Hq { client, place })
}

/// An error with its causes ("error performing TLS handshake: invalid peer
/// certificate: UnknownIssuer"), which the outer message alone hides.
pub fn with_sources(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let c_text = c.to_string();
        if !s.contains(&c_text) {
            s.push_str(": ");
            s.push_str(&c_text);
        }
        cause = c.source();
    }
    s
}

fn place(cfg: &postgres::Config) -> String {
    use postgres::config::Host;
    let host = match cfg.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        // a unix-domain socket: the postgres crate has them on unix only
        #[cfg(unix)]
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = cfg.get_ports().first().copied().unwrap_or(5432);
    format!(
        "{host}:{port}/{}",
        cfg.get_dbname().or(cfg.get_user()).unwrap_or("")
    )
}

fn tls(ca: Option<&Path>) -> Result<tokio_postgres_rustls::MakeRustlsConnect, HqError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = ca {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .and_then(|it| it.collect::<Result<_, _>>())
            .map_err(|e| HqError::BadUrl(format!("{}: {e}", path.display())))?;
        if certs.is_empty() {
            return Err(HqError::BadUrl(format!(
                "{}: no certificate in the file",
                path.display()
            )));
        }
        for c in certs {
            roots
                .add(c)
                .map_err(|e| HqError::BadUrl(format!("{}: {e}", path.display())))?;
        }
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| HqError::BadUrl(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libpq_extras_are_taken_out() {
        let (url, ca) = split_libpq_extras(
            "postgresql://st:pw@hq.example:5432/hq?sslmode=verify-full&sslrootcert=%2Fetc%2Fhq-ca.pem&connect_timeout=5",
        );
        assert_eq!(
            url,
            "postgresql://st:pw@hq.example:5432/hq?sslmode=require&connect_timeout=5"
        );
        assert_eq!(ca, Some(PathBuf::from("/etc/hq-ca.pem")));
        let (url, ca) =
            split_libpq_extras("host=hq user=st sslmode=verify-ca sslrootcert=/etc/ca.pem");
        assert_eq!(url, "host=hq user=st sslmode=require");
        assert_eq!(ca, Some(PathBuf::from("/etc/ca.pem")));
        let (url, ca) = split_libpq_extras("postgresql://hq/db");
        assert_eq!((url.as_str(), ca), ("postgresql://hq/db", None));
    }

    #[test]
    fn the_place_never_shows_the_password() {
        let cfg: postgres::Config = "postgresql://st:secret@hq.example:6543/hq".parse().unwrap();
        assert_eq!(place(&cfg), "hq.example:6543/hq");
        let t = Target::new("postgresql://st:secret@hq/hq", "$SHIGUANG_HQ_URL");
        assert!(!format!("{t:?}").contains("secret"));
    }

    #[test]
    fn a_connection_file_skips_comments() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("hq.url");
        std::fs::write(&f, "# headquarters\n\n  postgresql://st@hq/hq  \n").unwrap();
        let t = read_url_file(&f).unwrap();
        assert_eq!(t.url, "postgresql://st@hq/hq");
        std::fs::write(&f, "# nothing\n").unwrap();
        assert!(matches!(read_url_file(&f), Err(HqError::BadUrl(_))));
    }
}
