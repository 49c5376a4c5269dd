//! Periodic work inside `serve` (and its one-shot commands): the digest scheduler, delivering the
//! outbox and webhooks, and the spike-alert check.

pub mod alerts;
pub mod digests;
pub mod outbox;
pub mod retention;
pub mod webhooks;
