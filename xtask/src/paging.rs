//! Recognising a paged list operation from its spec, for the importers: Alibaba Cloud's list
//! operations name their paging parameters the same way across products (`NextToken` and
//! `MaxResults`, `Marker` and `MaxItems` with `IsTruncated`, `PageNumber` and `PageSize` with
//! `TotalCount`; ROA products write them in snake case, some inside a `PageInfo` object).
//! An importer adds the `pagination` block it finds, with a note saying what it was inferred
//! from; a spec that already has one keeps it.

use codegen::spec::{Field, FieldType, Note, Pagination, Spec};

/// What the spec's names say about paging.
#[derive(Debug, Clone, PartialEq)]
pub enum Inference {
    /// A paged operation: its pagination block, and the note that records the inference.
    Paged(Pagination, Note),
    /// Paging parameters without a way to finish the block: why.
    Incomplete(String),
    /// Nothing says the operation is paged.
    NotPaged,
}

/// A wire name as the comparisons see it: lower case, without `_` or `-`.
fn norm(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_integer(f: &Field) -> bool {
    matches!(f.ty, FieldType::Integer | FieldType::Long)
}

fn is_count(f: &Field) -> bool {
    matches!(
        f.ty,
        FieldType::Integer | FieldType::Long | FieldType::String
    )
}

/// The request's parameters as the request type holds them (a JSON body's fields in place
/// of the body).
fn request_fields(spec: &Spec) -> Vec<&Field> {
    let mut out = Vec::new();
    for p in &spec.request.parameters {
        if p.encoding == Some(codegen::spec::Encoding::JsonBody) {
            out.extend(p.fields.iter().flatten());
        } else {
            out.push(p);
        }
    }
    out
}

fn find<'a>(fields: &[&'a Field], names: &[&str], ok: fn(&Field) -> bool) -> Option<&'a Field> {
    names.iter().find_map(|n| {
        fields
            .iter()
            .find(|f| f.name.as_deref().is_some_and(|w| norm(w) == *n) && ok(f))
            .copied()
    })
}

/// A response element by one of `names`: at the top, or inside a top-level object whose name
/// speaks of pages (`PageInfo`). Its dotted wire path.
fn response_element(spec: &Spec, names: &[&str], ok: fn(&Field) -> bool) -> Option<String> {
    let top: Vec<&Field> = spec.response.fields.iter().collect();
    if let Some(f) = find(&top, names, ok) {
        return f.name.clone();
    }
    for holder in &top {
        let (Some(name), Some(inner)) = (&holder.name, &holder.fields) else {
            continue;
        };
        if holder.ty != FieldType::Object || !norm(name).contains("page") {
            continue;
        }
        let inner: Vec<&Field> = inner.iter().collect();
        if let Some(f) = find(&inner, names, ok) {
            return Some(format!("{name}.{}", f.name.as_deref().unwrap_or_default()));
        }
    }
    None
}

/// The response's lists a page's items could be: a top-level list, or the one list inside a
/// top-level object (the XML-style wrapper, `Images.Image`).
fn item_lists(spec: &Spec) -> Vec<String> {
    let mut out = Vec::new();
    for f in &spec.response.fields {
        let Some(name) = &f.name else { continue };
        match f.ty {
            FieldType::Array => out.push(name.clone()),
            FieldType::Object => {
                let lists: Vec<&Field> = f
                    .fields
                    .iter()
                    .flatten()
                    .filter(|g| g.ty == FieldType::Array)
                    .collect();
                if let [one] = lists.as_slice()
                    && !norm(name).contains("page")
                    && let Some(inner) = &one.name
                {
                    out.push(format!("{name}.{inner}"));
                }
            }
            _ => {}
        }
    }
    out
}

/// What `spec`'s parameter and response names say about paging.
pub fn infer(spec: &Spec) -> Inference {
    let request = request_fields(spec);
    let text = |f: &Field| f.ty == FieldType::String;
    let boolean = |f: &Field| f.ty == FieldType::Boolean;
    let lists = item_lists(spec);
    let items = match lists.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    };
    let size_names = ["maxresults", "maxresult", "maxitems", "maxkeys", "pagesize"];
    let styles: [(&str, &[&str]); 2] = [
        ("nexttoken", &["nexttoken"]),
        ("marker", &["marker", "nextmarker"]),
    ];
    for (token, outputs) in styles {
        let Some(input) = find(&request, &[token], text) else {
            continue;
        };
        let Some(output) = response_element(spec, outputs, text) else {
            continue;
        };
        let input_token = input.name.clone().unwrap_or_default();
        let page_size = find(&request, &size_names, is_integer).and_then(|f| f.name.clone());
        let more = response_element(spec, &["istruncated"], boolean);
        let mut from = vec![format!("`{input_token}`")];
        from.extend(page_size.iter().map(|s| format!("`{s}`")));
        let mut said = vec![format!("`{output}`")];
        said.extend(more.iter().map(|m| format!("`{m}`")));
        let note = Note {
            about: "/pagination".to_owned(),
            text: format!(
                "Token paging inferred from the request's {} and the response's {}{}.",
                from.join(" and "),
                said.join(" and "),
                match &items {
                    Some(i) => format!("; the items are `{i}`"),
                    None => format!(
                        "; no item list is named ({})",
                        if lists.is_empty() {
                            "the response has none".to_owned()
                        } else {
                            format!("several could be: {}", lists.join(", "))
                        }
                    ),
                }
            ),
        };
        return Inference::Paged(
            Pagination::Token {
                input_token,
                output_token: output,
                page_size,
                more,
                items: items.clone(),
            },
            note,
        );
    }
    let Some(number) = find(&request, &["pagenumber", "pageno", "pagenum"], is_integer) else {
        return Inference::NotPaged;
    };
    let page_number = number.name.clone().unwrap_or_default();
    let Some(items) = items else {
        return Inference::Incomplete(format!(
            "the request's `{page_number}` pages the results, but {}: add a `pagination` block \
             that names the items",
            if lists.is_empty() {
                "the response has no list of items".to_owned()
            } else {
                format!("the items could be any of {}", lists.join(", "))
            }
        ));
    };
    let page_size = find(&request, &["pagesize"], is_integer).and_then(|f| f.name.clone());
    let total_count =
        response_element(spec, &["totalcount", "total", "totalrecordcount"], is_count);
    let returned_page_number =
        response_element(spec, &["pagenumber", "pageno", "pagenum"], is_count);
    let returned_page_size = response_element(spec, &["pagesize"], is_count);
    let mut said: Vec<String> = [&total_count, &returned_page_number, &returned_page_size]
        .into_iter()
        .flatten()
        .map(|s| format!("`{s}`"))
        .collect();
    said.insert(0, format!("`{items}`"));
    let mut from = vec![format!("`{page_number}`")];
    from.extend(page_size.iter().map(|s| format!("`{s}`")));
    let note = Note {
        about: "/pagination".to_owned(),
        text: format!(
            "Numbered paging inferred from the request's {} and the response's {}.",
            from.join(" and "),
            said.join(", ")
        ),
    };
    Inference::Paged(
        Pagination::Page {
            page_number,
            page_size,
            items,
            total_count,
            returned_page_number,
            returned_page_size,
        },
        note,
    )
}

/// Adds the pagination block the names show to a spec that has none, with its note; what is
/// reported when the block cannot be completed, if anything.
pub fn apply(spec: &mut Spec) -> Option<String> {
    if spec.pagination.is_some() {
        return None;
    }
    match infer(spec) {
        Inference::Paged(p, note) => {
            spec.pagination = Some(p);
            spec.notes.retain(|n| n.about != "/pagination");
            spec.notes.push(note);
            None
        }
        Inference::Incomplete(why) => Some(why),
        Inference::NotPaged => None,
    }
}
