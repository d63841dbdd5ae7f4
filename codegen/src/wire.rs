//! Emission of what the runtime needs to call an operation: its `OPERATION` record (endpoint,
//! style, where each parameter travels), the `Operation` impl tying request, response and
//! error codes together, each product's `Client`, and the crate's catalog of operations.
//! Encoding, signing, retries and the mock server are runtime code driven by these records.

use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::{code, prose};
use crate::emit::ident;
use crate::ir::OperationIr;
use crate::spec::{Encoding, Endpoint, FieldType, Location, Style};

/// The runtime's record of one parameter: a shorthand for the common placements, the full
/// constructor otherwise. Bytes that are the body get the runtime's `Binary` encoding.
fn param_spec(name: &str, location: Location, encoding: Encoding, binary: bool) -> TokenStream {
    if binary {
        return quote! {
            crate::runtime::ParamSpec::new(
                #name,
                crate::runtime::Location::Body,
                crate::runtime::Encoding::Binary,
            ),
        };
    }
    match (location, encoding) {
        (Location::Query, Encoding::Plain) => quote!(crate::runtime::ParamSpec::query(#name),),
        (Location::Query, Encoding::Flat) => quote!(crate::runtime::ParamSpec::query_flat(#name),),
        (Location::Query, Encoding::Json) => quote!(crate::runtime::ParamSpec::query_json(#name),),
        (Location::Body, Encoding::JsonBody) => quote!(crate::runtime::ParamSpec::body(#name),),
        (location, encoding) => {
            let location = match location {
                Location::Query => quote!(Query),
                Location::Body => quote!(Body),
                Location::Form => quote!(Form),
                Location::Path => quote!(Path),
                Location::Header => quote!(Header),
                Location::Host => quote!(Host),
            };
            let encoding = match encoding {
                Encoding::Plain => quote!(Plain),
                Encoding::Flat => quote!(Flat),
                Encoding::Json => quote!(Json),
                Encoding::JsonBody => quote!(JsonBody),
                Encoding::Simple => quote!(Simple),
            };
            quote! {
                crate::runtime::ParamSpec::new(
                    #name,
                    crate::runtime::Location::#location,
                    crate::runtime::Encoding::#encoding,
                ),
            }
        }
    }
}

fn opt_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    }
}

/// The `OPERATION` record and the `Operation` impl of one operation module.
pub(crate) fn operation_items(op: &OperationIr) -> TokenStream {
    let (product, action, version) = (
        op.product.code.as_str(),
        op.operation.as_str(),
        op.api_version.as_str(),
    );
    let style = match op.style {
        Style::Rpc => quote!(crate::runtime::Style::Rpc),
        Style::Roa => quote!(crate::runtime::Style::Roa),
    };
    let method = op.method.as_str();
    let path = op.path.as_str();
    let regions = |regions: &std::collections::BTreeMap<String, String>| {
        let pairs = regions.iter().map(|(r, h)| quote!((#r, #h),));
        quote!(&[#(#pairs)*])
    };
    let endpoint = match &op.endpoint {
        Endpoint::Regional {
            host,
            regions: r,
            vpc,
        } => {
            let (r, vpc) = (regions(r), regions(vpc));
            quote!(crate::runtime::EndpointRule::Regional { host: #host, regions: #r, vpc: #vpc })
        }
        Endpoint::Global {
            hosts,
            regions: r,
            vpc,
        } => {
            let hosts = hosts.iter().map(|h| {
                let (site, host) = (h.site.as_str(), h.host.as_str());
                quote!(crate::runtime::SiteHost { site: #site, host: #host },)
            });
            let (r, vpc) = (regions(r), regions(vpc));
            quote!(crate::runtime::EndpointRule::Global { hosts: &[#(#hosts)*], regions: #r, vpc: #vpc })
        }
    };
    let params = op
        .params()
        .map(|(f, p)| param_spec(&f.wire, p.location, p.encoding, f.kind == FieldType::Binary));
    let token = opt_str(op.idempotency_token.as_deref());
    let success = opt_str(op.success_field.as_deref());
    // Compact JSON of the page's example, in the page's key order.
    let example = op
        .example_response
        .as_ref()
        .map(serde_json::Value::to_string);
    let example = opt_str(example.as_deref());
    let request = ident(op.request_name());
    let response = ident(op.response_name());
    let read_only = op.read_only;
    let anonymous = op.anonymous;
    let body = match op.response_body {
        crate::spec::BodyKind::Object => quote!(Object),
        crate::spec::BodyKind::Json => quote!(Json),
        crate::spec::BodyKind::Text => quote!(Text),
        crate::spec::BodyKind::Binary => quote!(Binary),
        crate::spec::BodyKind::None => quote!(None),
    };
    quote! {
        /// What the runtime needs to know to call this operation: endpoint, style, where each
        /// parameter travels, the error-code table and the page's example response. Also
        /// `<Request as Operation>::SPEC`.
        #[doc(hidden)]
        pub const OPERATION: crate::runtime::OperationSpec = crate::runtime::OperationSpec {
            product: #product,
            action: #action,
            version: #version,
            style: #style,
            method: #method,
            path: #path,
            endpoint: #endpoint,
            params: &[#(#params)*],
            idempotency_token: #token,
            read_only: #read_only,
            anonymous: #anonymous,
            success_field: #success,
            errors: &TABLE,
            example_response: #example,
            response_body: crate::runtime::ResponseBody::#body,
            #[cfg(feature = "mock")]
            check: crate::runtime::flat::check::<#request>,
        };

        impl crate::runtime::Operation for #request {
            type Response = #response;
            type ErrorCode = ErrorCode;
            const SPEC: &'static crate::runtime::OperationSpec = &OPERATION;
        }
    }
}

/// A product's `Client`, one method per operation.
pub(crate) fn product_client(ops: &[&OperationIr]) -> TokenStream {
    let Some(first) = ops.first() else {
        return TokenStream::new();
    };
    let product = first.product.code.as_str();
    let methods = ops.iter().map(|op| {
        let method = ident(&op.module);
        let module = &op.module;
        let (request, response) = (ident(op.request_name()), ident(op.response_name()));
        let mut lines: Vec<String> = match &op.summary {
            Some(summary) => {
                let mut lines = prose(summary);
                lines.push(String::new());
                lines
            }
            None => Vec::new(),
        };
        lines.push(format!(
            "Calls {} (API {}). The request is validated first; a service error's code reads \
             as [`{module}::ErrorCode`] through `{module}::ErrorCode::from_error`.",
            code(&op.operation),
            op.api_version
        ));
        let docs = lines.iter().map(|l| {
            let text = if l.is_empty() { String::new() } else { format!(" {l}") };
            quote!(#[doc = #text])
        });
        let pages = op
            .pagination
            .as_ref()
            .map(|p| crate::paging::pages_method_tokens(op, p));
        quote! {
            #(#docs)*
            pub async fn #method(&self, request: #request) -> ::std::result::Result<#response, crate::Error> {
                self.inner.call(request).await
            }
            #pages
        }
    });
    quote! {
        #[cfg(feature = "client")]
        crate::runtime::product_client!(#product);

        #[cfg(feature = "client")]
        impl Client {
            #(#methods)*
        }
    }
}

/// The crate's list of every operation, each behind its product's feature.
pub(crate) fn catalog_file(ops: &[(&OperationIr, String)]) -> TokenStream {
    let entries = ops.iter().map(|(op, path)| {
        let feature = op.product.module.as_str();
        let path = path.split("::").map(ident);
        let module = ident(&op.module);
        quote! {
            #[cfg(feature = #feature)]
            &crate::#(#path::)*#module::OPERATION,
        }
    });
    quote! {
        //! Every operation the enabled product features compile in.

        /// Every operation the enabled product features compile in, by product and action.
        pub static OPERATIONS: &[&crate::runtime::OperationSpec] = &[#(#entries)*];
    }
}
