package openprovider

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/certorder/certorder/internal/provider"
)

// Poll reports the state of an order placed, renewed or reissued earlier.
func (c *Client) Poll(ctx context.Context, req provider.PollRequest) (provider.Status, error) {
	if req.Action == provider.ActionDuplicate {
		return provider.Status{}, unsupported(req.Action)
	}
	id, err := parseOrderID(req.Handle.OrderID)
	if err != nil {
		return provider.Status{}, err
	}
	o, err := c.getOrder(ctx, id)
	if err != nil {
		return provider.Status{}, err
	}
	return statusOf(o, req.CSR)
}

// statusOf maps an order onto the state of the submission with csr.
func statusOf(o *order, csr []byte) (provider.Status, error) {
	st := provider.Status{
		Handle:          provider.Handle{OrderID: strconv.Itoa(o.ID)},
		State:           provider.StatePending,
		OrderValidUntil: o.validUntil(),
	}
	switch o.Status {
	case statusActive:
		return issued(st, o, csr)
	case statusRejected:
		st.State = provider.StateFailed
		st.Message = withDetails(fmt.Sprintf("Openprovider order %d was rejected by the CA", o.ID), o)
	case statusFailed:
		st.State = provider.StateFailed
		st.Message = withDetails(fmt.Sprintf("Openprovider order %d failed or was cancelled", o.ID), o)
	case statusExpired:
		st.State = provider.StateFailed
		st.Message = fmt.Sprintf("Openprovider order %d expired", o.ID)
	case statusPaid:
		st.Message = fmt.Sprintf("Openprovider order %d is paid but was never sent to the CA (PAI: placed without start_provision)", o.ID)
	default:
		st.Message = withDetails(fmt.Sprintf("Openprovider order %d is %s, waiting for validation", o.ID, o.Status), o)
	}
	return st, nil
}

// issued reads the certificate of an ACT order. Right after a reissue the
// order still shows the previous certificate, so it counts only when the
// order's CSR is the submission's.
func issued(st provider.Status, o *order, csr []byte) (provider.Status, error) {
	if !provider.SameCSR([]byte(o.CSR), csr) {
		st.Message = fmt.Sprintf("Openprovider order %d still shows the certificate of another CSR; waiting for the reissue", o.ID)
		return st, nil
	}
	if strings.TrimSpace(o.Certificate) == "" {
		st.Message = fmt.Sprintf("Openprovider order %d is active, but its certificate is not available yet", o.ID)
		return st, nil
	}
	bundle := strings.Join([]string{o.Certificate, o.IntermediateCertificate, o.RootCertificate}, "\n")
	chain, err := provider.ParseChain([]byte(bundle))
	if err != nil {
		return provider.Status{}, &provider.PermanentError{Err: fmt.Errorf("the certificate of Openprovider order %d: %w", o.ID, err)}
	}
	st.State = provider.StateIssued
	st.Chain = chain
	st.Message = fmt.Sprintf("issued by Openprovider order %d", o.ID)
	return st, nil
}

// withDetails adds, in the CA's own words, where validation stands and what
// the user must publish for it.
func withDetails(msg string, o *order) string {
	parts := []string{msg}
	if s := statusesText(o.DomainValidationStatuses); s != "" {
		parts = append(parts, "validation: "+s)
	}
	if s := dcvText(o.AdditionalData); s != "" {
		parts = append(parts, "publish: "+s)
	}
	if o.EmailApprover != "" {
		parts = append(parts, "approval mail to "+o.EmailApprover)
	}
	return strings.Join(parts, "; ")
}

// statusesText renders domain_validation_statuses as sorted key=value pairs.
func statusesText(raw json.RawMessage) string {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return dataText(raw)
	}
	keys := make([]string, 0, len(m))
	for k, v := range m {
		if v != nil && v != "" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = fmt.Sprintf("%s=%v", k, m[k])
	}
	return strings.Join(pairs, ", ")
}

// dcvText renders additional_data: the DNS record, file or token to publish
// for each name.
func dcvText(raw json.RawMessage) string {
	var entries []dcvData
	if json.Unmarshal(raw, &entries) != nil {
		return dataText(raw)
	}
	var out []string
	for _, d := range entries {
		if d.DNSRecord != "" || d.DNSValue != "" {
			out = append(out, fmt.Sprintf("%s: DNS record %q with value %q", d.Domain, d.DNSRecord, d.DNSValue))
		}
		if d.FileLocation != "" {
			out = append(out, fmt.Sprintf("%s: file %q containing %q", d.Domain, d.FileLocation, d.FileContents))
		}
		if d.Token != "" || d.URL != "" {
			out = append(out, fmt.Sprintf("%s: token %q at %q", d.Domain, d.Token, d.URL))
		}
	}
	return strings.Join(out, "; ")
}
