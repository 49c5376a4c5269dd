//! Periodic work inside `serve` (and its one-shot commands): delivering the outbox.

pub mod outbox;
