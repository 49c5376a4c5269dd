//! Integration tests: the real application on a random port, a fresh database per test (SQLite file,
//! or PostgreSQL when SCANBACK_TEST_POSTGRES_URL is set), a real SMTP server, real QR decoders.

mod artwork;
mod cli;
mod digest;
mod end_to_end;
mod health;
mod helpers;
mod print_share;
mod product_lines;
mod reports;
mod scan_page;
