package controllers

import (
	"context"
	"fmt"
	"testing"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	dto "github.com/prometheus/client_model/go"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	crmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/metrics"
)

func TestPendingGaugeCountsByProviderAndAge(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	cr := func(name, group, kind string, age time.Duration, ready *cmapi.CertificateRequestCondition) *cmapi.CertificateRequest {
		r := &cmapi.CertificateRequest{
			ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name, CreationTimestamp: metav1.NewTime(now.Add(-age))},
			Spec:       cmapi.CertificateRequestSpec{IssuerRef: cmmeta.IssuerReference{Group: group, Kind: kind, Name: "x"}},
		}
		if ready != nil {
			r.Status.Conditions = []cmapi.CertificateRequestCondition{*ready}
		}
		return r
	}
	issued := &cmapi.CertificateRequestCondition{Type: cmapi.CertificateRequestConditionReady, Status: cmmeta.ConditionTrue, Reason: cmapi.CertificateRequestReasonIssued}
	failed := &cmapi.CertificateRequestCondition{Type: cmapi.CertificateRequestConditionReady, Status: cmmeta.ConditionFalse, Reason: cmapi.CertificateRequestReasonFailed}
	pending := &cmapi.CertificateRequestCondition{Type: cmapi.CertificateRequestConditionReady, Status: cmmeta.ConditionFalse, Reason: cmapi.CertificateRequestReasonPending}
	group := v1alpha1.GroupVersion.Group
	scheme := runtime.NewScheme()
	if err := cmapi.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	kinds := Kinds{
		v1alpha1.DigiCertIssuerKind:     {Name: v1alpha1.DigiCertIssuerKind, New: func() Issuer { return &v1alpha1.DigiCertIssuer{} }},
		v1alpha1.OpenproviderIssuerKind: {Name: v1alpha1.OpenproviderIssuerKind, New: func() Issuer { return &v1alpha1.OpenproviderIssuer{} }},
	}
	r := &RequestReconciler{Kinds: kinds}
	c := fake.NewClientBuilder().WithScheme(scheme).WithIndex(&cmapi.CertificateRequest{}, unfinishedIndex, r.unfinished).WithObjects(
		cr("new", group, v1alpha1.DigiCertIssuerKind, time.Minute, nil),
		cr("pending-2h", group, v1alpha1.DigiCertIssuerKind, 2*time.Hour, pending),
		cr("pending-3d", group, v1alpha1.OpenproviderIssuerKind, 72*time.Hour, pending),
		cr("issued", group, v1alpha1.DigiCertIssuerKind, time.Minute, issued),
		cr("failed", group, v1alpha1.DigiCertIssuerKind, 2*time.Hour, failed),
		cr("not-ours", "cert-manager.io", "Issuer", time.Minute, nil),
	).Build()
	g := &PendingGauge{Client: indexedOnly{c}, Kinds: kinds, Clock: clocktesting.NewFakePassiveClock(now)}
	g.count(context.Background())

	want := map[[2]string]float64{
		{"digicert", "0-5m"}: 1, {"digicert", "5m-1h"}: 0, {"digicert", "1h-1d"}: 1, {"digicert", "1d+"}: 0,
		{"openprovider", "0-5m"}: 0, {"openprovider", "5m-1h"}: 0, {"openprovider", "1h-1d"}: 0, {"openprovider", "1d+"}: 1,
	}
	got := pendingSeries(t)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("pending{provider=%q,age=%q} = %v, want %v", k[0], k[1], got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("series %v, want exactly %v", got, want)
	}
}

// pendingSeries reads the pending gauge from controller-runtime's registry,
// by provider and age.
func pendingSeries(t *testing.T) map[[2]string]float64 {
	t.Helper()
	if err := metrics.Register(crmetrics.Registry); err != nil {
		t.Fatal(err)
	}
	families, err := crmetrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[[2]string]float64{}
	for _, f := range families {
		if f.GetName() != "certorder_certificaterequests_pending" {
			continue
		}
		for _, m := range f.GetMetric() {
			out[[2]string{label(m, "provider"), label(m, "age")}] = m.GetGauge().GetValue()
		}
	}
	return out
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// indexedOnly refuses a list that does not go through unfinishedIndex: the
// gauge must not list the finished requests.
type indexedOnly struct{ client.Reader }

func (r indexedOnly) List(ctx context.Context, list client.ObjectList, opts ...client.ListOption) error {
	var o client.ListOptions
	o.ApplyOptions(opts)
	if o.FieldSelector == nil || o.FieldSelector.String() != unfinishedIndex+"=true" {
		return fmt.Errorf("listed with %v, not through %s", o.FieldSelector, unfinishedIndex)
	}
	return r.Reader.List(ctx, list, opts...)
}
