//! Records behind the generated error-code tables and RAM authorization constants.

/// One row of an operation's documented error-code table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorCodeInfo {
    /// The HTTP status the error comes with.
    pub http_status: u16,
    /// The error code (the `Code` of the error body).
    pub code: &'static str,
    /// The error message the page documents.
    pub message: &'static str,
    /// The page's description, where it gives one.
    pub description: Option<&'static str>,
}

/// One row of an operation's RAM authorization table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RamAuthorization {
    /// The action for the `Action` element of a RAM policy (`bss:ModifyInstance`).
    pub action: &'static str,
    /// The access level (`create`, `read`, `list`, ...).
    pub access_level: &'static str,
    /// The resource types the action can be granted on.
    pub resource_types: &'static [RamResourceType],
    /// The condition keys the service defines for the action.
    pub condition_keys: &'static [&'static str],
    /// Actions the caller must also be allowed to perform.
    pub dependent_actions: &'static [&'static str],
}

/// A resource type of a RAM authorization row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RamResourceType {
    /// The resource type as the page names it (`All Resources`).
    pub name: &'static str,
    /// Whether the page marks it as required.
    pub required: bool,
    /// The resource ARN pattern, where the page gives one.
    pub arn: Option<&'static str>,
}
