//! Settings: defaults, then `scanback.toml`, then `SCANBACK_*` variables, then command-line flags
//! (each overriding the one before). Validated once at start so that a typo stops the program with a
//! message that names the setting, instead of failing later on the first request.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize)]
pub struct Settings {
    pub database_url: String,
    pub listen: String,
    pub public_url: String,
    pub data_dir: PathBuf,
    pub smtp_url: Option<SecretString>,
    pub mail_from: String,
    /// Feedback submissions one client address may send at once, then `submit_per_minute` more each
    /// minute. Behind a carrier-grade NAT many phones share one address: raise both there.
    pub submit_burst: u32,
    pub submit_per_minute: u32,
    /// Domain of the `reply+{token}@...` addresses on replies to customers; unset, customers answer
    /// through the `/r/{token}` link only.
    #[serde(default)]
    pub reply_domain: Option<String>,
    /// Lets webhook endpoints resolve to private, loopback and link-local addresses (a receiver on
    /// the operator's own network, tests). Off by default: the SSRF guard.
    #[serde(default)]
    pub webhook_allow_private: bool,
    /// Seconds between two spike checks inside `serve`.
    #[serde(default = "default_alert_check_seconds")]
    pub alert_check_seconds: u64,
    /// Seconds between two runs of the retention limits inside `serve`; 0 runs none (a scheduler
    /// outside runs `scanback customer retention` instead).
    #[serde(default = "default_retention_check_seconds")]
    pub retention_check_seconds: u64,
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` header names the client: addresses or
    /// networks (`10.0.0.0/8`), a list or one comma-separated string. Empty (the default): the TCP
    /// peer is the client and those headers are ignored, since anyone can send them.
    #[serde(default, deserialize_with = "networks")]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// When set, `GET /metrics` answers only requests with `Authorization: Bearer <this>` (401
    /// otherwise), so a public listener does not show traffic figures to everyone.
    #[serde(default)]
    pub metrics_token: Option<SecretString>,
}

fn default_alert_check_seconds() -> u64 {
    60
}

fn default_retention_check_seconds() -> u64 {
    3600
}

/// `["10.0.0.1", "10.1.0.0/16"]` in scanback.toml, `10.0.0.1,10.1.0.0/16` in the environment.
fn networks<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ipnet::IpNet>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    let items: Vec<String> = match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => s.split(',').map(str::to_owned).collect(),
        OneOrMany::Many(v) => v,
    };
    items
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| network(s).map_err(serde::de::Error::custom))
        .collect()
}

/// `10.0.0.0/8`, or one address (`192.0.2.7`, `::1`).
pub fn network(s: &str) -> Result<ipnet::IpNet, String> {
    s.parse::<ipnet::IpNet>()
        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("`{s}` is not an IP address or network such as 10.0.0.0/8"))
}

/// Values given on the command line; `None` leaves the lower layers in charge.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smtp_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail_from: Option<String>,
}

#[derive(Serialize)]
struct Defaults {
    database_url: &'static str,
    listen: &'static str,
    public_url: &'static str,
    data_dir: &'static str,
    mail_from: &'static str,
    submit_burst: u32,
    submit_per_minute: u32,
}

const DEFAULTS: Defaults = Defaults {
    database_url: "sqlite://scanback-data/scanback.db?mode=rwc",
    listen: "127.0.0.1:8080",
    public_url: "http://127.0.0.1:8080",
    data_dir: "scanback-data",
    mail_from: "scanback <noreply@localhost>",
    submit_burst: 10,
    submit_per_minute: 2,
};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    Load(#[from] Box<figment::Error>),
    #[error("{setting}: {message}")]
    Invalid { setting: &'static str, message: String },
}

fn invalid(setting: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid { setting, message: message.into() }
}

impl Settings {
    /// Loads and validates. `config_file` defaults to `scanback.toml` in the working directory; a
    /// missing default file is fine, a missing file named on the command line is not.
    pub fn load(config_file: Option<&Path>, overrides: &Overrides) -> Result<Settings, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(DEFAULTS));
        match config_file {
            Some(path) if !path.exists() => {
                return Err(invalid("config file", format!("{} does not exist", path.display())));
            }
            Some(path) => figment = figment.merge(Toml::file(path)),
            None => figment = figment.merge(Toml::file("scanback.toml")),
        }
        let settings: Settings = figment
            .merge(Env::prefixed("SCANBACK_").ignore(&["test_postgres_url"]))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(Box::new)?;
        settings.validated()
    }

    fn validated(mut self) -> Result<Settings, ConfigError> {
        let db = self.database_url.trim().to_owned();
        if !(db.starts_with("sqlite:") || db.starts_with("postgres://") || db.starts_with("postgresql://")) {
            return Err(invalid(
                "SCANBACK_DATABASE_URL",
                format!("`{db}` is not a database URL: use sqlite://PATH?mode=rwc or postgres://USER@HOST/DB"),
            ));
        }
        if db.starts_with("postgres") {
            url::Url::parse(&db)
                .map_err(|e| invalid("SCANBACK_DATABASE_URL", format!("`{db}` is not a valid URL: {e}")))?;
        }
        self.database_url = db;

        let public = url::Url::parse(self.public_url.trim())
            .map_err(|e| invalid("SCANBACK_PUBLIC_URL", format!("`{}` is not a valid URL: {e}", self.public_url)))?;
        if !matches!(public.scheme(), "http" | "https") || public.host_str().is_none() {
            return Err(invalid("SCANBACK_PUBLIC_URL", "must be an http:// or https:// URL with a host name"));
        }
        if public.query().is_some() || public.fragment().is_some() || public.path() != "/" {
            return Err(invalid(
                "SCANBACK_PUBLIC_URL",
                "must be the bare origin (scheme, host, optional port) without a path: codes are served at /q/CODE",
            ));
        }
        self.public_url = public.as_str().trim_end_matches('/').to_owned();

        if self.listen.trim().is_empty() {
            return Err(invalid("SCANBACK_LISTEN", "must be an address such as 127.0.0.1:8080"));
        }
        if let Some(smtp) = &self.smtp_url {
            smtp_host_port(smtp.expose_secret())?;
        }
        lettre::message::Mailbox::from_str_checked(&self.mail_from)?;
        if let Some(domain) = self.reply_domain.as_mut() {
            let d = domain.trim().trim_start_matches('@').to_ascii_lowercase();
            let ok = d.contains('.')
                && d.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
            if !ok {
                return Err(invalid(
                    "SCANBACK_REPLY_DOMAIN",
                    format!("`{domain}` is not a domain such as mail.example.com"),
                ));
            }
            *domain = d;
        }
        if self.metrics_token.as_ref().is_some_and(|t| t.expose_secret().trim().len() < 16) {
            return Err(invalid("SCANBACK_METRICS_TOKEN", "must be at least 16 characters (a random string)"));
        }
        if !(1..=86_400).contains(&self.alert_check_seconds) {
            return Err(invalid("SCANBACK_ALERT_CHECK_SECONDS", "must be from 1 to 86400 seconds"));
        }
        if !(0..=86_400).contains(&self.retention_check_seconds) {
            return Err(invalid("SCANBACK_RETENTION_CHECK_SECONDS", "must be from 0 (off) to 86400 seconds"));
        }
        if self.submit_burst == 0 || self.submit_per_minute == 0 {
            return Err(invalid("SCANBACK_SUBMIT_BURST / SCANBACK_SUBMIT_PER_MINUTE", "must be at least 1"));
        }
        Ok(self)
    }

    /// Checks what can only be checked on the network: the SMTP host name resolves.
    pub async fn check_reachable(&self) -> Result<(), ConfigError> {
        if let Some(smtp) = &self.smtp_url {
            let (host, port) = smtp_host_port(smtp.expose_secret())?;
            let mut addresses = tokio::net::lookup_host((host.as_str(), port))
                .await
                .map_err(|e| invalid("SCANBACK_SMTP_URL", format!("the SMTP host `{host}` cannot be resolved: {e}")))?;
            if addresses.next().is_none() {
                return Err(invalid("SCANBACK_SMTP_URL", format!("the SMTP host `{host}` has no address")));
            }
        }
        Ok(())
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

fn smtp_host_port(raw: &str) -> Result<(String, u16), ConfigError> {
    let parsed = url::Url::parse(raw)
        .map_err(|e| invalid("SCANBACK_SMTP_URL", format!("not a valid URL ({e}); use smtp://user:pass@host:port")))?;
    let default_port = match parsed.scheme() {
        "smtp" => 587,
        "smtps" => 465,
        other => {
            return Err(invalid(
                "SCANBACK_SMTP_URL",
                format!("scheme `{other}` is not supported; use smtp:// or smtps://"),
            ));
        }
    };
    let host =
        parsed.host_str().filter(|h| !h.is_empty()).ok_or_else(|| invalid("SCANBACK_SMTP_URL", "has no host name"))?;
    Ok((host.trim_matches(['[', ']']).to_owned(), parsed.port().unwrap_or(default_port)))
}

trait CheckedMailbox {
    fn from_str_checked(s: &str) -> Result<(), ConfigError>;
}

impl CheckedMailbox for lettre::message::Mailbox {
    fn from_str_checked(s: &str) -> Result<(), ConfigError> {
        s.parse::<lettre::message::Mailbox>().map(|_| ()).map_err(|e| {
            invalid("SCANBACK_MAIL_FROM", format!("`{s}` is not a mail address ({e}); use `Name <addr@host>`"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Settings {
        Settings {
            database_url: DEFAULTS.database_url.into(),
            listen: DEFAULTS.listen.into(),
            public_url: DEFAULTS.public_url.into(),
            data_dir: DEFAULTS.data_dir.into(),
            smtp_url: None,
            mail_from: DEFAULTS.mail_from.into(),
            submit_burst: DEFAULTS.submit_burst,
            submit_per_minute: DEFAULTS.submit_per_minute,
            reply_domain: None,
            webhook_allow_private: false,
            alert_check_seconds: 60,
            retention_check_seconds: 3600,
            trusted_proxies: Vec::new(),
            metrics_token: None,
        }
    }

    #[test]
    fn a_reply_domain_is_a_bare_domain_name() {
        let mut s = defaults();
        s.reply_domain = Some("@Reply.Example.com".into());
        assert_eq!(s.validated().unwrap().reply_domain.as_deref(), Some("reply.example.com"));
        assert!(refusal(|s| s.reply_domain = Some("not a domain".into())).contains("SCANBACK_REPLY_DOMAIN"));
    }

    fn refusal(f: impl FnOnce(&mut Settings)) -> String {
        let mut s = defaults();
        f(&mut s);
        s.validated().map(|_| ()).unwrap_err().to_string()
    }

    #[test]
    fn bad_values_are_refused_with_the_setting_named() {
        let e = refusal(|s| s.database_url = "mysql://x".into());
        assert!(e.contains("SCANBACK_DATABASE_URL"), "{e}");
        let e = refusal(|s| s.public_url = "ftp://host".into());
        assert!(e.contains("SCANBACK_PUBLIC_URL"), "{e}");
        let e = refusal(|s| s.public_url = "https://host/app".into());
        assert!(e.contains("bare origin"), "{e}");
        let e = refusal(|s| s.smtp_url = Some("http://mail".into()));
        assert!(e.contains("SCANBACK_SMTP_URL"), "{e}");
        let e = refusal(|s| s.mail_from = "not a mailbox".into());
        assert!(e.contains("SCANBACK_MAIL_FROM"), "{e}");
    }

    #[test]
    fn trusted_proxies_come_from_a_list_or_a_comma_separated_string() {
        #[derive(Deserialize)]
        struct T {
            #[serde(deserialize_with = "networks")]
            p: Vec<ipnet::IpNet>,
        }
        let t: T = serde_json::from_str(r#"{"p": "10.0.0.0/8, 192.0.2.7,::1"}"#).unwrap();
        assert_eq!(t.p.len(), 3);
        assert!(t.p[1].contains(&"192.0.2.7".parse::<std::net::IpAddr>().unwrap()));
        let t: T = serde_json::from_str(r#"{"p": ["10.1.0.0/16"]}"#).unwrap();
        assert_eq!(t.p, vec!["10.1.0.0/16".parse::<ipnet::IpNet>().unwrap()]);
        let e = serde_json::from_str::<T>(r#"{"p": "proxy.example"}"#).map(|_| ()).unwrap_err().to_string();
        assert!(e.contains("not an IP address"), "{e}");
    }

    #[test]
    fn the_defaults_are_valid_and_the_public_url_loses_its_trailing_slash() {
        assert!(defaults().validated().is_ok());
        let mut s = defaults();
        s.public_url = "https://scan.example.com/".into();
        assert_eq!(s.validated().unwrap().public_url, "https://scan.example.com");
    }
}
