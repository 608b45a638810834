// Package openprovider implements provider.Provider on Openprovider's REST
// API (v1beta, SSL).
//
// A Client is one issuer's view of one Openprovider account. Clients of the
// same credential (API URL, username and password) share a login token
// (TokenCache), a rate limiter (provider.Limiters, keyed by a fingerprint of
// all three) and the memory of which orders were moved on lately.
//
// # The wire contract certorder relies on
//
// Sources: the swagger files swagger/ssl.swagger.json and
// swagger/auth.swagger.json of https://github.com/openprovider/api-documentation
// (branch v1beta, also rendered at https://docs.openprovider.com), and the
// SSL quickstart articles of https://support.openprovider.eu (cited by
// number below). testdata/docs holds the published examples, each with its
// source, and corpus_test.go holds the client and the fake to them.
//
//   - Base URL https://api.openprovider.eu/v1beta; JSON bodies. POST
//     /auth/login with username, password and ip answers a token, sent as
//     "Authorization: Bearer" (auth.swagger.json). A token lives two days
//     (support article 360013974800); certorder refreshes it after one.
//   - Every answer is an envelope: code (0 on success), desc, data,
//     warnings, and a maintenance flag (the swagger's Response and Error
//     definitions). certorder accepts a body as Openprovider's only when it
//     is a JSON object with a code and no other keys than these; any other
//     body is reported by its HTTP status alone, never quoted.
//   - Errors are classified by code, not by HTTP status: Openprovider
//     answers most errors, validation errors included, with HTTP 500 and a
//     code. The code ranges are on
//     https://doc.openprovider.eu/API_module_Error_handling (1xx accounts and
//     authentication, 9xx payments, 10xx SSL). 196 is a bad login; 10005
//     (IP blocked after too many identical calls), 50 (calls limit after
//     failed logins) and 4007 (temporary block) stop all traffic of the
//     credential for a cool-down (support article 218390187). Only the
//     maintenance flag, HTTP 429 and gateway statuses (502, 503, 504) are
//     retried; Openprovider documents no other code as temporary, so every
//     other code fails the request with desc and data.
//   - POST /ssl/orders takes product_id, period, csr, software_id,
//     host_names, organization_handle, technical_handle, approver_email,
//     domain_validation_methods [{host_name, method}],
//     signature_hash_algorithm, autorenew, enable_dns_automation and
//     start_provision (orderCreateOrderRequest). Without start_provision
//     the order stays PAI, paid but not sent to the CA, until an update
//     with start_provision: true (quickstart article 360024177973, "4
//     Creating SSL Order"). certorder always sends it, and Poll moves a PAI
//     order on with PUT /ssl/orders/{id} (orderUpdateOrderRequest; the
//     quickstart article 360024299194 shows the same update as POST) at
//     most once an hour per order.
//   - host_names is only for multi-domain products and never repeats the
//     common name; domain_validation_methods names the common name and
//     every other name (quickstart articles 360024177973 and 360024299194).
//     Without domain_amount an order gets the product's
//     included_domains_count names (360024177973); certorder sends no
//     domain_amount and refuses, before any paid call, names a product does
//     not include (GET /ssl/products/{id}: max_domains,
//     included_domains_count, number_of_domains; productSslProduct).
//   - GET /ssl/orders/{id} and GET /ssl/orders (limit, offset,
//     common_name_pattern with '*' as wildcard, status) answer orders
//     (orderSslOrder): status PAI, REQ, ACT, REJ, FAI or EXP (quickstart
//     article 360024389393, "5 Retrieving SSL Orders"); certificate,
//     intermediate_certificate and root_certificate, empty until ACT; csr;
//     dates as "YYYY-MM-DD hh:mm:ss" without a time zone (read as UTC);
//     domain_validation_statuses and additional_data, shown to the user
//     while pending. An unknown status is pending and reported verbatim.
//   - The list's filters are limit, offset, order_by_* (sort orders),
//     common_name_pattern, status (an array: any of the statuses),
//     contact_handle and show_expiring (the swagger's listOrders
//     parameters); none selects orders by id. So polls are batched by
//     status: while two or more orders of a credential are pending, one
//     walk of GET /ssl/orders?status=REQ per 10 s answers every order it
//     lists (its results carry the same fields as GET /ssl/orders/{id}),
//     and an order it does not list, having left REQ, is read with its own
//     GET (batch.go). The walk lists every REQ order of the account, ours
//     or not, so it stops after as many pages as there are pending orders:
//     it never costs more calls than one GET per order. A single pending
//     order, and orders in any other status (PAI, an ACT order still
//     showing its previous certificate), keep per-order polls: the filters
//     cannot pick them out of the account's other orders.
//   - PEM may come reformatted, even on one line: CSRs and certificates are
//     compared by their DER bytes (provider.SameCSR, provider.ParseChain).
//   - POST /ssl/orders/{id}/reissue takes id, csr, approver_email,
//     domain_validation_methods, enable_dns_automation, host_names,
//     organization_handle, signature_hash_algorithm and software_id
//     (orderReissueOrderRequest). The order goes back to REQ, then ACT, and
//     may show the previous certificate for a while: a certificate counts
//     only for its own CSR, and never when it is recorded already
//     (provider.Request.Known) or older than the submission's intent.
//   - POST /ssl/orders/{id}/renew takes id and enable_dns_automation
//     (orderRenewOrderRequest) and no CSR, so a renewed order certifies the
//     old key until it is reissued. The renew quickstart (article
//     360024468093, "10 Renewing SSL Certificate") says a renew is for an
//     ACT order within 30 days of its expiry (one version of the page says
//     90), costs as much as a new order, and changes nothing but the
//     expiration date, which moves by the order's period. It does not spell
//     out the id in the answer nor the order's status right after, so
//     certorder also handles a renew that answers with a new order or takes
//     the order back to REQ (renew.go), and never sends a renew twice.
//   - Openprovider blocks an IP after 300 identical calls in 300 s, until
//     support lifts it (support article 218390187): every call of a
//     credential shares one limiter (limits.go).
package openprovider
