package digicert

import (
	"context"
	"fmt"
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

// findOnOrder lists the order's reissues or duplicates and returns the
// newest one whose CSR matches and that was created at or after since
// (less findSlack); nil when there is none.
func (c *Client) findOnOrder(ctx context.Context, v variant, orderID ID, csr []byte, since time.Time) (*orderCertificateEntry, error) {
	var list certificateList
	err := c.doJSON(ctx, call{endpoint: v.list, path: v.path(orderID), logKV: []any{"orderID", orderID.String()}}, &list)
	if err != nil {
		return nil, err
	}
	var found *orderCertificateEntry
	for i, e := range list.Certificates {
		if !provider.SameCSR([]byte(e.CSR), csr) || !createdSince(e.DateCreated, since) {
			continue
		}
		if found == nil || e.ID > found.ID {
			found = &list.Certificates[i]
		}
	}
	return found, nil
}

func (c *Client) pollOnOrder(ctx context.Context, v variant, orderID ID, req provider.PollRequest) (provider.Status, error) {
	if len(req.CSR) == 0 {
		return provider.Status{}, permanentf("polling a DigiCert %s needs its CSR", v.noun)
	}
	entry, err := c.findOnOrder(ctx, v, orderID, req.CSR, time.Time{})
	if err != nil {
		return provider.Status{}, err
	}
	h := req.Handle
	h.OrderID = orderID.String()
	st := provider.Status{Handle: h, State: provider.StatePending}
	if entry != nil {
		return c.entryStatus(ctx, v, st, *entry, req.CSR)
	}
	return c.unlistedStatus(ctx, v, st)
}

// entryStatus maps a listed reissue or duplicate onto a Status.
func (c *Client) entryStatus(ctx context.Context, v variant, st provider.Status, e orderCertificateEntry, csr []byte) (provider.Status, error) {
	st.Handle.CertificateID = e.ID.String()
	subject := fmt.Sprintf("%s certificate %s of order %s", v.noun, e.ID, st.Handle.OrderID)
	switch classOf(e.Status) {
	case classIssued:
		return c.issued(ctx, st, e.ID, csr)
	case classFinal:
		return c.failed(ctx, st, subject, e.Status)
	default:
		st.Message = fmt.Sprintf("DigiCert %s is %q", subject, e.Status)
		return st, nil
	}
}

// unlistedStatus is the state of a reissue or duplicate not listed yet:
// its request may still wait for approval, or have been rejected.
func (c *Client) unlistedStatus(ctx context.Context, v variant, st provider.Status) (provider.Status, error) {
	if st.Handle.RequestID == "" {
		st.Message = fmt.Sprintf("DigiCert lists no %s of order %s with this CSR yet", v.noun, st.Handle.OrderID)
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
	st.Message = fmt.Sprintf("DigiCert %s is %q; waiting for approval", subject, r.Status)
	return st, nil
}
