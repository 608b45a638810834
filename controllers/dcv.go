package controllers

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/dcv"
	"github.com/certorder/certorder/internal/provider"
)

// DCVOptions tune hands-free DNS validation.
type DCVOptions struct {
	// Nameservers are the recursive resolvers (host:port) that find a
	// record's zone and its authoritative nameservers; empty means the
	// system's.
	Nameservers []string
	// ResolveNameserver turns an authoritative nameserver's host name into
	// addresses (host:port) to query; nil uses the system resolver and
	// port 53.
	ResolveNameserver func(ctx context.Context, host string) ([]string, error)
	// CheckInterval is the least time between two checks of one order at
	// the CA; zero means dcv.DefaultCheckInterval.
	CheckInterval time.Duration
	// Helper is the path of certorder-dns01, which runs the cloud DNS01
	// providers; empty means dcv.DefaultHelper().
	Helper string
}

// EventDCVCleanupFailed: a published validation record could not be removed.
const EventDCVCleanupFailed = "DCVCleanupFailed"

// dcvStep is what hands-free validation did in one reconcile.
type dcvStep struct {
	// state to store in the ledger; nil leaves the ledger's as it is.
	state *v1alpha1.DCVState
	// message replaces the CA's in the Pending condition when set.
	message string
	// after is when validation wants the next reconcile; zero leaves it to
	// the poll backoff.
	after time.Duration
}

// apply stores the step's state in the ledger.
func (d dcvStep) apply(s *orderStatus) {
	if d.state != nil {
		s.DCV = d.state
	}
}

// validate takes one step of hands-free DNS validation for the CA's answer
// st to this request's submission: while it is pending, the runner's next
// step; once it is issued or failed, the removal of what was published.
// Issuers without dcv.dns01, and CAs that cannot validate by DNS, take no
// step, and their message is the CA's, as before.
func (w *work) validate(ctx context.Context, st provider.Status) dcvStep {
	cfg, current := dcvConfig(w.issuer), w.s.Ledger.DCV
	v, ok := w.p.(provider.DNSValidator)
	if cfg == nil || !ok || (st.State != provider.StatePending && !publishedLeft(current)) {
		return dcvStep{}
	}
	run, err := w.dcvRunner(ctx, cfg, v)
	if err != nil {
		log.FromContext(ctx).Error(err, "cannot build the dcv.dns01 provider")
		if st.State != provider.StatePending {
			return dcvStep{}
		}
		return dcvStep{message: fmt.Sprintf("hands-free DNS validation cannot start: %v", err) + caNote(st.Message), after: w.dcvInterval()}
	}
	if st.State != provider.StatePending {
		return dcvStep{state: w.dcvCleanup(ctx, run, *current)}
	}
	var from v1alpha1.DCVState
	if current != nil {
		from = *current
	}
	res, err := run.Step(ctx, w.dcvHandle(st), from)
	if err != nil {
		log.FromContext(ctx).Info("hands-free DNS validation step failed", "error", err.Error())
	}
	if len(res.State.Records) == 0 && current == nil {
		// The CA expects no DNS record (another method, or nothing left).
		return dcvStep{}
	}
	step := dcvStep{state: &res.State, message: res.Message, after: res.RequeueAfter}
	if res.Validated {
		// The CA issues on its own now: poll at the issuer's pace.
		step.after = 0
	}
	return step
}

// dcvRunner builds the runner of the issuer's dcv block. Its Secrets are
// read where the issuer's own are; ambient credentials are for cluster
// issuers only, as in cert-manager.
func (w *work) dcvRunner(ctx context.Context, cfg *v1alpha1.DCV, v provider.DNSValidator) (*dcv.Runner, error) {
	opts := w.r.DCV
	run, err := dcv.NewRunner(ctx, w.caName(), cfg, v, dcv.BuildOptions{
		Secrets:     secretReader(w.r.APIReader, secretNamespace(w.issuer, w.r.ClusterResourceNamespace)),
		Ambient:     w.kind.Cluster,
		Nameservers: opts.Nameservers,
		Helper:      opts.Helper,
	})
	if err != nil {
		return nil, err
	}
	run.Propagation.Resolve = opts.ResolveNameserver
	run.CheckInterval = opts.CheckInterval
	run.Now = w.r.Clock.Now
	return run, nil
}

// dcvCleanup removes the records published for the submission, and says
// so with an Event when one cannot be removed; the state keeps it, and the
// next submission of the Certificate tries again.
func (w *work) dcvCleanup(ctx context.Context, run *dcv.Runner, st v1alpha1.DCVState) *v1alpha1.DCVState {
	cleaned, err := run.Cleanup(ctx, st)
	if err != nil {
		log.FromContext(ctx).Error(err, "removing DNS validation records")
		w.r.event(w.cr, "Warning", EventDCVCleanupFailed, "Removing the DNS validation records: "+err.Error())
	}
	return &cleaned
}

// dcvBeforeSubmit removes what an earlier submission left published, so
// that the new one starts with fresh state and nothing leaks.
func (w *work) dcvBeforeSubmit(ctx context.Context) {
	current := w.s.Ledger.DCV
	v, ok := w.p.(provider.DNSValidator)
	cfg := dcvConfig(w.issuer)
	if !publishedLeft(current) || cfg == nil || !ok {
		return
	}
	run, err := w.dcvRunner(ctx, cfg, v)
	if err != nil {
		log.FromContext(ctx).Error(err, "cannot build the dcv.dns01 provider to remove earlier records")
		return
	}
	w.dcvCleanup(ctx, run, *current)
}

// dcvHandle is the order the CA validates: the answer's handle, completed
// from the ledger's.
func (w *work) dcvHandle(st provider.Status) provider.Handle {
	h := st.Handle
	if sub := w.s.Ledger.Submission; sub != nil && sub.Handle != nil {
		h.OrderID = cmp.Or(h.OrderID, sub.Handle.OrderID)
		h.RequestID = cmp.Or(h.RequestID, sub.Handle.RequestID)
		h.CertificateID = cmp.Or(h.CertificateID, sub.Handle.CertificateID)
	}
	return h
}

func (w *work) dcvInterval() time.Duration {
	if w.r.DCV.CheckInterval > 0 {
		return w.r.DCV.CheckInterval
	}
	return dcv.DefaultCheckInterval
}

// publishedLeft tells whether st holds a published record not yet removed.
func publishedLeft(st *v1alpha1.DCVState) bool {
	if st == nil {
		return false
	}
	for _, rec := range st.Records {
		if rec.PublishedAt != nil && rec.RemovedAt == nil {
			return true
		}
	}
	return false
}

// dcvConfig is the issuer's dcv block when it has dcv.dns01; nil otherwise.
func dcvConfig(issuer Issuer) *v1alpha1.DCV {
	var cfg *v1alpha1.DCV
	switch i := issuer.(type) {
	case *v1alpha1.DigiCertIssuer:
		cfg = i.Spec.DCV
	case *v1alpha1.DigiCertClusterIssuer:
		cfg = i.Spec.DCV
	case *v1alpha1.OpenproviderIssuer:
		cfg = openproviderDCV(i.Spec.DCV)
	case *v1alpha1.OpenproviderClusterIssuer:
		cfg = openproviderDCV(i.Spec.DCV)
	}
	if cfg == nil || cfg.DNS01 == nil {
		return nil
	}
	return cfg
}

func openproviderDCV(d *v1alpha1.OpenproviderDCV) *v1alpha1.DCV {
	if d == nil {
		return nil
	}
	return &d.DCV
}

// caNote appends the CA's own message, which names the token to publish.
func caNote(msg string) string {
	if msg == "" {
		return ""
	}
	return "; " + msg
}
