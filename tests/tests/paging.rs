//! Paginators against a scripted local server: token paging (`Marker` with `IsTruncated`,
//! `NextToken`), numbered paging (`PageNumber` with `TotalCount`, a reported page size, or
//! neither; ROA's `page_info`), every end condition, the services that would make a listing
//! run forever, a failed page, and the `Stream` impls.

use futures_util::StreamExt;
use generated_sdk::{Config, Credentials, Error, PaginationError};
use serde_json::{Value, json};
use tests::hostile::{Reply, Request, Server};

fn config(server: &Server) -> Config {
    Config::builder()
        .credentials(Credentials::new("paging-id", "paging-secret", None))
        .region("cn-hangzhou")
        .endpoint(server.endpoint())
        .allow_http(true)
        .max_attempts(1)
        .build()
        .unwrap()
}

/// The query parameter `name` of a request, decoded.
fn param(request: &Request, name: &str) -> Option<String> {
    let query = request.target.split_once('?')?.1;
    generated_sdk::runtime::decode_query(query)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn reply(body: Value) -> Reply {
    Reply::json(200, &body.to_string())
}

/// What each request asked for: the values of `name`, in order.
fn asked(server: &Server, name: &str) -> Vec<Option<String>> {
    server.requests().iter().map(|r| param(r, name)).collect()
}

fn roles(names: &[&str]) -> Value {
    let list: Vec<Value> = names.iter().map(|n| json!({ "RoleName": n })).collect();
    json!({ "Role": list })
}

mod token {
    use super::*;
    use generated_sdk::alb::{self, ListAclsRequest};
    use generated_sdk::ram::{self, ListRolesRequest};

    #[tokio::test]
    async fn markers_are_followed_until_is_truncated_is_false() {
        let server = Server::start(|n, _| match n {
            0 => reply(json!({
                "RequestId": "p1", "IsTruncated": true, "Marker": "m-1",
                "Roles": roles(&["a", "b"]),
            })),
            1 => reply(json!({
                "RequestId": "p2", "IsTruncated": true, "Marker": "m-2",
                "Roles": roles(&["c"]),
            })),
            // The last page still carries a marker; `IsTruncated: false` ends the listing.
            _ => reply(json!({
                "RequestId": "p3", "IsTruncated": false, "Marker": "m-3",
                "Roles": roles(&["d"]),
            })),
        })
        .await;
        let client = ram::Client::new(config(&server));
        let request = ListRolesRequest::builder().max_items(2).build().unwrap();
        let names: Vec<String> = client
            .list_roles_pages(request)
            .items()
            .try_collect()
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.role_name.unwrap())
            .collect();
        assert_eq!(names, ["a", "b", "c", "d"]);
        assert_eq!(
            asked(&server, "Marker"),
            [None, Some("m-1".into()), Some("m-2".into())]
        );
        // The page size travels with every page.
        assert_eq!(asked(&server, "MaxItems"), vec![Some("2".to_owned()); 3]);
    }

    #[tokio::test]
    async fn a_page_without_a_token_or_with_an_empty_one_is_the_last() {
        for last in [
            json!({ "RequestId": "r" }),
            json!({ "RequestId": "r", "NextToken": "" }),
        ] {
            let server = Server::start(move |n, _| match n {
                0 => reply(json!({
                    "RequestId": "p1", "NextToken": "t-1",
                    "Acls": [{ "AclId": "acl-1" }],
                })),
                _ => {
                    let mut last = last.clone();
                    last["Acls"] = json!([{ "AclId": "acl-2" }]);
                    reply(last)
                }
            })
            .await;
            let client = alb::Client::new(config(&server));
            let mut pages = client.list_acls_pages(ListAclsRequest::builder().build().unwrap());
            let mut seen = 0;
            while let Some(page) = pages.next().await {
                page.unwrap();
                seen += 1;
            }
            assert_eq!(seen, 2);
            assert_eq!(server.hits(), 2);
            assert_eq!(asked(&server, "NextToken"), [None, Some("t-1".into())]);
        }
    }

    #[tokio::test]
    async fn a_listing_resumes_from_the_token_the_request_carries() {
        let server = Server::start(|_, _| reply(json!({ "RequestId": "r", "Acls": [] }))).await;
        let client = alb::Client::new(config(&server));
        let request = ListAclsRequest::builder()
            .next_token("resume-here")
            .max_results(10)
            .build()
            .unwrap();
        let pages: Vec<_> = client.list_acls_pages(request).try_collect().await.unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(asked(&server, "NextToken"), [Some("resume-here".into())]);
    }

    #[tokio::test]
    async fn a_repeated_token_ends_the_listing_with_an_error_after_its_page() {
        let server = Server::start(|_, _| {
            reply(json!({ "RequestId": "r", "NextToken": "stuck", "Acls": [{ "AclId": "x" }] }))
        })
        .await;
        let client = alb::Client::new(config(&server));
        let mut items = client
            .list_acls_pages(ListAclsRequest::builder().build().unwrap())
            .items();
        // The first page (sent without a token) and the second (sent with `stuck`, answered
        // with `stuck` again) are both delivered; then the error; then the end.
        assert!(items.next().await.unwrap().is_ok());
        assert!(items.next().await.unwrap().is_ok());
        let err = items.next().await.unwrap().unwrap_err();
        assert!(
            matches!(
                &err,
                Error::Pagination(PaginationError::RepeatedToken { token, .. }) if token == "stuck"
            ),
            "{err}"
        );
        assert!(err.to_string().contains("ListAcls"), "{err}");
        assert!(items.next().await.is_none());
        assert_eq!(server.hits(), 2);
    }

    #[tokio::test]
    async fn a_failed_page_ends_the_listing_after_its_error() {
        let server = Server::start(|n, _| match n {
            0 => {
                reply(json!({ "RequestId": "p1", "NextToken": "t-1", "Acls": [{ "AclId": "a" }] }))
            }
            _ => Reply::json(
                400,
                r#"{"RequestId":"p2","Code":"IllegalParameter","Message":"bad token"}"#,
            ),
        })
        .await;
        let client = alb::Client::new(config(&server));
        let mut pages = client.list_acls_pages(ListAclsRequest::builder().build().unwrap());
        assert!(pages.next().await.unwrap().is_ok());
        let err = pages.next().await.unwrap().unwrap_err();
        assert_eq!(
            err.service_error().unwrap().code.as_deref(),
            Some("IllegalParameter")
        );
        assert!(pages.next().await.is_none());
        assert_eq!(server.hits(), 2);
    }

    #[tokio::test]
    async fn nothing_is_sent_until_the_stream_is_read() {
        let server = Server::start(|_, _| reply(json!({ "RequestId": "r" }))).await;
        let client = ram::Client::new(config(&server));
        let pages = client.list_roles_pages(ListRolesRequest::builder().build().unwrap());
        tokio::task::yield_now().await;
        assert_eq!(server.hits(), 0);
        // A page without items and without a marker: one page, no items.
        let items: Vec<_> = pages.items().collect().await;
        assert!(items.is_empty());
        assert_eq!(server.hits(), 1);
    }
}

mod numbered {
    use super::*;
    use generated_sdk::cs::{self, DescribeClustersV1Request};
    use generated_sdk::ecs::{self, DescribeImagesRequest};

    /// Images `first..=last` as a DescribeImages page.
    fn images(ids: std::ops::RangeInclusive<u32>) -> Value {
        let list: Vec<Value> = ids
            .map(|i| json!({ "ImageId": format!("m-{i}") }))
            .collect();
        json!({ "Image": list })
    }

    fn page_of(request: &Request) -> u32 {
        param(request, "PageNumber").map_or(1, |p| p.parse().unwrap())
    }

    async fn ids(client: &ecs::Client, request: DescribeImagesRequest) -> Vec<String> {
        client
            .describe_images_pages(request)
            .items()
            .map(|i| i.unwrap().image_id.unwrap())
            .collect()
            .await
    }

    #[tokio::test]
    async fn the_page_that_reaches_the_total_count_is_the_last() {
        // Five images, two per page: pages 1, 2 and 3 (one image); no fourth request.
        let server = Server::start(|_, r| {
            let page = page_of(r);
            let first = (page - 1) * 2 + 1;
            reply(json!({
                "RequestId": "r", "TotalCount": 5, "PageNumber": page, "PageSize": 2,
                "Images": images(first..=(first + 1).min(5)),
            }))
        })
        .await;
        let client = ecs::Client::new(config(&server));
        let request = DescribeImagesRequest::builder()
            .region_id("cn-hangzhou")
            .page_size(2)
            .build()
            .unwrap();
        assert_eq!(
            ids(&client, request).await,
            ["m-1", "m-2", "m-3", "m-4", "m-5"]
        );
        // The first request is sent as the user built it; then pages 2 and 3.
        assert_eq!(
            asked(&server, "PageNumber"),
            [None, Some("2".into()), Some("3".into())]
        );
    }

    #[tokio::test]
    async fn a_full_last_page_is_recognised_by_the_total_count() {
        // Four images, two per page: the second page reaches the total; no empty third page.
        let server = Server::start(|_, r| {
            let page = page_of(r);
            let first = (page - 1) * 2 + 1;
            reply(json!({
                "RequestId": "r", "TotalCount": 4, "PageNumber": page, "PageSize": 2,
                "Images": images(first..=first + 1),
            }))
        })
        .await;
        let client = ecs::Client::new(config(&server));
        let request = DescribeImagesRequest::builder()
            .region_id("cn-hangzhou")
            .page_number(1)
            .page_size(2)
            .build()
            .unwrap();
        assert_eq!(ids(&client, request).await.len(), 4);
        assert_eq!(server.hits(), 2);
    }

    #[tokio::test]
    async fn without_a_total_a_page_shorter_than_the_reported_size_is_the_last() {
        // The service caps the page size at 3 (the request asked for 100) and says so.
        let server = Server::start(|_, r| {
            let page = page_of(r);
            let first = (page - 1) * 3 + 1;
            reply(json!({
                "RequestId": "r", "PageNumber": page, "PageSize": 3,
                "Images": images(first..=(first + 2).min(7)),
            }))
        })
        .await;
        let client = ecs::Client::new(config(&server));
        let request = DescribeImagesRequest::builder()
            .region_id("cn-hangzhou")
            .page_size(100)
            .build()
            .unwrap();
        assert_eq!(ids(&client, request).await.len(), 7);
        assert_eq!(server.hits(), 3);
    }

    #[tokio::test]
    async fn with_neither_total_nor_size_an_empty_page_is_the_last() {
        let server = Server::start(|_, r| {
            let page = page_of(r);
            let list = if page <= 2 {
                images(page * 10..=page * 10 + 1)
            } else {
                json!({ "Image": [] })
            };
            reply(json!({ "RequestId": "r", "Images": list }))
        })
        .await;
        let client = ecs::Client::new(config(&server));
        let request = DescribeImagesRequest::builder()
            .region_id("cn-hangzhou")
            .build()
            .unwrap();
        assert_eq!(
            ids(&client, request).await,
            ["m-10", "m-11", "m-20", "m-21"]
        );
        // The empty page is asked for and delivered (it is the last).
        assert_eq!(server.hits(), 3);
    }

    #[tokio::test]
    async fn a_listing_started_at_a_later_page_counts_from_it() {
        // Ten images, four per page, from page 2: pages 2 (5-8) and 3 (9-10).
        let server = Server::start(|_, r| {
            let page = page_of(r);
            let first = (page - 1) * 4 + 1;
            reply(json!({
                "RequestId": "r", "TotalCount": 10, "PageNumber": page, "PageSize": 4,
                "Images": images(first..=(first + 3).min(10)),
            }))
        })
        .await;
        let client = ecs::Client::new(config(&server));
        let request = DescribeImagesRequest::builder()
            .region_id("cn-hangzhou")
            .page_number(2)
            .page_size(4)
            .build()
            .unwrap();
        let got = ids(&client, request).await;
        assert_eq!(got.first().map(String::as_str), Some("m-5"));
        assert_eq!(got.len(), 6);
        assert_eq!(server.hits(), 2);
    }

    #[tokio::test]
    async fn a_service_that_ignores_the_page_number_is_caught() {
        // Always page 1, with a total it never reaches.
        let server = Server::start(|_, _| {
            reply(json!({
                "RequestId": "r", "TotalCount": 100, "PageNumber": 1,
                "Images": images(1..=2),
            }))
        })
        .await;
        let client = ecs::Client::new(config(&server));
        let request = DescribeImagesRequest::builder()
            .region_id("cn-hangzhou")
            .build()
            .unwrap();
        let mut pages = client.describe_images_pages(request);
        assert!(pages.next().await.unwrap().is_ok());
        assert!(pages.next().await.unwrap().is_ok());
        let err = pages.next().await.unwrap().unwrap_err();
        assert!(
            matches!(
                err,
                Error::Pagination(PaginationError::WrongPage {
                    asked: 2,
                    returned: 1,
                    ..
                })
            ),
            "{err}"
        );
        assert!(pages.next().await.is_none());
    }

    #[tokio::test]
    async fn roa_pages_are_asked_in_the_query_and_read_from_page_info() {
        let server = Server::start(|_, r| {
            let page: u32 = param(r, "page_number").map_or(1, |p| p.parse().unwrap());
            let clusters: Vec<Value> = (0..if page < 3 { 2 } else { 1 })
                .map(|i| json!({ "cluster_id": format!("c-{page}-{i}") }))
                .collect();
            reply(json!({
                "clusters": clusters,
                "page_info": { "page_number": page, "page_size": 2, "total_count": 5 },
            }))
        })
        .await;
        let client = cs::Client::new(config(&server));
        let request = DescribeClustersV1Request::builder()
            .page_size(2)
            .build()
            .unwrap();
        let clusters: Vec<_> = client
            .describe_clusters_v1_pages(request)
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(clusters.len(), 5);
        assert_eq!(
            asked(&server, "page_number"),
            [None, Some("2".into()), Some("3".into())]
        );
        assert!(
            server
                .requests()
                .iter()
                .all(|r| r.target.starts_with("/api/v1/clusters?"))
        );
    }
}
