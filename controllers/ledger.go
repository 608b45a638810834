package controllers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
)

// The ledger of a Certificate and an issuer is its CertificateOrder: the
// order its requests build on and the latest submission, recorded before
// the CA is called. This file reads it and is its one writer.

// ledger is a Certificate's CertificateOrder for one issuer, as loaded.
type ledger struct {
	key         client.ObjectKey
	certificate string
	ref         v1alpha1.IssuerReference
	provider    v1alpha1.Provider
	// obj is nil until the first write creates it.
	obj *v1alpha1.CertificateOrder
}

// status is a copy of the ledger's status; zero before the first write.
func (l *ledger) status() v1alpha1.CertificateOrderStatus {
	if l.obj == nil {
		return v1alpha1.CertificateOrderStatus{}
	}
	return *l.obj.Status.DeepCopy()
}

// certificateOf is the Certificate a request belongs to. A request made
// without a Certificate is its own: it still gets a ledger, so its
// submission is recorded before the CA call like any other.
func certificateOf(cr *cmapi.CertificateRequest) string {
	if name := cr.Annotations[cmapi.CertificateNameKey]; name != "" {
		return name
	}
	return cr.Name
}

// LedgerName is the CertificateOrder of a Certificate and an issuer: the
// Certificate's name and a short hash of the issuer's kind and name, so two
// issuers never share one.
func LedgerName(certificate string, ref v1alpha1.IssuerReference) string {
	sum := sha256.Sum256([]byte(ref.Kind + "/" + ref.Name))
	suffix := hex.EncodeToString(sum[:5])
	if limit := validation.DNS1123SubdomainMaxLength - len(suffix) - 1; len(certificate) > limit {
		certificate = strings.TrimRight(certificate[:limit], "-.")
	}
	return certificate + "-" + suffix
}

// loadLedger reads the ledger of the request's Certificate for this issuer.
// A CertificateOrder named after the Certificate alone, written by earlier
// versions for the same issuer, is used as it is.
func (r *RequestReconciler) loadLedger(ctx context.Context, cr *cmapi.CertificateRequest, ref v1alpha1.IssuerReference, p v1alpha1.Provider) (*ledger, error) {
	cert := certificateOf(cr)
	l := &ledger{key: client.ObjectKey{Namespace: cr.Namespace, Name: LedgerName(cert, ref)}, certificate: cert, ref: ref, provider: p}
	for _, key := range []client.ObjectKey{l.key, {Namespace: cr.Namespace, Name: cert}} {
		obj := &v1alpha1.CertificateOrder{}
		err := r.Client.Get(ctx, key, obj)
		if err == nil && summarized(obj) {
			obj = &v1alpha1.CertificateOrder{}
			err = r.APIReader.Get(ctx, key, obj)
		}
		switch {
		case apierrors.IsNotFound(err):
			continue
		case err != nil:
			return nil, fmt.Errorf("reading CertificateOrder %s: %w", key, err)
		case obj.Spec.CertificateName == cert && obj.Spec.IssuerRef == ref:
			l.key, l.obj = key, obj
			return l, nil
		}
	}
	return l, nil
}

// settledSubmissions are the submissions of every summary, one per phase:
// shared, since no reader of a cached object modifies it.
var settledSubmissions = map[v1alpha1.SubmissionPhase]*v1alpha1.Submission{
	v1alpha1.SubmissionIssued: {Phase: v1alpha1.SubmissionIssued},
	v1alpha1.SubmissionFailed: {Phase: v1alpha1.SubmissionFailed},
}

// SummarizeLedger is what the cache keeps of a ledger whose submission is
// settled (Issued or Failed): its identity, its spec, and the order,
// state, plan end and new orders that the lists of ledgers read. Its
// submission keeps only its phase: without the CSR every submission has,
// it marks the summary (summarized), which is never written back nor
// decided on. Any other ledger is returned as it is.
func SummarizeLedger(co *v1alpha1.CertificateOrder) *v1alpha1.CertificateOrder {
	sub := co.Status.Submission
	if sub == nil || settledSubmissions[sub.Phase] == nil {
		return co
	}
	return &v1alpha1.CertificateOrder{
		TypeMeta: co.TypeMeta,
		ObjectMeta: metav1.ObjectMeta{
			Name: co.Name, Namespace: co.Namespace, UID: co.UID, ResourceVersion: co.ResourceVersion,
			Generation: co.Generation, CreationTimestamp: co.CreationTimestamp, DeletionTimestamp: co.DeletionTimestamp,
		},
		Spec: co.Spec,
		Status: v1alpha1.CertificateOrderStatus{
			OrderID: co.Status.OrderID, State: co.Status.State, OrderValidUntil: co.Status.OrderValidUntil,
			NewOrdersPlaced: co.Status.NewOrdersPlaced, Submission: settledSubmissions[sub.Phase],
		},
	}
}

// summarized tells whether the cache holds obj as SummarizeLedger's
// summary; loadLedger then reads it whole.
func summarized(obj *v1alpha1.CertificateOrder) bool {
	sub := obj.Status.Submission
	return sub != nil && len(sub.CSR) == 0
}

// writeLedger applies mutate to the ledger's status and writes it, with the
// resourceVersion it was read at as a precondition: a stale read fails with
// Conflict, and the reconcile starts again on fresh data. So no CA call is
// ever made on the strength of a stale ledger. Entries of newOrdersPlaced
// older than a day are dropped on every write.
func (r *RequestReconciler) writeLedger(ctx context.Context, l *ledger, now time.Time, mutate func(*orderStatus)) error {
	if l.obj == nil {
		obj, err := r.createLedger(ctx, l)
		if err != nil {
			return err
		}
		l.obj = obj
	}
	next := l.obj.DeepCopy()
	s := &orderStatus{CertificateOrderStatus: &next.Status}
	mutate(s)
	s.pruneNewOrders(now)
	if equality.Semantic.DeepEqual(l.obj.Status, next.Status) {
		return nil
	}
	patch := client.MergeFromWithOptions(l.obj, client.MergeFromWithOptimisticLock{})
	if err := r.Client.Status().Patch(ctx, next, patch, client.FieldOwner(FieldOwner)); err != nil {
		return fmt.Errorf("writing CertificateOrder %s: %w", l.key, err)
	}
	l.obj = next
	return nil
}

// createLedger creates the CertificateOrder with its identity: the
// Certificate, its labels, the issuer and the CA. AlreadyExists means the
// cache was behind, and is retried like a Conflict.
func (r *RequestReconciler) createLedger(ctx context.Context, l *ledger) (*v1alpha1.CertificateOrder, error) {
	obj := &v1alpha1.CertificateOrder{
		ObjectMeta: metav1.ObjectMeta{Namespace: l.key.Namespace, Name: l.key.Name},
		Spec:       v1alpha1.CertificateOrderSpec{CertificateName: l.certificate, IssuerRef: l.ref, Provider: l.provider},
	}
	var crt cmapi.Certificate
	if err := r.APIReader.Get(ctx, client.ObjectKey{Namespace: l.key.Namespace, Name: l.certificate}, &crt); err == nil {
		obj.Labels = crt.Labels
	}
	if err := r.Client.Create(ctx, obj, client.FieldOwner(FieldOwner)); err != nil {
		return nil, fmt.Errorf("creating CertificateOrder %s: %w", l.key, err)
	}
	return obj, nil
}

// staleLedger tells whether err is a write that lost to a newer one.
func staleLedger(err error) bool {
	return apierrors.IsConflict(err) || apierrors.IsAlreadyExists(err)
}

// heldBy names another CertificateOrder that holds orderID, if any. It
// scans the cached ledgers without copying them: only a request that asks
// to adopt an order comes here, and an index of every ledger's order cost
// two index entries per ledger for it.
func (r *RequestReconciler) heldBy(ctx context.Context, l *ledger, orderID string) (string, error) {
	var list v1alpha1.CertificateOrderList
	if err := r.Client.List(ctx, &list, client.UnsafeDisableDeepCopy); err != nil {
		return "", fmt.Errorf("listing the CertificateOrders to find order %s: %w", orderID, err)
	}
	for i := range list.Items {
		o := &list.Items[i]
		if o.Spec.Provider == l.provider && o.Status.OrderID == orderID && client.ObjectKeyFromObject(o) != l.key {
			return client.ObjectKeyFromObject(o).String(), nil
		}
	}
	return "", nil
}
