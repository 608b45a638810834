package digicert

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/certorder/certorder/internal/provider"
)

// epCheckDCV asks CertCentral to look for an order's DCV tokens now.
const epCheckDCV = "PUT /order/certificate/{order_id}/check-dcv"

var _ provider.DNSValidator = (*Client)(nil)

// DNSRecordName is the TXT record DigiCert looks for when it validates
// domain with dns-txt-token. DigiCert accepts the random value either on
// the domain itself or on its _dnsauth subdomain
// (https://docs.digicert.com/en/certcentral/manage-certificates/domain-control-validation-methods/dns-based-dcv-methods.html,
// and the _dnsauth host field in
// https://docs.digicert.com/en/certcentral/manage-certificates/dv-certificate-enrollment/domain-control-validation--dcv--methods/use-the-dns-cname-dcv-method.html).
// certorder uses _dnsauth: the record is one TXT RRset of its own, so
// adding and removing it never touches the domain's own TXT records (SPF,
// site verifications), and a _dnsauth CNAME can delegate it to another
// zone as _acme-challenge does for ACME. A wildcard is validated on its
// base domain.
func DNSRecordName(domain string) string {
	return "_dnsauth." + strings.TrimPrefix(strings.TrimSuffix(domain, "."), "*.") + "."
}

// DNSRecords returns, for an order pending dns-txt-token validation (a new
// order, or a reissue that must validate again), one TXT record per name of
// the order's certificate as CertCentral reports it, carrying the order's
// random value (PUT .../dcv-random-value returns the current one while it
// is valid). Orders with another DCV method, or not pending, need no
// record.
func (c *Client) DNSRecords(ctx context.Context, h provider.Handle) ([]provider.DNSRecord, error) {
	id, err := parseID("order id", h.OrderID)
	if err != nil {
		return nil, err
	}
	info, err := c.orderInfo(ctx, id)
	if err != nil {
		return nil, err
	}
	if info.DCVMethod != "dns-txt-token" || (info.Status != "pending" && info.Status != "reissue_pending") {
		return nil, nil
	}
	rv, err := c.dcvRandomValue(ctx, id)
	if err != nil {
		return nil, err
	}
	if rv.DCVRandomValue == "" {
		return nil, transientf("%s: order %s has no random value yet", epDCVRandomValue, id)
	}
	var out []provider.DNSRecord
	for _, d := range dcvDomains(info.Certificate) {
		out = append(out, provider.DNSRecord{Domain: d, Name: DNSRecordName(d), Value: rv.DCVRandomValue})
	}
	return out, nil
}

// dcvDomains are the names DigiCert validates: the certificate's names
// without a wildcard label, once each.
func dcvDomains(cert orderCertificate) []string {
	var out []string
	for _, n := range slices.Concat([]string{cert.CommonName}, cert.DNSNames) {
		n = strings.ToLower(strings.TrimPrefix(n, "*."))
		if n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// checkDCVResponse is the answer of PUT .../check-dcv
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/dv-ssl--check-dcv.html).
type checkDCVResponse struct {
	OrderStatus        string `json:"order_status"`
	DNSNameValidations []struct {
		DNSName string `json:"dns_name"`
		Status  string `json:"status"`
	} `json:"dns_name_validations"`
}

// CheckDNS calls PUT .../check-dcv. Its 400 invalid_dns_txt ("could not
// find a valid TXT record for one or more domains") is an answer, not a
// fault: no domain is reported validated.
func (c *Client) CheckDNS(ctx context.Context, h provider.Handle) ([]provider.DomainValidation, error) {
	id, err := parseID("order id", h.OrderID)
	if err != nil {
		return nil, err
	}
	var resp checkDCVResponse
	err = c.doJSON(ctx, call{endpoint: epCheckDCV, path: "/order/certificate/" + id.String() + "/check-dcv", logKV: []any{"orderID", id.String()}}, &resp)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest && apiErr.Code == "invalid_dns_txt" {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]provider.DomainValidation, 0, len(resp.DNSNameValidations))
	for _, v := range resp.DNSNameValidations {
		out = append(out, provider.DomainValidation{Domain: v.DNSName, Status: v.Status, Validated: v.Status == "approved" || v.Status == "valid"})
	}
	return out, nil
}
