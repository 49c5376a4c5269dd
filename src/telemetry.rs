use tracing_subscriber::EnvFilter;

/// Logs to stderr (stdout is for command output such as JSON); `RUST_LOG` overrides the level.
pub fn init(default_level: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
