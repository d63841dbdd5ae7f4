//! A product's endpoint rule, inferred from its official region → host list.
//!
//! Most products follow one pattern (`ecs.{region}.aliyuncs.com`) with exceptions
//! (`ecs-cn-hangzhou.aliyuncs.com`); the rule is the pattern the most regions follow, and
//! every region it does not give right is listed by name, so the rule reproduces the list
//! exactly. A product whose hosts never name their region is global: its most common host,
//! with the other regions listed.

use std::collections::BTreeMap;

use codegen::spec::{Endpoint, SiteHost};

/// The rule, and a note where the list did not decide it.
pub fn infer(
    code: &str,
    endpoints: &[(String, String)],
    vpc_endpoints: &[(String, String)],
) -> (Endpoint, Option<String>) {
    let vpc: BTreeMap<String, String> = vpc_endpoints
        .iter()
        .filter(|(r, h)| !r.is_empty() && !h.is_empty())
        .cloned()
        .collect();
    let (mut endpoint, note) = infer_public(code, endpoints);
    match &mut endpoint {
        Endpoint::Regional { vpc: v, .. } | Endpoint::Global { vpc: v, .. } => *v = vpc,
    }
    (endpoint, note)
}

fn infer_public(code: &str, endpoints: &[(String, String)]) -> (Endpoint, Option<String>) {
    let listed: Vec<(&str, &str)> = endpoints
        .iter()
        .map(|(r, h)| (r.as_str(), h.as_str()))
        .filter(|(r, h)| !r.is_empty() && !h.is_empty())
        .collect();
    if listed.is_empty() {
        let host = format!("{}.{{region}}.aliyuncs.com", code.to_ascii_lowercase());
        let note = format!(
            "The metadata lists no endpoint for {code}; the host follows the usual pattern `{host}`."
        );
        return (
            Endpoint::Regional {
                host,
                regions: BTreeMap::new(),
                vpc: BTreeMap::new(),
            },
            Some(note),
        );
    }
    // Each candidate pattern and how many regions it gives right; each fixed host and how
    // many regions use it.
    let mut patterns: BTreeMap<String, usize> = BTreeMap::new();
    let mut fixed: BTreeMap<&str, usize> = BTreeMap::new();
    for (region, host) in &listed {
        if host.contains(region) {
            *patterns
                .entry(host.replacen(region, "{region}", 1))
                .or_default() += 1;
        }
        *fixed.entry(host).or_default() += 1;
    }
    // Ties go to the entry that sorts first, so the choice is stable.
    let best_pattern = patterns
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(p, n)| (p.clone(), *n));
    let best_fixed = fixed
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(h, n)| ((*h).to_owned(), *n));
    let exceptions = |gives: &dyn Fn(&str) -> String| -> BTreeMap<String, String> {
        listed
            .iter()
            .filter(|(region, host)| gives(region) != *host)
            .map(|(r, h)| ((*r).to_owned(), (*h).to_owned()))
            .collect()
    };
    // The list is not empty, so some host is the most common.
    let (host, shared) = best_fixed.unwrap_or_default();
    match best_pattern {
        // A pattern gives at least as many regions right as any one host: a regional product.
        Some((template, n)) if n >= shared => {
            let regions = exceptions(&|region| template.replacen("{region}", region, 1));
            (
                Endpoint::Regional {
                    host: template,
                    regions,
                    vpc: BTreeMap::new(),
                },
                None,
            )
        }
        // A host shared by more regions than any pattern gives: a global product.
        _ => {
            let regions = exceptions(&|_| host.clone());
            let hosts = vec![SiteHost {
                site: "default".to_owned(),
                host,
            }];
            (
                Endpoint::Global {
                    hosts,
                    regions,
                    vpc: BTreeMap::new(),
                },
                None,
            )
        }
    }
}

/// The VPC host `endpoint` gives `region`, where it has one.
pub fn vpc_host_for(endpoint: &Endpoint, region: &str) -> Option<String> {
    match endpoint {
        Endpoint::Regional { vpc, .. } | Endpoint::Global { vpc, .. } => vpc.get(region).cloned(),
    }
}

/// The host `endpoint` gives `region` (the default site for a global rule).
pub fn host_for(endpoint: &Endpoint, region: &str) -> Option<String> {
    match endpoint {
        Endpoint::Regional { host, regions, .. } => Some(
            regions
                .get(region)
                .cloned()
                .unwrap_or_else(|| host.replacen("{region}", region, 1)),
        ),
        Endpoint::Global { hosts, regions, .. } => regions
            .get(region)
            .cloned()
            .or_else(|| hosts.first().map(|h| h.host.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(r, h)| ((*r).to_owned(), (*h).to_owned()))
            .collect()
    }

    #[test]
    fn the_most_followed_pattern_wins_and_exceptions_are_listed() {
        let endpoints = list(&[
            ("cn-qingdao", "ecs.cn-qingdao.aliyuncs.com"),
            ("cn-beijing", "ecs.cn-beijing.aliyuncs.com"),
            ("cn-hangzhou", "ecs-cn-hangzhou.aliyuncs.com"),
            ("us-east-1", "ecs.aliyuncs.com"),
        ]);
        let (rule, note) = infer("Ecs", &endpoints, &[]);
        assert_eq!(note, None);
        for (region, host) in &endpoints {
            assert_eq!(host_for(&rule, region).as_deref(), Some(host.as_str()));
        }
        let Endpoint::Regional { host, regions, .. } = rule else {
            panic!("regional")
        };
        assert_eq!(host, "ecs.{region}.aliyuncs.com");
        assert_eq!(regions.len(), 2);
    }

    #[test]
    fn hosts_without_regions_make_a_global_rule() {
        let endpoints = list(&[
            ("cn-hangzhou", "business.aliyuncs.com"),
            ("cn-beijing", "business.aliyuncs.com"),
            ("ap-southeast-1", "business.ap-southeast-1.aliyuncs.com"),
        ]);
        let (rule, _) = infer("BssOpenApi", &endpoints, &[]);
        for (region, host) in &endpoints {
            assert_eq!(host_for(&rule, region).as_deref(), Some(host.as_str()));
        }
    }

    #[test]
    fn no_list_gives_the_usual_pattern_and_says_so() {
        let (rule, note) = infer("Foo", &[], &[]);
        assert_eq!(
            host_for(&rule, "cn-beijing").as_deref(),
            Some("foo.cn-beijing.aliyuncs.com")
        );
        assert!(note.unwrap().contains("no endpoint"));
    }
}
