package controllers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
)

// Reasons of an issuer's Ready condition.
const (
	ReasonChecked          = "Checked"
	ReasonSecretNotFound   = "SecretNotFound"
	ReasonSecretKeyMissing = "SecretKeyMissing"
	ReasonAuthFailed       = "AuthFailed"
	ReasonCAUnreachable    = "CAUnreachable"
	ReasonInvalidConfig    = "InvalidConfig"
)

// IssuerReconciler checks the credentials of the issuers of one kind and
// keeps their Ready condition true to what the CA says.
type IssuerReconciler struct {
	Kind   Kind
	Client client.Client
	// SecretReader reads Secrets without a cache.
	SecretReader             client.Reader
	ClusterResourceNamespace string
	// RecheckInterval is how often a Ready issuer is checked again.
	RecheckInterval time.Duration
	// WatchSecrets checks an issuer as soon as one of its Secrets changes,
	// through a metadata-only watch that needs list and watch on Secrets.
	// Without it, a not-Ready issuer is checked again with NotReadyBackoff.
	WatchSecrets bool
	Recorder     events.EventRecorder
	Clock        clock.PassiveClock
}

// The bounds of the backoff between checks of a not-Ready issuer: soon
// enough that a fixed Secret is picked up without a watch, rare enough
// that a long-broken issuer costs next to nothing.
const (
	NotReadyFirstRecheck = 10 * time.Second
	NotReadyMaxRecheck   = 5 * time.Minute
)

// Reconcile checks one issuer.
func (r *IssuerReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	issuer := r.Kind.New()
	if err := r.Client.Get(ctx, req.NamespacedName, issuer); err != nil {
		// Deleted: nothing to do.
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	// A check is one CA call, deferred rather than held when the
	// credential's rate limiter has no room (provider.ErrNotSent).
	cond, retry := r.check(provider.Deferrable(ctx), issuer)
	if ready, _ := IsReady(issuer); ready && cond.Reason == ReasonCAUnreachable {
		// A passing fault does not take a checked issuer out of service:
		// its requests report CA faults themselves. Check again soon.
		r.Recorder.Eventf(issuer, nil, "Warning", "CheckFailed", "Check", "%s", cond.Message)
		return ctrl.Result{RequeueAfter: retry}, nil
	}
	cond.ObservedGeneration = issuer.GetGeneration()
	if err := r.setReady(ctx, issuer, cond); err != nil {
		// Requeue with the controller's backoff.
		return ctrl.Result{}, err
	}
	// Check again later; sooner when the check failed for a passing reason.
	return ctrl.Result{RequeueAfter: retry}, nil
}

// check builds the issuer's provider and asks the CA, returning the Ready
// condition and when to check again.
func (r *IssuerReconciler) check(ctx context.Context, issuer Issuer) (metav1.Condition, time.Duration) {
	ns := secretNamespace(issuer, r.ClusterResourceNamespace)
	p, err := r.Kind.Provider(ctx, issuer, secretReader(r.SecretReader, ns))
	if err == nil {
		err = p.Check(ctx)
	}
	if err == nil {
		return readyCondition(metav1.ConditionTrue, ReasonChecked, "The CA accepted the credentials"), r.RecheckInterval
	}
	var transient *provider.TransientError
	if errors.Is(err, provider.ErrNotSent) && errors.As(err, &transient) {
		// The credential's rate limiter has no room: nothing was asked of
		// the CA, so the issuer stays as it was; check again once it has.
		if c := meta.FindStatusCondition(issuer.GetStatus().Conditions, v1alpha1.ConditionReady); c != nil {
			return *c, transient.RetryAfter
		}
		return readyCondition(metav1.ConditionUnknown, ReasonCAUnreachable, fmt.Sprintf("Waiting for the credential's rate limiter: %v", err)), transient.RetryAfter
	}
	log.FromContext(ctx).Info("issuer not ready", "error", err.Error())
	retry := r.notReadyRetry(issuer)
	var (
		notFound   *SecretNotFoundError
		keyMissing *SecretKeyMissingError
		auth       *provider.AuthError
	)
	// A Secret or credential problem waits for the user: the backoff (or
	// the Secret watch, when enabled) picks up a fix.
	switch {
	case errors.As(err, &notFound):
		return readyCondition(metav1.ConditionFalse, ReasonSecretNotFound,
			fmt.Sprintf("%v: create it in namespace %s with the credentials the spec names", err, ns)), retry
	case errors.As(err, &keyMissing):
		return readyCondition(metav1.ConditionFalse, ReasonSecretKeyMissing,
			fmt.Sprintf("%v: add the key or fix the key name in the spec", err)), retry
	case errors.As(err, &auth):
		return readyCondition(metav1.ConditionFalse, ReasonAuthFailed,
			fmt.Sprintf("The CA refused the credentials: %v", err)), retry
	case errors.As(err, &transient):
		return readyCondition(metav1.ConditionFalse, ReasonCAUnreachable,
			fmt.Sprintf("The CA could not be reached: %v", err)), transientRetry(transient, r.RecheckInterval)
	default:
		return readyCondition(metav1.ConditionFalse, ReasonInvalidConfig,
			fmt.Sprintf("The issuer cannot be used: %v", err)), retry
	}
}

// notReadyRetry is when to check a failing issuer again: as long as it has
// been not Ready, between NotReadyFirstRecheck and NotReadyMaxRecheck (and
// never later than the recheck interval). Waiting as long as the failure
// has lasted doubles the wait at each check, from the condition alone, so
// the backoff survives restarts and needs no memory.
func (r *IssuerReconciler) notReadyRetry(issuer Issuer) time.Duration {
	return NotReadyBackoff(issuer.GetStatus().Conditions, r.Clock.Now(), r.RecheckInterval)
}

// NotReadyBackoff is the wait before the next check of an issuer whose
// check just failed, given its conditions before the check.
func NotReadyBackoff(conds []metav1.Condition, now time.Time, limit time.Duration) time.Duration {
	wait := NotReadyFirstRecheck
	if c := meta.FindStatusCondition(conds, v1alpha1.ConditionReady); c != nil && c.Status == metav1.ConditionFalse {
		wait = max(wait, now.Sub(c.LastTransitionTime.Time))
	}
	return min(wait, NotReadyMaxRecheck, limit)
}

// transientRetry waits as long as the CA asked, else 15 seconds, and never
// longer than the recheck interval.
func transientRetry(err *provider.TransientError, max time.Duration) time.Duration {
	wait := 15 * time.Second
	if err.RetryAfter > 0 {
		wait = err.RetryAfter
	}
	return min(wait, max)
}

func readyCondition(status metav1.ConditionStatus, reason, message string) metav1.Condition {
	return metav1.Condition{Type: v1alpha1.ConditionReady, Status: status, Reason: reason, Message: message}
}

// setReady applies the Ready condition when it changed, and records an
// Event when the status or reason changed.
func (r *IssuerReconciler) setReady(ctx context.Context, issuer Issuer, cond metav1.Condition) error {
	status := issuer.GetStatus().DeepCopy()
	old := meta.FindStatusCondition(status.Conditions, v1alpha1.ConditionReady)
	if old != nil && old.Status == cond.Status && old.Reason == cond.Reason && old.Message == cond.Message && old.ObservedGeneration == cond.ObservedGeneration {
		return nil
	}
	cond.LastTransitionTime = metav1.NewTime(r.Clock.Now())
	if old != nil && old.Status == cond.Status {
		cond.LastTransitionTime = old.LastTransitionTime
	}
	meta.SetStatusCondition(&status.Conditions, cond)
	if err := applyStatus(ctx, r.Client, issuer, status); err != nil {
		return err
	}
	if old == nil || old.Status != cond.Status || old.Reason != cond.Reason {
		kind := "Normal"
		if cond.Status != metav1.ConditionTrue {
			kind = "Warning"
		}
		r.Recorder.Eventf(issuer, nil, kind, cond.Reason, "Check", "%s", cond.Message)
	}
	return nil
}

// IsReady tells whether an issuer's Ready condition is true for its current
// generation, and its message otherwise.
func IsReady(issuer Issuer) (bool, string) {
	cond := meta.FindStatusCondition(issuer.GetStatus().Conditions, v1alpha1.ConditionReady)
	switch {
	case cond == nil:
		return false, "it has not been checked yet"
	case cond.ObservedGeneration != issuer.GetGeneration():
		return false, "its latest spec has not been checked yet"
	case cond.Status != metav1.ConditionTrue:
		return false, fmt.Sprintf("%s: %s", cond.Reason, cond.Message)
	}
	return true, ""
}
