package app

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/client"
)

// sharedLists reads lists from the manager's cache without a deep copy of
// every item: the items share the cached objects. It is for readers that
// only read what they list, and list often or list much: the new-order
// budget lists a namespace's CertificateOrders on every paid submission,
// the metrics inventory lists every CertificateOrder on every scrape, and
// the pending gauge lists every CertificateRequest each 30 s. Copying each
// item made those lists the largest share of the heap while requests were
// being issued. A reader given sharedLists must never modify a listed
// object; Get still returns a copy.
type sharedLists struct{ client.Reader }

func (r sharedLists) List(ctx context.Context, list client.ObjectList, opts ...client.ListOption) error {
	return r.Reader.List(ctx, list, append(opts, client.UnsafeDisableDeepCopy)...)
}
