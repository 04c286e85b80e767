//! Signature verification: V3 and V1 accepted when correct; wrong secrets, unknown keys,
//! replayed nonces, stale timestamps, tampered requests refused with the gateway's codes;
//! anonymous operations and the emulator's own STS keys.

mod common;

use std::time::{Duration, SystemTime};

use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::{Credentials, SignatureVersion};
use alibabacloud_emulator::{DEFAULT_ACCESS_KEY_ID, Emulator};
use alibabacloud_sts_20150401 as sts;
use common::*;

#[tokio::test]
async fn v3_and_v1_are_accepted_when_correct() {
    let emulator = Emulator::start().await.unwrap();
    for call in [
        Call::new(&emulator, "ListUserCertificateOrder", CAS2020),
        Call::new(&emulator, "ListUserCertificateOrder", CAS2020).v1(),
        Call::new(&emulator, "ListUserCertificateOrder", CAS2020).get(),
        Call::new(&emulator, "ListUserCertificateOrder", CAS2020)
            .v1()
            .get(),
        // Form bodies are signed by V1 and hashed by V3.
        Call::new(&emulator, "ListUserCertificateOrder", CAS2020).form("ShowSize", "5"),
        Call::new(&emulator, "ListUserCertificateOrder", CAS2020)
            .v1()
            .form("ShowSize", "5"),
    ] {
        let call = call.param("Keyword", "a b*c/~中");
        let reply = call.send(&emulator).await;
        assert_eq!(reply.status, 200, "{call:?}: {}", reply.body);
        assert!(reply.body["RequestId"].is_string());
        assert_eq!(
            reply.request_id_header.as_deref(),
            reply.body["RequestId"].as_str()
        );
    }
    let versions: Vec<_> = emulator
        .requests()
        .iter()
        .map(|r| r.signature_version)
        .collect();
    assert_eq!(versions[0], Some(SignatureVersion::V3));
    assert_eq!(versions[1], Some(SignatureVersion::V1));
    assert!(
        emulator
            .requests()
            .iter()
            .all(|r| r.access_key_id.as_deref() == Some(DEFAULT_ACCESS_KEY_ID))
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn wrong_secret_is_signature_does_not_match_echoing_the_string_to_sign() {
    let emulator = Emulator::start().await.unwrap();
    for call in [
        Call::new(&emulator, "ListUserCertificateOrder", CAS2020),
        Call::new(&emulator, "ListUserCertificateOrder", CAS2020).v1(),
    ] {
        let reply = call
            .secret("not-the-secret")
            .param("Keyword", "x")
            .send(&emulator)
            .await;
        assert_eq!((reply.status, reply.code()), (400, "SignatureDoesNotMatch"));
        let message = reply.message();
        assert!(message.starts_with("Specified signature is not matched with our calculation."));
        let (_, theirs) = message.split_once("server string to sign is:").unwrap();
        assert_eq!(
            theirs, reply.string_to_sign,
            "the server signs the same bytes"
        );
        assert_eq!(
            reply.body["Recommend"],
            "https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&product=cas"
        );
        assert_eq!(reply.body["HostId"], emulator.local_addr().to_string());
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_sdk_diagnoses_a_wrong_secret() {
    let emulator = Emulator::start().await.unwrap();
    let config = config(&emulator)
        .credentials(Credentials::new(DEFAULT_ACCESS_KEY_ID, "wrong"))
        .build();
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let client =
            cas2020::Client::new(&config.to_builder().signature_version(version).build()).unwrap();
        let error = client
            .list_user_certificate_order()
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.code(), Some("SignatureDoesNotMatch"));
        assert_eq!(error.http_status(), Some(400));
        assert!(
            error.message().contains("the access key secret is wrong"),
            "{}",
            error.message()
        );
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn tampered_requests_are_refused() {
    let emulator = Emulator::start().await.unwrap();
    // A parameter added after signing.
    for call in [
        Call::new(&emulator, "ListUserCertificateOrder", CAS2020),
        Call::new(&emulator, "ListUserCertificateOrder", CAS2020).v1(),
    ] {
        let reply = call.tamper_query("ShowSize", "1").send(&emulator).await;
        assert_eq!(reply.code(), "SignatureDoesNotMatch", "{}", reply.body);
        let (_, theirs) = reply.message().split_once("is:").unwrap();
        assert_ne!(theirs, reply.string_to_sign);
    }
    // A body other than the hashed one.
    let reply = Call::new(&emulator, "ListUserCertificateOrder", CAS2020)
        .form("ShowSize", "5")
        .tamper_body(b"ShowSize=6")
        .send(&emulator)
        .await;
    assert_eq!((reply.status, reply.code()), (400, "InvalidContentSha256"));
    emulator.shutdown().await;
}

#[tokio::test]
async fn unknown_access_key_is_404() {
    let emulator = Emulator::start().await.unwrap();
    for call in [
        Call::new(&emulator, "ListUserCertificateOrder", CAS2020),
        Call::new(&emulator, "ListUserCertificateOrder", CAS2020).v1(),
    ] {
        let reply = call.key("LTAI-nobody", "x").send(&emulator).await;
        assert_eq!(
            (reply.status, reply.code()),
            (404, "InvalidAccessKeyId.NotFound")
        );
        assert_eq!(reply.message(), "Specified access key is not found.");
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_replayed_nonce_is_refused() {
    let emulator = Emulator::start().await.unwrap();
    for call in [
        Call::new(&emulator, "ListUserCertificateOrder", CAS2020),
        Call::new(&emulator, "ListUserCertificateOrder", CAS2020).v1(),
    ] {
        let call = call.nonce(&alibabacloud_core::signing::new_nonce());
        assert_eq!(call.send(&emulator).await.status, 200);
        let replay = call.send(&emulator).await;
        assert_eq!((replay.status, replay.code()), (400, "SignatureNonceUsed"));
        assert_eq!(
            replay.message(),
            "Specified signature nonce was used already."
        );
    }
    // A request refused for its signature does not burn its nonce.
    let call = Call::new(&emulator, "ListUserCertificateOrder", CAS2020);
    assert_eq!(
        call.clone().secret("bad").send(&emulator).await.code(),
        "SignatureDoesNotMatch"
    );
    assert_eq!(call.send(&emulator).await.status, 200);
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_stale_or_malformed_timestamp_is_refused() {
    let emulator = Emulator::start().await.unwrap();
    let old = SystemTime::now() - Duration::from_secs(20 * 60);
    let future = SystemTime::now() + Duration::from_secs(20 * 60);
    let near = SystemTime::now() - Duration::from_secs(10 * 60);
    for v1 in [false, true] {
        let call = |time| {
            let call = Call::new(&emulator, "ListUserCertificateOrder", CAS2020).at(time);
            if v1 { call.v1() } else { call }
        };
        for time in [old, future] {
            let reply = call(time).send(&emulator).await;
            assert_eq!(
                (reply.status, reply.code()),
                (400, "InvalidTimeStamp.Expired")
            );
            assert_eq!(
                reply.message(),
                "Specified time stamp or date value is expired."
            );
        }
        assert_eq!(
            call(near).send(&emulator).await.status,
            200,
            "10 minutes off is fine"
        );
        let reply = call(near)
            .timestamp("2025-01-02 03:04:05")
            .send(&emulator)
            .await;
        assert_eq!(
            (reply.status, reply.code()),
            (400, "InvalidTimeStamp.Format")
        );
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn unsigned_requests_only_reach_anonymous_operations() {
    let emulator = Emulator::start().await.unwrap();
    let reply = Call::new(&emulator, "ListUserCertificateOrder", CAS2020)
        .unsigned()
        .send(&emulator)
        .await;
    assert_eq!((reply.status, reply.code()), (400, "IncompleteSignature"));

    let reply = Call::new(&emulator, "AssumeRoleWithOIDC", STS)
        .unsigned()
        .param(
            "OIDCProviderArn",
            "acs:ram::1234567890123456:oidc-provider/TestOidcIdp",
        )
        .param("RoleArn", "acs:ram::1234567890123456:role/testoidc")
        .param(
            "OIDCToken",
            "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2lkcCJ9.c2ln",
        )
        .send(&emulator)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply.body["Credentials"]["AccessKeyId"]
            .as_str()
            .unwrap()
            .starts_with("STS.")
    );
    assert_eq!(reply.body["OIDCTokenInfo"]["Issuer"], "https://idp");
    emulator.shutdown().await;
}

#[tokio::test]
async fn sts_keys_issued_by_the_emulator_are_accepted_with_their_token() {
    let emulator = Emulator::start().await.unwrap();
    let sts_client = sts::Client::new(&config(&emulator).build()).unwrap();
    let assumed = sts_client
        .assume_role()
        .role_arn("acs:ram::1234567890123456:role/adminrole")
        .role_session_name("alice")
        .send()
        .await
        .unwrap();
    let creds = assumed.credentials.unwrap();
    let id = creds.access_key_id.unwrap();
    let secret = creds.access_key_secret.unwrap();
    let token = creds.security_token.unwrap();
    assert!(id.starts_with("STS."));
    let expiration = creds.expiration.unwrap();
    let now = alibabacloud_core::signing::timestamp(SystemTime::now());
    let in_59_min =
        alibabacloud_core::signing::timestamp(SystemTime::now() + Duration::from_secs(59 * 60));
    assert!(expiration > in_59_min && expiration > now, "{expiration}");
    assert_eq!(
        assumed.assumed_role_user.unwrap().arn.as_deref(),
        Some("acs:ram::1234567890123456:role/adminrole/alice")
    );

    let temporary = Credentials::new(&id, &secret).with_security_token(&token);
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let client = cas2020::Client::new(
            &config(&emulator)
                .credentials(temporary.clone())
                .signature_version(version)
                .build(),
        )
        .unwrap();
        let page = client.list_user_certificate_order().send().await.unwrap();
        assert!(page.total_count.unwrap_or_default() > 0);
    }

    // The temporary key without its token.
    for call in [
        Call::new(&emulator, "ListUserCertificateOrder", CAS2020),
        Call::new(&emulator, "ListUserCertificateOrder", CAS2020).v1(),
    ] {
        let call = call.key(&id, &secret);
        let reply = call.clone().send(&emulator).await;
        assert_eq!(reply.code(), "InvalidSecurityToken.MismatchWithAccessKey");
        let reply = call.token(&token).send(&emulator).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
    }

    // AssumeRole checks its parameters.
    let reply = Call::new(&emulator, "AssumeRole", STS)
        .v1()
        .param("RoleArn", "not-an-arn")
        .param("RoleSessionName", "alice")
        .send(&emulator)
        .await;
    assert_eq!(
        (reply.status, reply.code()),
        (400, "InvalidParameter.RoleArn")
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_configured_access_key_replaces_the_default() {
    let emulator = Emulator::builder()
        .access_key("LTAI-mine", "my-secret")
        .start()
        .await
        .unwrap();
    assert_eq!(emulator.credentials().access_key_id(), "LTAI-mine");
    let reply = Call::new(&emulator, "ListUserCertificateOrder", CAS2020)
        .send(&emulator)
        .await;
    assert_eq!(reply.status, 200);
    let reply = Call::new(&emulator, "ListUserCertificateOrder", CAS2020)
        .key(DEFAULT_ACCESS_KEY_ID, "x")
        .send(&emulator)
        .await;
    assert_eq!(reply.code(), "InvalidAccessKeyId.NotFound");
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_malformed_oidc_token_is_refused() {
    let emulator = Emulator::start().await.unwrap();
    let oidc = |token: &str| {
        Call::new(&emulator, "AssumeRoleWithOIDC", STS)
            .unsigned()
            .param(
                "OIDCProviderArn",
                "acs:ram::1234567890123456:oidc-provider/TestOidcIdp",
            )
            .param("RoleArn", "acs:ram::1234567890123456:role/testoidc")
            .param("OIDCToken", token)
    };
    for token in [
        "not-a-jwt",
        "eyJraWQiOiJKQzl3eHpyaHFKMGd0****",
        "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2lkcCJ9",
        "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln",
    ] {
        let reply = oidc(token).send(&emulator).await;
        assert_eq!(
            (reply.status, reply.code()),
            (400, "InvalidParameter.OIDCToken"),
            "{token}: {}",
            reply.body
        );
        assert!(reply.body.get("Credentials").is_none());
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_long_term_key_with_a_security_token_is_refused() {
    let emulator = Emulator::start().await.unwrap();
    for call in [
        Call::new(&emulator, "ListUserCertificateOrder", CAS2020),
        Call::new(&emulator, "ListUserCertificateOrder", CAS2020).v1(),
    ] {
        // Signed correctly, with a token nobody issued.
        let reply = call
            .clone()
            .token("CAISnot-a-token-anyone-issued")
            .send(&emulator)
            .await;
        assert_eq!(
            (reply.status, reply.code()),
            (400, "InvalidSecurityToken.Malformed"),
            "{}",
            reply.body
        );
        let reply = call.token("garbage").send(&emulator).await;
        assert_eq!(reply.code(), "InvalidSecurityToken.Malformed");
    }
    // With a token the emulator issued (to a temporary key): not this key's.
    let sts_client = sts::Client::new(&config(&emulator).build()).unwrap();
    let token = sts_client
        .assume_role()
        .role_arn("acs:ram::1234567890123456:role/adminrole")
        .role_session_name("alice")
        .send()
        .await
        .unwrap()
        .credentials
        .unwrap()
        .security_token
        .unwrap();
    let reply = Call::new(&emulator, "ListUserCertificateOrder", CAS2020)
        .token(&token)
        .send(&emulator)
        .await;
    assert_eq!(reply.code(), "InvalidSecurityToken.MismatchWithAccessKey");
    emulator.shutdown().await;
}
