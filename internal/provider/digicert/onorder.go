package digicert

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/certorder/certorder/internal/provider"
)

// variant is a certificate made on an existing order: a reissue or a
// duplicate. Both are posted with the same body and listed in the same
// shape.
type variant struct {
	noun   string
	submit string
	list   string
}

var (
	reissue   = variant{noun: "reissue", submit: epReissue, list: epReissueList}
	duplicate = variant{noun: "duplicate", submit: epDuplicate, list: epDuplicateList}
)

func variantOf(a provider.Action) variant {
	if a == provider.ActionReissue {
		return reissue
	}
	return duplicate
}

func (v variant) path(orderID ID) string {
	return "/order/certificate/" + orderID.String() + "/" + v.noun
}

// candidates lists the order's reissues or duplicates whose CSR matches a
// and that were created at or after since (less findSlack), newest first,
// leaving out those already recorded.
func (c *Client) candidates(ctx context.Context, v variant, orderID ID, a answer, since time.Time) ([]orderCertificateEntry, error) {
	var list certificateList
	err := c.doJSON(ctx, call{endpoint: v.list, path: v.path(orderID), logKV: []any{"orderID", orderID.String()}}, &list)
	if err != nil {
		return nil, err
	}
	var out []orderCertificateEntry
	for _, e := range list.Certificates {
		if provider.SameCSR([]byte(e.CSR), a.csr) && createdSince(e.DateCreated, since) && !a.listedAsKnown(e.orderCertificate) {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(x, y orderCertificateEntry) int { return cmp.Compare(y.ID, x.ID) })
	return out, nil
}

// firstAnswer maps the newest candidate that can answer a onto a Status;
// found is false when none can.
func (c *Client) firstAnswer(ctx context.Context, v variant, st provider.Status, entries []orderCertificateEntry, a answer) (provider.Status, bool, error) {
	for _, e := range entries {
		got, err := c.entryStatus(ctx, v, st, e, a)
		if errors.Is(err, errNotThisSubmission) {
			continue
		}
		return got, err == nil, err
	}
	return provider.Status{}, false, nil
}

func (c *Client) pollOnOrder(ctx context.Context, v variant, orderID ID, req provider.PollRequest) (provider.Status, error) {
	if len(req.CSR) == 0 {
		return provider.Status{}, permanentf("polling a DigiCert %s needs its CSR", v.noun)
	}
	a := pollAnswer(req)
	entries, err := c.candidates(ctx, v, orderID, a, time.Time{})
	if err != nil {
		return provider.Status{}, err
	}
	h := req.Handle
	h.OrderID = orderID.String()
	st := provider.Status{Handle: h, State: provider.StatePending}
	got, found, err := c.firstAnswer(ctx, v, st, entries, a)
	if found || err != nil {
		return got, err
	}
	return c.unlistedStatus(ctx, v, st)
}

// entryClass sorts a listed reissue or duplicate. The list-duplicates docs
// give the statuses approved, issued, pending and rejected, and their one
// example, an issued certificate with its serial number, thumbprint and
// validity, reads "approved"
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/list-duplicates.html).
// So "approved" with certificate data is issued, and "approved" without it
// may be: maybeIssued.
func entryClass(e orderCertificateEntry) (class statusClass, maybeIssued bool) {
	if e.Status == "approved" {
		if e.hasCertificateData() {
			return classIssued, false
		}
		return classPending, true
	}
	return classOf(e.Status), false
}

// entryStatus maps a listed reissue or duplicate onto a Status. Its error
// wraps errNotThisSubmission when the certificate cannot answer a.
func (c *Client) entryStatus(ctx context.Context, v variant, st provider.Status, e orderCertificateEntry, a answer) (provider.Status, error) {
	st.Handle.CertificateID = e.ID.String()
	subject := fmt.Sprintf("%s certificate %s of order %s", v.noun, e.ID, st.Handle.OrderID)
	class, maybeIssued := entryClass(e)
	switch {
	case class == classIssued:
		return c.issued(ctx, st, e.ID, a)
	case class == classFinal:
		return c.failed(ctx, st, subject, e.Status)
	case maybeIssued:
		// When in doubt, the download decides: not found means not yet.
		got, err := c.issued(ctx, st, e.ID, a)
		if !isNotFound(err) {
			return got, err
		}
		st.Message = fmt.Sprintf("DigiCert %s is %q and cannot be downloaded yet", subject, e.Status)
		return st, nil
	default:
		st.Message = fmt.Sprintf("DigiCert %s is %q%s", subject, e.Status, unknownNote(e.Status))
		return st, nil
	}
}

// unlistedStatus is the state of a reissue or duplicate not listed yet:
// its request may still wait for approval, or have been rejected.
func (c *Client) unlistedStatus(ctx context.Context, v variant, st provider.Status) (provider.Status, error) {
	if st.Handle.RequestID == "" {
		st.Message = fmt.Sprintf("DigiCert lists no new %s of order %s with this CSR yet", v.noun, st.Handle.OrderID)
		return st, nil
	}
	r, err := c.requestInfo(ctx, st.Handle.RequestID)
	if err != nil {
		return provider.Status{}, err
	}
	subject := fmt.Sprintf("%s request %s of order %s", v.noun, st.Handle.RequestID, st.Handle.OrderID)
	if classOf(r.Status) == classFinal {
		return final(st, subject, r.Status, r.ProcessorComment), nil
	}
	st.Message = fmt.Sprintf("DigiCert %s is %q%s; waiting for approval", subject, r.Status, unknownNote(r.Status))
	return st, nil
}
