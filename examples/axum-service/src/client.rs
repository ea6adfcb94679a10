//! A minimal HTTP/1.1 client over loopback for `--self-test`: one request a
//! connection (`Connection: close`), the whole response read back. Enough
//! for a demo and a test; a real client would use hyper or reqwest.

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// A response: its status code and body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The status code, e.g. 201.
    pub status: u16,
    /// The body, as text.
    pub body: String,
}

/// Sends `method path` to `addr`, with `body` as JSON when given.
pub async fn send(addr: SocketAddr, method: &str, path: &str, body: Option<&str>) -> io::Result<Reply> {
    let mut stream = TcpStream::connect(addr).await?;
    let body = body.unwrap_or("");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let response = String::from_utf8_lossy(&response);
    let (head, body) = response
        .split_once("\r\n\r\n")
        .ok_or_else(|| io::Error::other("a response without headers"))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| io::Error::other(format!("no status in `{head}`")))?;
    Ok(Reply {
        status,
        body: body.to_owned(),
    })
}

/// The self-test: four requests and the status each must get.
pub const SELF_TEST: [(&str, &str, Option<&str>, u16); 4] = [
    (
        "POST",
        "/invoices",
        Some(r#"{"business_id":42,"plan":"PRO","amount_cents":1200,"customer_email":"ana@example.com"}"#),
        201,
    ),
    ("GET", "/invoices/1", None, 200),
    ("GET", "/invoices/999", None, 404),
    (
        "POST",
        "/invoices",
        Some(r#"{"business_id":7,"plan":"STARTER","amount_cents":0,"customer_email":"bo@example.com"}"#),
        422,
    ),
];

/// Sends [`SELF_TEST`] to `addr` in order; the replies, or the first
/// request whose status was not the expected one.
pub async fn self_test(addr: SocketAddr) -> io::Result<Vec<Reply>> {
    let mut replies = Vec::new();
    for (method, path, body, expected) in SELF_TEST {
        let reply = send(addr, method, path, body).await?;
        if reply.status != expected {
            return Err(io::Error::other(format!(
                "{method} {path}: status {}, expected {expected} ({})",
                reply.status, reply.body
            )));
        }
        replies.push(reply);
    }
    Ok(replies)
}
