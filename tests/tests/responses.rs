//! What real servers send, tolerated: extra fields, scalars in the other JSON form, error
//! bodies in any key case, XML, empty or HTML bodies. Never a panic, never a false success.

use generated_sdk::Error;
use generated_sdk::bssopenapi::CreateInstanceRequest;
use generated_sdk::bssopenapi::create_instance::ErrorCode;
use generated_sdk::runtime::{Operation, parse_response};
use generated_sdk::vpcipam::OpenVpcIpamServiceRequest;

fn bss(status: u16, body: &str) -> Result<<CreateInstanceRequest as Operation>::Response, Error> {
    parse_response::<CreateInstanceRequest>(status, body.as_bytes())
}

#[test]
fn unlisted_fields_are_ignored_and_scalars_read_in_either_form() {
    let response = parse_response::<OpenVpcIpamServiceRequest>(
        200,
        br#"{"RequestId": "r", "Code": 200, "Message": "ok", "NewField": {"a": [1, 2]}}"#,
    )
    .unwrap();
    assert_eq!(response.code.as_deref(), Some("200"));
    assert_eq!(response.request_id.as_deref(), Some("r"));

    let response = bss(
        200,
        r#"{"Success": "true", "Data": {"OrderId": 20240521, "InstanceId": "i"}}"#,
    )
    .unwrap();
    assert_eq!(response.success, Some(true));
    assert_eq!(response.data.unwrap().order_id.as_deref(), Some("20240521"));
}

#[test]
fn a_success_flag_of_false_in_either_form_is_a_service_error() {
    for flag in ["false", "\"false\"", "\"FALSE\""] {
        let body = format!(
            r#"{{"Success": {flag}, "Code": "InvalidOwner", "Message": "m", "RequestId": "r"}}"#
        );
        let err = bss(200, &body).unwrap_err();
        assert_eq!(
            ErrorCode::from_error(&err),
            Some(ErrorCode::InvalidOwner),
            "{flag}"
        );
        assert_eq!(err.service_error().unwrap().status, 200);
    }
}

#[test]
fn error_bodies_in_any_key_case_are_read() {
    let err = bss(400, r#"{"code": "InvalidOwner", "message": "not yours", "requestId": "req-1", "recommend": "https://r"}"#)
        .unwrap_err();
    let service = err.service_error().unwrap();
    assert_eq!(service.code.as_deref(), Some("InvalidOwner"));
    assert_eq!(service.message.as_deref(), Some("not yours"));
    assert_eq!(service.request_id.as_deref(), Some("req-1"));
    assert_eq!(service.recommend.as_deref(), Some("https://r"));
    assert_eq!(service.info.map(|i| i.code), Some("InvalidOwner"));
    // A numeric code is read as its text.
    let err = bss(400, r#"{"Code": 400, "Message": "m"}"#).unwrap_err();
    assert_eq!(ErrorCode::from_error(&err), Some(ErrorCode::Code400));
}

#[test]
fn an_xml_error_body_is_read() {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <RequestId>5C2B3C3E</RequestId>
  <HostId>business.aliyuncs.com</HostId>
  <Code>InternalError</Code>
  <Message>a &lt;b&gt; &amp; c</Message>
</Error>"#;
    let err = bss(500, body).unwrap_err();
    let service = err.service_error().unwrap();
    assert_eq!(service.code.as_deref(), Some("InternalError"));
    assert_eq!(service.message.as_deref(), Some("a <b> & c"));
    assert_eq!(service.request_id.as_deref(), Some("5C2B3C3E"));
    assert_eq!(service.host_id.as_deref(), Some("business.aliyuncs.com"));
    assert_eq!(ErrorCode::from_error(&err), Some(ErrorCode::InternalError));
    assert!(err.is_retryable());
}

#[test]
fn empty_and_html_bodies_are_service_errors_with_their_status() {
    for (status, body) in [
        (502, ""),
        (
            504,
            "<html><head><title>504 Gateway Time-out</title></head><body>nginx</body></html>",
        ),
        (403, "Forbidden"),
        (429, "{}"),
    ] {
        let err = bss(status, body).unwrap_err();
        let service = err
            .service_error()
            .unwrap_or_else(|| panic!("{status}: {err}"));
        assert_eq!(service.status, status);
        assert_eq!(service.code, None);
        assert_eq!(service.body, body);
        assert_eq!(ErrorCode::from_error(&err), None);
        assert_eq!(
            err.to_string(),
            format!("CreateInstance failed with HTTP {status}")
        );
    }
}

#[test]
fn a_success_status_with_an_unreadable_body_is_a_decode_error_not_a_success() {
    let err = bss(200, "<html>maintenance</html>").unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err}");
    };
    assert_eq!(decode.action, "CreateInstance");
    assert_eq!(decode.path, ".");

    let err = bss(200, r#"{"Data": {"OrderId": {"nested": true}}}"#).unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err}");
    };
    assert_eq!(decode.path, "Data.OrderId");
    assert_eq!(
        err.to_string(),
        "CreateInstance: cannot read the response (HTTP 200) at Data.OrderId: invalid type: map, expected a string"
    );
}
