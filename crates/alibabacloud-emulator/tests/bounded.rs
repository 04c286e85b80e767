//! What lasts and what does not: the request log is a ring, nonces are forgotten once
//! their window has passed (and refused within it), the STS keys expire, idle connections
//! are closed. Time is moved with a manual clock, never waited for (except the short
//! header-read timeout of real connections).

mod common;

use std::time::{Duration, SystemTime};

use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::signing::new_nonce;
use alibabacloud_core::{Credentials, SignatureVersion};
use alibabacloud_emulator::{
    Clock, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_REPLAY_WINDOW, DEFAULT_REQUEST_LOG_CAPACITY,
    Emulator, RunningEmulator,
};
use alibabacloud_sts_20150401 as sts;
use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const MINUTE: Duration = Duration::from_secs(60);

fn list(emulator: &RunningEmulator) -> Call {
    Call::new(emulator, "ListUserCertificateOrder", CAS2020)
}

#[test]
fn the_defaults_are_documented() {
    assert_eq!(DEFAULT_REQUEST_LOG_CAPACITY, 1_000);
    assert_eq!(DEFAULT_REPLAY_WINDOW, 15 * MINUTE);
    assert_eq!(DEFAULT_HEADER_READ_TIMEOUT, Duration::from_secs(30));
}

#[tokio::test]
async fn the_request_log_keeps_the_most_recent_requests() {
    let emulator = Emulator::builder()
        .request_log_capacity(5)
        .start()
        .await
        .unwrap();
    let mut nonces = Vec::new();
    for _ in 0..8 {
        let call = list(&emulator);
        nonces.push(call.nonce.clone());
        assert_eq!(call.send(&emulator).await.status, 200);
    }
    let kept: Vec<_> = emulator
        .requests()
        .into_iter()
        .map(|r| r.nonce.unwrap())
        .collect();
    assert_eq!(kept, nonces[3..], "the last five, oldest first");
    assert_eq!(emulator.request_count(), 8);

    emulator.clear_requests();
    assert!(emulator.requests().is_empty());
    assert_eq!(list(&emulator).send(&emulator).await.status, 200);
    assert_eq!(emulator.requests().len(), 1);
    assert_eq!(emulator.request_count(), 9);
    emulator.shutdown().await;

    let silent = Emulator::builder()
        .request_log_capacity(0)
        .start()
        .await
        .unwrap();
    assert_eq!(list(&silent).send(&silent).await.status, 200);
    assert!(silent.requests().is_empty());
    assert_eq!(silent.request_count(), 1);
    silent.shutdown().await;
}

#[tokio::test]
async fn a_reused_nonce_is_refused_within_the_window_and_forgotten_after_it() {
    let clock = Clock::manual(SystemTime::now());
    let emulator = Emulator::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        clock.set(SystemTime::now());
        let nonce = new_nonce();
        let call = |at: SystemTime| {
            let call = list(&emulator).nonce(&nonce).at(at);
            match version {
                SignatureVersion::V1 => call.v1(),
                _ => call,
            }
        };
        assert_eq!(call(clock.now()).send(&emulator).await.status, 200);
        // The same nonce in a request signed afresh 14 minutes later: still refused.
        clock.advance(14 * MINUTE);
        let reply = call(clock.now()).send(&emulator).await;
        assert_eq!((reply.status, reply.code()), (400, "SignatureNonceUsed"));
        // Just past the window of the first request, the nonce is forgotten: a replay of
        // that first request is refused by its timestamp, a fresh one is accepted.
        clock.advance(MINUTE + Duration::from_secs(1));
        let first = call(clock.now() - 15 * MINUTE - Duration::from_secs(1));
        let reply = first.send(&emulator).await;
        assert_eq!(
            (reply.status, reply.code()),
            (400, "InvalidTimeStamp.Expired")
        );
        assert_eq!(call(clock.now()).send(&emulator).await.status, 200);
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_short_replay_window_applies_to_timestamps_and_nonces() {
    let clock = Clock::manual(SystemTime::now());
    let emulator = Emulator::builder()
        .clock(clock.clone())
        .replay_window(Duration::from_secs(10))
        .start()
        .await
        .unwrap();
    let call = list(&emulator).at(clock.now());
    assert_eq!(call.send(&emulator).await.status, 200);
    clock.advance(Duration::from_secs(5));
    assert_eq!(call.send(&emulator).await.code(), "SignatureNonceUsed");
    clock.advance(Duration::from_secs(6));
    assert_eq!(
        call.send(&emulator).await.code(),
        "InvalidTimeStamp.Expired"
    );
    // Re-signed now with the old nonce: forgotten, accepted.
    assert_eq!(call.at(clock.now()).send(&emulator).await.status, 200);
    emulator.shutdown().await;
}

async fn assume_role(emulator: &RunningEmulator, seconds: i64) -> Credentials {
    let client = sts::Client::new(&config(emulator).build()).unwrap();
    let creds = client
        .assume_role()
        .role_arn("acs:ram::1234567890123456:role/adminrole")
        .role_session_name("alice")
        .duration_seconds(seconds)
        .send()
        .await
        .unwrap()
        .credentials
        .unwrap();
    Credentials::new(
        creds.access_key_id.unwrap(),
        creds.access_key_secret.unwrap(),
    )
    .with_security_token(creds.security_token.unwrap())
}

#[tokio::test]
async fn sts_keys_expire_at_their_expiration() {
    let clock = Clock::manual(SystemTime::now());
    let emulator = Emulator::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let temporary = assume_role(&emulator, 900).await;
    let id = temporary.access_key_id().to_owned();
    let secret = temporary.access_key_secret().to_owned();
    let token = temporary.security_token().unwrap().to_owned();

    // Valid until its expiration, on the emulator's clock.
    clock.advance(Duration::from_secs(899));
    let call = |version: Option<SignatureVersion>| {
        let call = list(&emulator)
            .key(&id, &secret)
            .token(&token)
            .at(clock.now());
        if version == Some(SignatureVersion::V1) {
            call.v1()
        } else {
            call
        }
    };
    for version in [None, Some(SignatureVersion::V1)] {
        assert_eq!(call(version).send(&emulator).await.status, 200);
    }

    // At and after it, the token is expired: the gateway's code, however long after.
    for wait in [Duration::from_secs(1), 12 * 60 * MINUTE] {
        clock.advance(wait);
        for version in [None, Some(SignatureVersion::V1)] {
            let reply = call(version).send(&emulator).await;
            assert_eq!(
                (reply.status, reply.code()),
                (400, "InvalidSecurityToken.Expired"),
                "{}",
                reply.body
            );
            assert_eq!(reply.message(), "Specified SecurityToken is expired.");
        }
    }
    // The long-term key is unaffected.
    let reply = list(&emulator).at(clock.now()).send(&emulator).await;
    assert_eq!(reply.status, 200);
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_sdk_sees_an_expired_sts_key_as_invalid_security_token_expired() {
    let clock = Clock::manual(SystemTime::now());
    let emulator = Emulator::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let temporary = assume_role(&emulator, 900).await;
    let client = cas2020::Client::new(&config(&emulator).credentials(temporary).build()).unwrap();
    assert!(client.list_user_certificate_order().send().await.is_ok());
    // Past the key's expiry; the SDK still signs with the system time, the expiry is
    // checked first.
    clock.advance(Duration::from_secs(901));
    let error = client
        .list_user_certificate_order()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.code(),
        Some("InvalidSecurityToken.Expired"),
        "{error}"
    );
    assert_eq!(error.http_status(), Some(400));
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_forged_or_foreign_token_matches_no_key() {
    let emulator = Emulator::start().await.unwrap();
    let other = Emulator::start().await.unwrap();
    let foreign = assume_role(&other, 3600).await;
    let own = assume_role(&emulator, 3600).await;
    let mismatch = "InvalidSecurityToken.MismatchWithAccessKey";
    let cases = [
        // A key of another emulator.
        (
            foreign.access_key_id(),
            foreign.access_key_secret(),
            foreign.security_token().unwrap().to_owned(),
        ),
        // Our key with a token edited by hand.
        (
            own.access_key_id(),
            own.access_key_secret(),
            format!("{}A", own.security_token().unwrap()),
        ),
        (
            own.access_key_id(),
            own.access_key_secret(),
            "CAIS-not-a-token".to_owned(),
        ),
    ];
    for (id, secret, token) in cases {
        let reply = list(&emulator)
            .key(id, secret)
            .token(&token)
            .send(&emulator)
            .await;
        assert_eq!((reply.status, reply.code()), (400, mismatch), "{token}");
    }
    emulator.shutdown().await;
    other.shutdown().await;
}

/// Reads until the server closes the connection; `true` when it did within 10 s (a bound
/// on a broken server, not a measurement).
async fn closed_by_the_server(stream: &mut TcpStream) -> bool {
    let mut buf = Vec::new();
    matches!(
        tokio::time::timeout(TIMEOUT, stream.read_to_end(&mut buf)).await,
        Ok(Ok(_)) | Ok(Err(_))
    )
}

#[tokio::test]
async fn idle_connections_are_closed_after_the_header_read_timeout() {
    let emulator = Emulator::builder()
        .header_read_timeout(Some(Duration::from_millis(200)))
        .start()
        .await
        .unwrap();
    let addr = emulator.local_addr();
    assert!(addr.ip().is_loopback());

    // A connection that never sends anything.
    let mut silent = TcpStream::connect(addr).await.unwrap();
    assert!(closed_by_the_server(&mut silent).await);

    // One that sends half a request head and stops.
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"POST / HTTP/1.1\r\nhost: 127.0.0.1\r\n")
        .await
        .unwrap();
    assert!(closed_by_the_server(&mut slow).await);

    // A keep-alive connection after a complete exchange: answered, then closed once idle.
    let mut kept = TcpStream::connect(addr).await.unwrap();
    kept.write_all(b"GET /?Action=Nope&Version=2020-04-07 HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(TIMEOUT, kept.read_to_end(&mut answer)).await;
    assert!(matches!(read, Ok(Ok(_))), "{read:?}");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 404"), "{text}");
    assert!(text.contains("InvalidApi.NotFound"), "{text}");

    // A client with a connection pool reconnects transparently.
    let client = cas2020::Client::new(&config(&emulator).build()).unwrap();
    for _ in 0..2 {
        assert!(client.list_user_certificate_order().send().await.is_ok());
        let mut probe = TcpStream::connect(addr).await.unwrap();
        assert!(closed_by_the_server(&mut probe).await);
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn connections_are_served_normally_with_the_default_timeout() {
    let emulator = Emulator::start().await.unwrap();
    let mut stream = TcpStream::connect(emulator.local_addr()).await.unwrap();
    for _ in 0..3 {
        stream
            .write_all(b"GET /?Action=Nope&Version=2020-04-07 HTTP/1.1\r\nhost: x\r\n\r\n")
            .await
            .unwrap();
        let mut buf = vec![0u8; 4096];
        let n = tokio::time::timeout(TIMEOUT, stream.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 404"));
    }
    emulator.shutdown().await;
}

/// Everything the server sent until it closed the connection (10 s at most: a bound on a
/// broken server, not a measurement), as text.
async fn read_until_closed(stream: &mut (impl tokio::io::AsyncRead + Unpin)) -> Option<String> {
    let mut buf = Vec::new();
    match tokio::time::timeout(TIMEOUT, stream.read_to_end(&mut buf)).await {
        Ok(_) => Some(String::from_utf8_lossy(&buf).into_owned()),
        Err(_) => None,
    }
}

/// The JSON body of an HTTP/1.1 answer.
fn json_body(answer: &str) -> serde_json::Value {
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    serde_json::from_str(body).unwrap_or(serde_json::Value::Null)
}

#[tokio::test]
async fn a_body_that_trickles_in_is_answered_408_and_its_connection_closed() {
    let emulator = Emulator::builder()
        .body_read_timeout(Some(Duration::from_millis(300)))
        .start()
        .await
        .unwrap();
    let slow = TcpStream::connect(emulator.local_addr()).await.unwrap();
    let (mut reader, mut slow) = slow.into_split();
    slow.write_all(
        b"POST /?Action=ListCsr&Version=2020-04-07 HTTP/1.1\r\nhost: 127.0.0.1\r\n\
          content-type: application/x-www-form-urlencoded\r\ncontent-length: 100\r\n\r\nA=",
    )
    .await
    .unwrap();
    // One more byte now and then, never the whole body.
    let trickle = async {
        for _ in 0..100 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if slow.write_all(b"x").await.is_err() {
                break;
            }
        }
    };
    let (answer, ()) = tokio::join!(read_until_closed(&mut reader), trickle);
    let answer = answer.expect("the server answers and closes");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );
    let body = json_body(&answer);
    assert_eq!(body["Code"], "RequestTimeout", "{answer}");
    assert!(body["RequestId"].is_string() && body["Message"].is_string());
    let logged = emulator.requests();
    assert_eq!(logged.last().map(|r| r.status), Some(408));
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_body_over_8_mib_is_answered_413_with_an_error_code() {
    let emulator = Emulator::start().await.unwrap();
    // Declared too large: refused before a byte of it is read.
    let mut declared = TcpStream::connect(emulator.local_addr()).await.unwrap();
    declared
        .write_all(
            b"POST /?Action=ListCsr&Version=2020-04-07 HTTP/1.1\r\nhost: 127.0.0.1\r\n\
              content-length: 9000000\r\n\r\n",
        )
        .await
        .unwrap();
    let answer = read_until_closed(&mut declared).await.expect("answered");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let body = json_body(&answer);
    assert_eq!(body["Code"], "RequestEntityTooLarge", "{answer}");
    assert!(body["RequestId"].is_string() && body["Message"].is_string());

    // Chunked, with no length: refused once it passes the limit.
    let chunked = TcpStream::connect(emulator.local_addr()).await.unwrap();
    let (mut reader, mut chunked) = chunked.into_split();
    chunked
        .write_all(
            b"POST /?Action=ListCsr&Version=2020-04-07 HTTP/1.1\r\nhost: 127.0.0.1\r\n\
              transfer-encoding: chunked\r\n\r\n",
        )
        .await
        .unwrap();
    let chunk = vec![b'a'; 1 << 20];
    let send = async {
        for _ in 0..9 {
            let head = format!("{:x}\r\n", chunk.len());
            if chunked.write_all(head.as_bytes()).await.is_err()
                || chunked.write_all(&chunk).await.is_err()
                || chunked.write_all(b"\r\n").await.is_err()
            {
                break;
            }
        }
    };
    let (answer, ()) = tokio::join!(read_until_closed(&mut reader), send);
    let answer = answer.expect("answered");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert_eq!(json_body(&answer)["Code"], "RequestEntityTooLarge");
    emulator.shutdown().await;
}
