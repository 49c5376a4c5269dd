//! Periodic work inside `serve` (and its one-shot commands): the digest scheduler and the outbox.

pub mod digests;
pub mod outbox;
