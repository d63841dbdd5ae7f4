//! A stand-in for the Alibaba Cloud service, driven by the specs, for tests (feature `mock`).
//!
//! [`MockServer`] listens on `127.0.0.1` at a free port and checks every request it receives
//! against the operation's spec: action, version, method, path, every parameter (names, types,
//! enum values, the page's rules) and the V3 signature for the credentials it was started
//! with. A request that passes is answered with the page's example response, or with an error
//! of the operation's table (`fail_with`), or with throttling (`throttle_next`). Every request
//! is recorded (`requests`). It serves every operation this crate compiles in
//! ([`crate::OPERATIONS`]); the server itself is `sdk-runtime`'s, whose methods it offers.
//!
//! ```
//! use generated_sdk::mock::MockServer;
//! use generated_sdk::vpcipam::{Client, OpenVpcIpamServiceRequest};
//! use generated_sdk::Credentials;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = MockServer::start(Credentials::new("id", "secret", None)).await?;
//! let client = Client::new(server.config().build()?);
//! let request = OpenVpcIpamServiceRequest::builder().region_id("cn-hangzhou").build()?;
//! let response = client.open_vpc_ipam_service(request).await?;
//! assert_eq!(response.code.as_deref(), Some("200"));
//! assert_eq!(server.requests()[0].param("RegionId"), Some("cn-hangzhou"));
//! # Ok(())
//! # }
//! ```

pub use sdk_runtime::mock::{MockError, MockLimits, ReceivedRequest, THROTTLING_CODE, Verdict};

use crate::Credentials;

/// The spec-driven mock of every operation this crate compiles in. It stops when dropped;
/// its methods (`config`, `fail_with`, `throttle_next`, `requests`, ...) are those of
/// `sdk_runtime::mock::MockServer`, which it derefs to.
#[derive(Debug)]
pub struct MockServer(sdk_runtime::mock::MockServer);

impl MockServer {
    /// Starts a mock on a free port of 127.0.0.1 that accepts requests signed with
    /// `credentials`, with the default [`MockLimits`]. Needs a tokio runtime.
    pub async fn start(credentials: Credentials) -> Result<Self, MockError> {
        Self::start_with(credentials, MockLimits::default()).await
    }

    /// As [`start`](Self::start), with the given limits.
    pub async fn start_with(
        credentials: Credentials,
        limits: MockLimits,
    ) -> Result<Self, MockError> {
        sdk_runtime::mock::MockServer::start_with(credentials, limits, crate::OPERATIONS)
            .await
            .map(Self)
    }
}

impl std::ops::Deref for MockServer {
    type Target = sdk_runtime::mock::MockServer;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}
