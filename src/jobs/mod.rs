//! Periodic work inside `serve` (and its one-shot commands): delivering the outbox and webhooks, and
//! the spike-alert check.

pub mod alerts;
pub mod outbox;
pub mod webhooks;
