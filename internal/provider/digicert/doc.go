// Package digicert is the client of DigiCert CertCentral (Services API v2)
// and its mapping onto the provider contract: new orders, reissues and
// duplicates, polling, recovery by CSR and the credential check.
//
// Every call goes through one provider.Caller, so it is rate limited per
// API key and never retried; its name for logs and metrics is the route
// template, such as "GET /order/certificate/{order_id}". The API key only
// ever travels in the X-DC-DEVKEY header: it is never logged and never part
// of an error.
//
// # The wire contract certorder relies on
//
// Each point names the DigiCert page it was read from. The pages' request
// and response examples are kept in testdata/docs, each with a .source
// file naming its page; where the stored copy of a page was cut short, the
// example is completed from the page's parameter tables and the .source
// says "modelled". TestCorpus holds the client, and TestCorpusOfTheFake
// the fake, to those examples.
//
//   - Base URL https://www.digicert.com/services/v2 (or
//     https://certcentral.digicert.eu/services/v2); every call sends
//     X-DC-DEVKEY and Content-Type: application/json.
//     https://dev.digicert.com/en/certcentral-apis/services-api.html
//   - A new order is POST /order/certificate/{product_name_id} with a
//     certificate object (common_name, dns_names, csr, signature_hash,
//     server_platform.id, organization_units, cert_validity, ca_cert_id)
//     and the order's fields (organization.id, container.id,
//     validity_years or order_validity, comments, payment_method,
//     skip_approval, dcv_method, custom_fields, renewal_of_order_id,
//     disable_renewal_notifications, auto_renew). The names are sent
//     explicitly: the API reads none out of the CSR. Its 201 answer holds
//     the order id and either the pending requests, or a certificate id
//     (with the DCV random value and tokens), or the issued
//     certificate_chain.
//     https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-basic-ov.html
//   - A reissue is POST /order/certificate/{order_id}/reissue with a
//     certificate object; cert_validity (years, days or
//     custom_expiration_date) sits inside certificate and is honoured only
//     for an order on a Multi-year Plan. certorder sends it only when the
//     order info says is_multi_year_plan, and otherwise says in the status
//     message that DigiCert chooses the validity.
//     https://dev.digicert.com/en/certcentral-apis/services-api/orders/reissue-certificate.html
//   - A duplicate is POST /order/certificate/{order_id}/duplicate with the
//     certificate object alone; every field but the CSR, server platform
//     and signature hash must equal the order's. Its validity is
//     DigiCert's choice: what remains of the original, at most 397 days.
//     https://dev.digicert.com/en/certcentral-apis/services-api/orders/duplicate-certificate.html
//   - An order's state is GET /order/certificate/{order_id}: status,
//     certificate (id, serial_number, csr, dates), order_valid_till,
//     dcv_method, requests and is_multi_year_plan. The documented statuses
//     are mapped in classOf; an unknown one is waited on and quoted in the
//     message.
//     https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-info.html
//   - renewed and not_renewed are marks an issued order can carry; only
//     pending, waiting_pickup and reissue_pending orders can be canceled.
//     https://dev.digicert.com/en/certcentral-apis/services-api/orders/update-order-status.html
//   - GET /order/certificate lists orders, filtered exactly by
//     filters[common_name], paged by limit and offset; recovery reads the
//     creation dates itself.
//     https://dev.digicert.com/en/certcentral-apis/services-api/orders/list-orders.html
//   - GET .../{order_id}/reissue and .../duplicate list an order's
//     reissues and duplicates with their CSR. DigiCert does not tie a
//     reissue or duplicate request to the certificate it makes, so
//     certorder picks the entry whose CSR matches, newest first.
//     https://dev.digicert.com/en/certcentral-apis/services-api/orders/list-reissues.html
//   - A duplicate's status is approved, issued, pending or rejected, and
//     the docs' only example, an issued certificate with serial number,
//     thumbprint and validity dates, reads "approved". So approved with
//     certificate data is issued; approved without it is settled by the
//     download, whose 404 means not yet.
//     https://dev.digicert.com/en/certcentral-apis/services-api/orders/list-duplicates.html
//   - GET /request/{request_id} gives a request's status (submitted,
//     pending, approved, rejected) and, once rejected, the approver's
//     processor_comment, which the Failed message quotes.
//     https://dev.digicert.com/en/certcentral-apis/services-api/requests/request-info.html
//     and, for processor_comment, the update order status page above.
//   - GET /certificate/{certificate_id}/download/format/pem_all serves the
//     leaf, intermediates and root as application/x-pem-file, which the
//     download asks for in Accept. Downloading by order id would give the
//     order's active certificate only, never a duplicate.
//     https://dev.digicert.com/glossary/ (certificate formats) and
//     https://dev.digicert.com/en/certcentral-apis/services-api/certificates/download-certificate-format-order-id.html
//   - Errors come as {"errors":[{"code","message"}]}. 401 is a bad key; 403
//     (access_denied|missing_permission, access_denied|invalid_approver)
//     refuses one call and fails only that request; 429 and 5xx pass.
//     DigiCert's text is capped at 512 bytes and never used as a format.
//     https://dev.digicert.com/en/certcentral-apis/services-api.html
//   - Check is GET /user/me (user info with the id "me": the key's own
//     user); it alone decides whether the issuer is Ready.
//     https://dev.digicert.com/en/certcentral-apis/services-api/users/user-info.html
//   - A reused private key gives a byte-identical CSR, so a CSR match alone
//     can pick an old certificate: Find and Poll skip what the ledger
//     recorded (provider.Request.Known) and leaves older than the
//     submission's intent, allowing 48 hours since DigiCert dates its
//     lists to the day (valid_from is yyyy-MM-dd).
//     https://dev.digicert.com/en/certcentral-apis/services-api/orders/list-duplicates.html
//
// Modelled, not documented: the bodies of 401, 404 and 406 answers, the
// 201 answers (the stored order pages are cut before them), the ends of
// examples the stored pages cut short, the download's body (the docs show none; the
// glossary gives its type), and what DigiCert does with a body field its
// docs do not list (the fake refuses it).
//
// Polls are per submission. The order list's filters[status]=pending could
// name a key's pending orders in one call, but its entries carry none of
// the DCV method, random value or pending approvals a pending message
// quotes, and no filter lists just the orders issued since the last tick
// (filters[status]=issued is every issued order of the account); reissues
// and duplicates are listed per order only.
// https://dev.digicert.com/en/certcentral-apis/services-api/orders/list-orders.html
package digicert
