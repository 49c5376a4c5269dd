//! sea-orm entities, one per table. Relations are expressed in the queries that need them.

pub mod api_token;
pub mod broadcast;
pub mod digest_delivery;
pub mod invitation;
pub mod line_day;
pub mod line_link;
pub mod login_failure;
pub mod lot_volume;
pub mod manufacturer;
pub mod outbox_message;
pub mod password_reset;
pub mod print_share;
pub mod print_share_line;
pub mod product_line;
pub mod reply_token;
pub mod report;
pub mod report_event;
pub mod report_note;
pub mod report_photo;
pub mod report_reply;
pub mod report_rollup;
pub mod scan_count;
pub mod session;
pub mod user;
