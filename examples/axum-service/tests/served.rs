//! The service as `--self-test` runs it: served on a loopback port by a
//! multi-thread runtime, requests over TCP from the example's own client.
//! The spans are opened on worker threads, so this binary captures with
//! `caci_testkit::capture_all_threads_async` (process-wide, one at a time;
//! the only test here).

use std::sync::Arc;

use caci_axum_service::client;
use caci_axum_service::http::router;
use caci_axum_service::repository::InMemoryRepository;
use caci_axum_service::service::InvoiceService;
use caci_testkit::SpanQuery;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_self_test_over_loopback_nests_every_span_under_its_request() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(InvoiceService::new(Arc::new(InMemoryRepository::default())));
    let config = caci_axum_service::capture_configuration();
    let (replies, captured) = caci_testkit::capture_all_threads_async(&config, async move {
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        let replies = client::self_test(addr).await;
        server.abort();
        replies
    })
    .await;
    let statuses: Vec<_> = replies
        .expect("every status as expected")
        .iter()
        .map(|reply| reply.status)
        .collect();
    assert_eq!(statuses, [201, 200, 404, 422]);

    assert_eq!(captured.spans_named("request").count(), 4);
    for name in ["InvoiceService.create", "InvoiceService.get"] {
        for span in captured.spans_named(name) {
            let parent = captured.parent_of(span).map(|parent| parent.name.as_str());
            assert_eq!(parent, Some("request"), "{name} under the request span");
        }
    }
    captured
        .span(SpanQuery::named("InvoiceService.create").with("request.plan", "PRO"))
        .assert_field("request.business_id", 42)
        .assert_outcome("ok");
    captured.assert_child_of("InMemoryRepository.insert", "InvoiceService.create");
    captured
        .span(SpanQuery::named("InvoiceService.get").with("id", 999))
        .assert_outcome("error");
    captured.assert_never_contains("ana@example.com");
    captured.assert_never_contains("bo@example.com");
}
