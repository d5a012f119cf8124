//! The Lambda's adapter: API Gateway (payload 2.0 and 1.0), function-URL and direct-invoke events
//! onto `thumbprint-service`'s HTTP application ([`events`]), S3 notifications onto its
//! upload trigger ([`uploads`]) and S3 Batch Operations tasks onto its backfill ([`backfill`]).

pub mod backfill;
pub mod events;
pub mod uploads;
