use tracing_subscriber::EnvFilter;

/// Logs to stderr (stdout is for command output such as JSON); `RUST_LOG` overrides the level.
/// Whatever `RUST_LOG` says, lettre's SMTP client stays at info: at debug it logs every mail it
/// writes, whole, and mails carry reset and invitation links, reply tokens and customers' addresses
/// (SECURITY.md, V7; `secrets_in_logs` runs `serve` at debug and greps its log).
pub fn init(default_level: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let filter = match "lettre=info".parse() {
        Ok(quiet) => filter.add_directive(quiet),
        Err(_) => filter,
    };
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
