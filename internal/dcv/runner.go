package dcv

import (
	"context"
	"errors"
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
)

// DefaultCheckInterval is the least time between two requests to the CA to
// check the same order.
const DefaultCheckInterval = time.Minute

// Runner drives the DNS validation of one order, one step per reconcile.
// It keeps no state of its own: everything it must remember is in the
// v1alpha1.DCVState it is given and returns, so a new Runner (after a
// restart) carries on where the last one stopped.
type Runner struct {
	// CA names the CA in messages ("DigiCert") and labels the metrics.
	CA string
	// Validator is the provider's DNS side.
	Validator provider.DNSValidator
	// Solver publishes the records.
	Solver Solver
	// Selector picks the names Solver serves; nil serves all.
	Selector *v1alpha1.DCVSelector
	// Propagation checks the records on the authoritative nameservers.
	Propagation Propagation
	// CheckInterval is the least time between two checks at the CA; zero
	// means DefaultCheckInterval.
	CheckInterval time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Result is the outcome of one Step.
type Result struct {
	// State to store with the order.
	State v1alpha1.DCVState
	// Message for the request's Pending condition.
	Message string
	// Checked is true when the step asked the CA to check.
	Checked bool
	// Validated is true once the CA accepted every name.
	Validated bool
	// RequeueAfter is when the next step is worth taking.
	RequeueAfter time.Duration
}

// Step takes the next step of validation for the order h:
// learn the records the CA expects, publish those in the selector, wait
// until every authoritative nameserver serves them, then ask the CA to
// check, at most once per CheckInterval. The returned error is also in
// Result.Message; Result.State is always the state to store.
func (r *Runner) Step(ctx context.Context, h provider.Handle, st v1alpha1.DCVState) (Result, error) {
	st = *st.DeepCopy()
	now := r.now()
	if st.StartedAt == nil {
		st.StartedAt = &now
	}
	if st.ValidatedAt != nil {
		return Result{State: st, Validated: true, Message: r.CA + ": every name validated"}, nil
	}
	if len(st.Records) == 0 {
		recs, err := r.Validator.DNSRecords(ctx, h)
		if err != nil {
			return r.fail(st, fmt.Errorf("asking %s for the DNS records to publish: %w", r.CA, err))
		}
		if len(recs) == 0 {
			return Result{State: st, Message: r.CA + " expects no DNS record", RequeueAfter: r.interval()}, nil
		}
		st.Records = r.records(recs)
	}
	if names, err := r.publish(ctx, &st); err != nil || len(names) > 0 {
		if err != nil {
			return r.fail(st, err)
		}
		return r.pending(st, "publishing "+joinNames(names), time.Second), nil
	}
	if waiting, err := r.propagation(ctx, &st); err != nil || waiting != "" {
		if err != nil {
			return r.fail(st, err)
		}
		return r.pending(st, "waiting for propagation of "+waiting, 5*time.Second), nil
	}
	return r.check(ctx, h, st)
}

// records turns the CA's records into state, marking those outside the
// selector for a person to publish.
func (r *Runner) records(recs []provider.DNSRecord) []v1alpha1.DCVRecord {
	out := make([]v1alpha1.DCVRecord, 0, len(recs))
	for _, rec := range recs {
		out = append(out, v1alpha1.DCVRecord{
			Domain: rec.Domain, Name: rec.Name, Value: rec.Value,
			Manual: !Selects(r.Selector, rec.Domain),
		})
	}
	return out
}

// publish presents every automated record not yet published and returns
// the names it published. A record is marked published only once its
// provider accepted it; presenting again is harmless, as the providers
// add a value to a TXT RRset only once.
func (r *Runner) publish(ctx context.Context, st *v1alpha1.DCVState) ([]string, error) {
	var names []string
	for i := range st.Records {
		rec := &st.Records[i]
		if rec.Manual || rec.PublishedAt != nil {
			continue
		}
		if err := r.Solver.Present(ctx, rec.Domain, rec.Name, rec.Value); err != nil {
			return names, fmt.Errorf("publishing %s: %w", unfqdn(rec.Name), err)
		}
		t := r.now()
		rec.PublishedAt = &t
		recordsPublished.WithLabelValues(r.CA).Inc()
		names = append(names, rec.Name)
	}
	return names, nil
}

// propagation checks each published record not yet seen everywhere and
// describes the first one still missing somewhere.
func (r *Runner) propagation(ctx context.Context, st *v1alpha1.DCVState) (string, error) {
	for i := range st.Records {
		rec := &st.Records[i]
		if rec.Manual || rec.PropagatedAt != nil {
			continue
		}
		seen, err := r.Propagation.Check(ctx, rec.Name, rec.Value)
		if err != nil {
			return "", fmt.Errorf("checking %s: %w", unfqdn(rec.Name), err)
		}
		if !seen.Complete() {
			return fmt.Sprintf("%s (%s)", unfqdn(rec.Name), seen), nil
		}
		t := r.now()
		rec.PropagatedAt = &t
	}
	return "", nil
}

// check asks the CA to look at the records, unless it did so within
// CheckInterval.
func (r *Runner) check(ctx context.Context, h provider.Handle, st v1alpha1.DCVState) (Result, error) {
	now := r.now()
	if st.LastCheckAt != nil {
		if wait := st.LastCheckAt.Add(r.interval()).Sub(now.Time); wait > 0 {
			return r.pending(st, r.verdict(st), wait), nil
		}
	}
	st.LastCheckAt = &now
	results, err := r.Validator.CheckDNS(ctx, h)
	if err != nil {
		checksMade.WithLabelValues(r.CA, "error").Inc()
		res, err := r.fail(st, fmt.Errorf("asking %s to check: %w", r.CA, err))
		res.Checked = true
		return res, err
	}
	applyVerdict(&st, results)
	outcome, validated := "pending", allValidated(st)
	if validated {
		outcome = "validated"
		st.ValidatedAt = &now
		timeToValidated.WithLabelValues(r.CA).Observe(now.Sub(st.StartedAt.Time).Seconds())
	}
	checksMade.WithLabelValues(r.CA, outcome).Inc()
	res := r.pending(st, "asked "+r.CA+" to check; "+r.verdict(st), r.interval())
	res.Checked, res.Validated = true, validated
	return res, nil
}

// Cleanup removes every record the Runner published and has not removed
// yet, once the order is issued or given up. It carries on past a failing
// record and reports all failures; calling it again retries only those.
func (r *Runner) Cleanup(ctx context.Context, st v1alpha1.DCVState) (v1alpha1.DCVState, error) {
	st = *st.DeepCopy()
	var errs []error
	for i := range st.Records {
		rec := &st.Records[i]
		if rec.PublishedAt == nil || rec.RemovedAt != nil {
			continue
		}
		if err := r.Solver.CleanUp(ctx, rec.Domain, rec.Name, rec.Value); err != nil {
			errs = append(errs, fmt.Errorf("removing %s: %w", unfqdn(rec.Name), err))
			continue
		}
		t := r.now()
		rec.RemovedAt = &t
	}
	return st, errors.Join(errs...)
}

func (r *Runner) fail(st v1alpha1.DCVState, err error) (Result, error) {
	res := r.pending(st, err.Error(), r.interval())
	return res, err
}

// pending builds a result whose message ends with the records a person
// must publish.
func (r *Runner) pending(st v1alpha1.DCVState, msg string, after time.Duration) Result {
	return Result{State: st, Message: msg + manualNote(st), RequeueAfter: after}
}

func (r *Runner) interval() time.Duration {
	if r.CheckInterval > 0 {
		return r.CheckInterval
	}
	return DefaultCheckInterval
}

func (r *Runner) now() metav1.Time {
	if r.Now != nil {
		return metav1.NewTime(r.Now())
	}
	return metav1.Now()
}
