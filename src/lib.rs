//! scanback: product feedback by durable QR codes.

/// `println!` for command output that may be piped into `head`: a closed pipe ends the output
/// quietly instead of panicking.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

pub mod app;
pub mod artwork;
pub mod commands;
pub mod config;
pub mod digest;
pub mod domain;
pub mod i18n;
pub mod mail;
pub mod photos;
pub mod store;
pub mod telemetry;
pub mod web;
