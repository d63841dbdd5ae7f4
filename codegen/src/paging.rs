//! Emission of a paged operation's paging: the runtime's `Paged` (and, where the spec says
//! where the items are, `PagedItems`) for its request type, and the client's `<operation>_pages`
//! method. What a page means is decided by the runtime (`next_page`); generated code only reads
//! and writes the fields the spec names.

use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::code;
use crate::emit::{container_item, ident};
use crate::ir::{AccessIr, OperationIr, PaginationIr, PagingIr, Ty};

/// The name of the client method that streams an operation's pages.
pub(crate) fn pages_method(module: &str) -> String {
    format!("{}_pages", module.trim_start_matches("r#"))
}

/// `page.a.b.c` read as an `Option` through the nested objects, with `last` applied to the
/// final field (an `Option` of the field's type) inside.
fn read(
    root: TokenStream,
    access: &AccessIr,
    last: impl Fn(TokenStream) -> TokenStream,
) -> TokenStream {
    let fields: Vec<_> = access.fields.iter().map(|f| ident(f)).collect();
    match fields.as_slice() {
        [] => quote!(::std::option::Option::None),
        [only] => last(quote!(#root.#only)),
        [first, middle @ .., end] => {
            let end = last(quote!(v.#end));
            quote! {
                #root.#first.as_ref()
                    #(.and_then(|v| v.#middle.as_ref()))*
                    .and_then(|v| #end)
            }
        }
    }
}

/// An integer (or text holding one) read as `Option<i64>`.
fn count(root: TokenStream, access: &AccessIr) -> TokenStream {
    read(root, access, |x| match access.ty {
        Ty::I32 => quote!(#x.map(i64::from)),
        Ty::String => quote!(#x.as_deref().and_then(|t| t.trim().parse().ok())),
        _ => x,
    })
}

fn optional_count(access: Option<&AccessIr>) -> TokenStream {
    match access {
        Some(a) => count(quote!(page), a),
        None => quote!(::std::option::Option::None),
    }
}

/// `impl Paged` (and `PagedItems`) for the request type of a paged operation.
pub(crate) fn paged_impls(op: &OperationIr, p: &PaginationIr) -> TokenStream {
    let request = ident(op.request_name());
    let none = quote!(::std::option::Option::None);
    let items_count = match &p.items {
        Some(items) => read(
            quote!(page),
            items,
            |x| quote!(#x.as_ref().map(::std::vec::Vec::len)),
        ),
        None => none.clone(),
    };
    let body = match &p.paging {
        PagingIr::Token {
            input,
            output,
            more,
        } => {
            let field = ident(&input.fields[0]);
            let next_token = read(quote!(page), output, |x| quote!(#x.as_deref()));
            let more = match more {
                Some(m) => read(quote!(page), m, |x| x),
                None => none.clone(),
            };
            quote! {
                const PAGING: crate::runtime::Paging = crate::runtime::Paging::Token;
                fn token(&self) -> ::std::option::Option<&str> {
                    self.#field.as_deref()
                }
                fn set_token(&mut self, token: ::std::string::String) {
                    self.#field = ::std::option::Option::Some(token);
                }
                fn page_number(&self) -> ::std::option::Option<i64> {
                    ::std::option::Option::None
                }
                fn set_page_number(&mut self, _number: i64) -> bool {
                    false
                }
                fn facts(page: &Self::Response) -> crate::runtime::PageFacts<'_> {
                    crate::runtime::PageFacts {
                        next_token: #next_token,
                        more: #more,
                        items: #items_count,
                        ..::std::default::Default::default()
                    }
                }
            }
        }
        PagingIr::Number {
            number,
            total,
            returned_number,
            returned_size,
        } => {
            let field = ident(&number.fields[0]);
            let (get, set) = match number.ty {
                Ty::I32 => (
                    quote!(self.#field.map(i64::from)),
                    quote! {
                        match i32::try_from(number) {
                            ::std::result::Result::Ok(n) => {
                                self.#field = ::std::option::Option::Some(n);
                                true
                            }
                            ::std::result::Result::Err(_) => false,
                        }
                    },
                ),
                _ => (
                    quote!(self.#field),
                    quote! {
                        self.#field = ::std::option::Option::Some(number);
                        true
                    },
                ),
            };
            let total = optional_count(total.as_ref());
            let returned_number = optional_count(returned_number.as_ref());
            let returned_size = optional_count(returned_size.as_ref());
            quote! {
                const PAGING: crate::runtime::Paging = crate::runtime::Paging::Number;
                fn token(&self) -> ::std::option::Option<&str> {
                    ::std::option::Option::None
                }
                fn set_token(&mut self, _token: ::std::string::String) {}
                fn page_number(&self) -> ::std::option::Option<i64> {
                    #get
                }
                fn set_page_number(&mut self, number: i64) -> bool {
                    #set
                }
                fn facts(page: &Self::Response) -> crate::runtime::PageFacts<'_> {
                    crate::runtime::PageFacts {
                        items: #items_count,
                        total_count: #total,
                        page_number: #returned_number,
                        page_size: #returned_size,
                        ..::std::default::Default::default()
                    }
                }
            }
        }
    };
    let items = p.items.as_ref().map(|items| {
        let Ty::Vec(item) = &items.ty else {
            return TokenStream::new();
        };
        let item = container_item(item);
        let fields: Vec<_> = items.fields.iter().map(|f| ident(f)).collect();
        let take = match fields.as_slice() {
            [first, rest @ ..] => quote! {
                page.#first #(.and_then(|v| v.#rest))* .unwrap_or_default()
            },
            [] => quote!(::std::vec::Vec::new()),
        };
        quote! {
            impl crate::runtime::PagedItems for #request {
                type Item = #item;
                fn into_items(page: Self::Response) -> ::std::vec::Vec<#item> {
                    #take
                }
            }
        }
    });
    quote! {
        impl crate::runtime::Paged for #request {
            #body
        }
        #items
    }
}

/// The doc lines of the client's `<operation>_pages` method.
fn pages_doc(op: &OperationIr, p: &PaginationIr) -> Vec<String> {
    let mut lines = vec![format!(
        "The pages of {}'s listing, from the page `request` asks for, as an async stream \
         (`next().await` reads it without a stream library).",
        code(&op.operation)
    )];
    lines.push(String::new());
    let ends = match &p.paging {
        PagingIr::Token {
            input,
            output,
            more,
        } => {
            let mut text = format!(
                "Each page asks with {} for the token in the previous page's {}; the listing ends \
                 with a page without one",
                code(&input.wire),
                code(&output.wire)
            );
            if let Some(m) = more {
                text.push_str(&format!(" or whose {} is false", code(&m.wire)));
            }
            text.push('.');
            text
        }
        PagingIr::Number {
            number,
            total,
            returned_size,
            ..
        } => {
            let mut text = format!(
                "Pages are asked for by {}, from 1; the listing ends with an empty page",
                code(&number.wire)
            );
            if let Some(t) = total {
                text.push_str(&format!(", with the page that reaches {}", code(&t.wire)));
            }
            if let Some(s) = returned_size {
                text.push_str(&format!(", or with a page shorter than {}", code(&s.wire)));
            }
            text.push('.');
            text
        }
    };
    lines.push(ends);
    if let Some(size) = &p.page_size {
        lines.push(format!(
            "Set {} on the request to choose how many items a page holds.",
            code(&size.wire)
        ));
    }
    if let Some(items) = &p.items {
        lines.push(String::new());
        lines.push(format!(
            "`.items()` streams the items of {} one by one instead.",
            code(&items.wire)
        ));
    }
    lines
}

/// The client's `<operation>_pages` method of a paged operation.
pub(crate) fn pages_method_tokens(op: &OperationIr, p: &PaginationIr) -> TokenStream {
    let method = ident(&pages_method(&op.module));
    let request = ident(op.request_name());
    let docs = pages_doc(op, p).into_iter().map(|l| {
        let text = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #text])
    });
    quote! {
        #(#docs)*
        pub fn #method(&self, request: #request) -> crate::runtime::Pages<#request> {
            crate::runtime::Pages::new(self.inner.clone(), request)
        }
    }
}
