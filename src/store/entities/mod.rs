//! sea-orm entities, one per table. Relations are expressed in the queries that need them.

pub mod api_token;
pub mod digest_delivery;
pub mod line_link;
pub mod manufacturer;
pub mod print_share;
pub mod print_share_line;
pub mod product_line;
pub mod report;
pub mod report_photo;
pub mod report_rollup;
pub mod scan_count;
pub mod user;
