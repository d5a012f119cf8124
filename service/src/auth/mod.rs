//! Authorization: API Gateway's JWT authorizer, applied by the local server where the gateway
//! would apply it (`Authorizer`, feature `jwt`) and the page's sign-in settings ([`page`]). The
//! development issuer (`thumbprint serve --dev-auth`) is the command line's, never the Lambda's.
//!
//! In AWS the gateway checks tokens before the function runs and the function only reads the
//! claims it passes on; locally `Authorizer::authorize` checks them with the same rules
//! ([`rules`]) and the request reaches the same handler with the same claims.

pub mod page;

#[cfg(feature = "jwt")]
mod authorizer;
#[cfg(feature = "jwt")]
pub mod keys;
#[cfg(feature = "jwt")]
pub mod rules;

#[cfg(feature = "jwt")]
pub use authorizer::{denial_response, Authorizer};
#[cfg(feature = "jwt")]
pub use keys::{KeySource, Location};
#[cfg(feature = "jwt")]
pub use rules::{Denial, Granted, Rules};
