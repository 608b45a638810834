package openprovider

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/certorder/certorder/internal/provider"
)

var _ provider.DNSValidator = (*Client)(nil)

// DNSRecords returns the DNS records of an order waiting at the CA (REQ):
// one per entry of additional_data with a dns_record and a dns_value. The
// swagger (openprovider/api-documentation, swagger/ssl.swagger.json,
// SslOrderAdditionalData) only says dns_record is the "DNS record that
// should be added to host" and dns_value its value; it names no record
// type. certorder publishes them as TXT records, the only type cert-manager's
// DNS01 providers write.
func (c *Client) DNSRecords(ctx context.Context, h provider.Handle) ([]provider.DNSRecord, error) {
	o, err := c.handleOrder(ctx, h)
	if err != nil {
		return nil, err
	}
	if orderState(o.Status) != provider.OrderPending {
		return nil, nil
	}
	var entries []dcvData
	if json.Unmarshal(o.AdditionalData, &entries) != nil {
		return nil, nil
	}
	var out []provider.DNSRecord
	for _, d := range entries {
		if d.DNSRecord == "" || d.DNSValue == "" {
			continue
		}
		name := strings.TrimSuffix(d.DNSRecord, ".") + "."
		out = append(out, provider.DNSRecord{Domain: d.Domain, Name: name, Value: d.DNSValue})
	}
	return out, nil
}

// CheckDNS reads the order: the SSL API has no call that asks the CA to
// look at the DNS records again (swagger/ssl.swagger.json lists only
// approver-email/resend, for email validation), so the CA rechecks on its
// own schedule. Its answer is per order, not per domain: every name is
// validated once the order is active (ACT), and pending before.
func (c *Client) CheckDNS(ctx context.Context, h provider.Handle) ([]provider.DomainValidation, error) {
	o, err := c.handleOrder(ctx, h)
	if err != nil {
		return nil, err
	}
	var out []provider.DomainValidation
	for _, n := range slices.Compact(append([]string{o.CommonName}, o.HostNames...)) {
		out = append(out, provider.DomainValidation{Domain: n, Validated: o.Status == statusActive, Status: o.Status})
	}
	return out, nil
}

// handleOrder reads the order of a handle.
func (c *Client) handleOrder(ctx context.Context, h provider.Handle) (*order, error) {
	id, err := parseOrderID(h.OrderID)
	if err != nil {
		return nil, err
	}
	return c.getOrder(ctx, id)
}
