package openprovider

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certorder/certorder/internal/provider"
)

// predatesSkew allows for Openprovider's clock and the CA's backdating when
// a leaf's NotBefore is compared with a submission's intent.
const predatesSkew = time.Hour

// submission is what tells a submission's certificate from the order's
// others.
type submission struct {
	action provider.Action
	csr    []byte
	// known certificates (leaf serials) never answer it, nor does a leaf
	// issued before since.
	known []string
	since time.Time
}

// Poll reports the state of an order placed, renewed or reissued earlier,
// and moves it on where it would otherwise wait for ever: a paid order
// that was never sent to the CA (PAI), and a renewed order that still
// shows the old certificate (it gets the reissue with the request's CSR).
func (c *Client) Poll(ctx context.Context, req provider.PollRequest) (provider.Status, error) {
	if req.Action == provider.ActionDuplicate {
		return provider.Status{}, unsupported(req.Action)
	}
	id, err := parseOrderID(req.Handle.OrderID)
	if err != nil {
		return provider.Status{}, err
	}
	o, err := c.polledOrder(ctx, id)
	if err != nil {
		return provider.Status{}, err
	}
	sub := submission{action: req.Action, csr: req.CSR, known: req.Known, since: req.Since}
	st, stale, err := statusOf(o, sub)
	if err != nil || st.State != provider.StatePending {
		c.session.board.settled(id)
	}
	switch {
	case err != nil:
		return provider.Status{}, err
	case o.Status == statusPaid:
		return c.provision(ctx, o, st)
	case stale && req.Action == provider.ActionOrder:
		return c.completeRenewal(ctx, o, sub, st)
	}
	return st, nil
}

// statusOf maps an order onto the state of the submission. stale tells
// that the order is active but shows a certificate that does not answer
// the submission: another CSR's, or one already recorded or issued before
// it (with a reused key the CSR is the same from one renewal to the next).
func statusOf(o *order, sub submission) (provider.Status, bool, error) {
	st := provider.Status{
		Handle:          provider.Handle{OrderID: strconv.Itoa(o.ID)},
		State:           provider.StatePending,
		OrderValidUntil: o.validUntil(),
	}
	switch o.Status {
	case statusActive:
		return issued(st, o, sub)
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
		st.Message = fmt.Sprintf("Openprovider order %d is paid but was not sent to the CA (PAI)", o.ID)
	default:
		st.Message = withDetails(fmt.Sprintf("Openprovider order %d is %s, waiting for validation", o.ID, o.Status), o)
	}
	return st, false, nil
}

// issued reads the certificate of an ACT order. Right after a reissue the
// order still shows the previous certificate, so it counts only when the
// order's CSR is the submission's and the certificate is new to it.
func issued(st provider.Status, o *order, sub submission) (provider.Status, bool, error) {
	if !provider.SameCSR([]byte(o.CSR), sub.csr) {
		st.Message = fmt.Sprintf("Openprovider order %d still shows the certificate of another CSR; waiting for the reissue", o.ID)
		return st, true, nil
	}
	if strings.TrimSpace(o.Certificate) == "" {
		st.Message = fmt.Sprintf("Openprovider order %d is active, but its certificate is not available yet", o.ID)
		return st, false, nil
	}
	bundle := strings.Join([]string{o.Certificate, o.IntermediateCertificate, o.RootCertificate}, "\n")
	chain, err := provider.ParseChain([]byte(bundle))
	if err != nil {
		return provider.Status{}, false, &provider.PermanentError{Err: fmt.Errorf("the certificate of Openprovider order %d: %w", o.ID, err)}
	}
	serial := provider.SerialHex(chain.Leaf)
	switch {
	case provider.IsRecorded(sub.known, "", serial):
		st.Message = fmt.Sprintf("Openprovider order %d still shows certificate %s, already recorded for this Certificate; waiting for the new one", o.ID, serial)
		return st, true, nil
	case provider.Predates(chain.Leaf, sub.since, predatesSkew):
		st.Message = fmt.Sprintf("Openprovider order %d still shows certificate %s, issued %s before this request; waiting for the new one",
			o.ID, serial, chain.Leaf.NotBefore.UTC().Format(time.RFC3339))
		return st, true, nil
	}
	st.State = provider.StateIssued
	st.Chain = chain
	st.Message = fmt.Sprintf("issued by Openprovider order %d", o.ID)
	return st, false, nil
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
