package controllers

import (
	"context"
	"fmt"
	"slices"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
)

// The CertificateOrder of a Certificate and issuer records the CA order its
// requests build on. It has the Certificate's name and labels, and outlives
// the CertificateRequests.

const (
	maxPreviousOrders = 10
	maxCertificateIDs = 20
)

// record returns the Certificate's order record for this issuer, or nil
// when the request has no Certificate or the Certificate has none yet.
func (w *work) record(ctx context.Context) (*v1alpha1.CertificateOrder, error) {
	name := w.cr.Annotations[cmapi.CertificateNameKey]
	if name == "" {
		return nil, nil
	}
	rec := &v1alpha1.CertificateOrder{}
	if err := w.r.Client.Get(ctx, client.ObjectKey{Namespace: w.cr.Namespace, Name: name}, rec); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("reading CertificateOrder %s/%s: %w", w.cr.Namespace, name, err)
	}
	if rec.Spec.IssuerRef != w.issuerRef() {
		// Another issuer's order: this issuer starts afresh.
		return nil, nil
	}
	return rec, nil
}

func (w *work) issuerRef() v1alpha1.IssuerReference {
	return v1alpha1.IssuerReference{Name: w.cr.Spec.IssuerRef.Name, Kind: w.kind.Name, Group: v1alpha1.GroupVersion.Group}
}

// orderStatus is a CertificateOrder's status with its transitions.
type orderStatus struct {
	v1alpha1.CertificateOrderStatus
}

// saveRecord applies mutate to the Certificate's order record and writes it
// when it changed. Requests without a Certificate keep no record.
func (w *work) saveRecord(ctx context.Context, mutate func(*orderStatus)) error {
	name := w.cr.Annotations[cmapi.CertificateNameKey]
	if name == "" {
		return nil
	}
	rec, err := w.record(ctx)
	if err != nil {
		return err
	}
	if w.saved != nil {
		// A write earlier in this reconcile is newer than the cache.
		rec = w.saved
	}
	var status orderStatus
	if rec != nil {
		status.CertificateOrderStatus = *rec.Status.DeepCopy()
	}
	mutate(&status)
	if rec != nil && equality.Semantic.DeepEqual(rec.Status, status.CertificateOrderStatus) {
		return nil
	}
	if rec == nil {
		if rec, err = w.createRecord(ctx, name); err != nil {
			return err
		}
	}
	if err := applyStatus(ctx, w.r.Client, rec, &status.CertificateOrderStatus); err != nil {
		return err
	}
	rec.Status = status.CertificateOrderStatus
	w.saved = rec
	return nil
}

// createRecord applies the record's identity: the Certificate's name and
// labels, the issuer and the CA.
func (w *work) createRecord(ctx context.Context, name string) (*v1alpha1.CertificateOrder, error) {
	rec := &v1alpha1.CertificateOrder{
		ObjectMeta: metav1.ObjectMeta{Namespace: w.cr.Namespace, Name: name},
		Spec:       v1alpha1.CertificateOrderSpec{CertificateName: name, IssuerRef: w.issuerRef(), Provider: w.issuer.Settings().Provider},
	}
	var crt cmapi.Certificate
	if err := w.r.APIReader.Get(ctx, client.ObjectKey{Namespace: w.cr.Namespace, Name: name}, &crt); err == nil {
		rec.Labels = crt.Labels
	}
	u, err := applyObject(w.r.Client.Scheme(), rec)
	if err != nil {
		return nil, err
	}
	spec, err := runtime.DefaultUnstructuredConverter.ToUnstructured(&rec.Spec)
	if err != nil {
		return nil, err
	}
	u.Object["spec"] = spec
	if len(rec.Labels) > 0 {
		u.SetLabels(rec.Labels)
	}
	if err := w.r.Client.Apply(ctx, client.ApplyConfigurationFromUnstructured(u), client.FieldOwner(FieldOwner), client.ForceOwnership); err != nil {
		return nil, fmt.Errorf("writing CertificateOrder %s/%s: %w", w.cr.Namespace, name, err)
	}
	return rec, nil
}

// accepted records a submission the CA accepted.
func (s *orderStatus) accepted(action provider.Action, st provider.Status, w *work) {
	if action == provider.ActionOrder && s.OrderID != st.Handle.OrderID {
		if s.OrderID != "" {
			s.PreviousOrderIDs = append([]string{s.OrderID}, s.PreviousOrderIDs...)[:min(len(s.PreviousOrderIDs)+1, maxPreviousOrders)]
		}
		s.CertificateIDs, s.NotAfter, s.LastIssued, s.OrderValidUntil = nil, nil, nil, nil
		s.CommonName, s.DNSNames = w.csr.CommonName, w.csr.DNSNames
		s.State = v1alpha1.OrderPending
	}
	s.OrderID = st.Handle.OrderID
	if w.live != nil && w.live.ID == s.OrderID {
		if s.CommonName == "" {
			s.CommonName, s.DNSNames = w.live.CommonName, w.live.DNSNames
		}
		if s.State == "" {
			s.State = v1alpha1.OrderActive
		}
		s.setValidUntil(w.live.ValidUntil)
	}
	s.setValidUntil(st.OrderValidUntil)
}

// polled records what a poll said of the order.
func (s *orderStatus) polled(st provider.Status) { s.setValidUntil(st.OrderValidUntil) }

// issued records a certificate issued under the order.
func (s *orderStatus) issued(action provider.Action, st provider.Status, w *work) {
	s.State = v1alpha1.OrderActive
	if action != provider.ActionDuplicate {
		s.CommonName, s.DNSNames = w.csr.CommonName, w.csr.DNSNames
	}
	if id := st.Handle.CertificateID; id != "" && !slices.Contains(s.CertificateIDs, id) {
		s.CertificateIDs = append(s.CertificateIDs, id)
		if len(s.CertificateIDs) > maxCertificateIDs {
			s.CertificateIDs = s.CertificateIDs[len(s.CertificateIDs)-maxCertificateIDs:]
		}
	}
	s.LastIssued, s.NotAfter = seconds(w.now), seconds(st.Chain.Leaf.NotAfter)
	s.setValidUntil(st.OrderValidUntil)
}

func (s *orderStatus) setValidUntil(t time.Time) {
	if !t.IsZero() {
		s.OrderValidUntil = seconds(t)
	}
}

// seconds is t as the API stores it: UTC, whole seconds. Records compare
// equal to what was read back, so an unchanged record is never rewritten.
func seconds(t time.Time) *metav1.Time {
	mt := metav1.NewTime(t.UTC().Truncate(time.Second))
	return &mt
}
