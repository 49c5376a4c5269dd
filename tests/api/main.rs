#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Integration tests: the real application on a random port, a fresh database per test (SQLite file,
//! or PostgreSQL when SCANBACK_TEST_POSTGRES_URL is set), a real SMTP server, real QR decoders.

mod abuse;
mod accounts;
mod alerts;
mod artwork;
mod backup;
mod broadcasts;
mod browser;
mod cli;
mod customer_data;
mod dashboard;
mod db_faults;
mod digest;
mod digest_schedule;
mod durability;
mod end_to_end;
mod feedback_form;
mod gs1;
mod health;
mod helpers;
mod idor;
mod inbox;
mod load;
mod members;
mod openapi;
mod photos;
mod print_share;
mod product_lines;
mod proxy;
mod replies;
mod reports;
mod resubmission;
mod roles;
mod rollups;
mod scan_page;
mod scans;
mod secrets_in_logs;
mod security;
mod stats;
mod strict_api;
mod suggestions;
mod themes;
mod webhooks;
mod xss;
mod zones;
