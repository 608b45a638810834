package clusterstate_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/metrics"
	"github.com/certorder/certorder/internal/metrics/clusterstate"
)

var ends = metav1.NewTime(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC))

func ready(status metav1.ConditionStatus) v1alpha1.IssuerStatus {
	return v1alpha1.IssuerStatus{Conditions: []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: status, Reason: "Checked", LastTransitionTime: ends}}}
}

func order(name string, kind, issuer string, state v1alpha1.OrderState, validUntil *metav1.Time) *v1alpha1.CertificateOrder {
	return &v1alpha1.CertificateOrder{
		ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: name},
		Spec:       v1alpha1.CertificateOrderSpec{IssuerRef: v1alpha1.IssuerReference{Kind: kind, Name: issuer}},
		Status:     v1alpha1.CertificateOrderStatus{State: state, OrderValidUntil: validUntil},
	}
}

func TestSource(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2027, 1, 10, 12, 0, 0, 0, time.UTC)
	placed := order("placed", v1alpha1.DigiCertIssuerKind, "dc", v1alpha1.OrderActive, &ends)
	placed.Status.NewOrdersPlaced = []metav1.Time{
		metav1.NewTime(now.Add(-30 * time.Hour)), metav1.NewTime(now.Add(-3 * time.Hour)), metav1.NewTime(now.Add(-time.Hour)),
	}
	objs := []client.Object{
		&v1alpha1.DigiCertIssuer{
			ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "dc"}, Status: ready(metav1.ConditionTrue),
			Spec: v1alpha1.DigiCertIssuerSpec{Guardrails: v1alpha1.Guardrails{NewOrderBudget: ptr.To[int32](5)}},
		},
		placed,
		&v1alpha1.DigiCertClusterIssuer{ObjectMeta: metav1.ObjectMeta{Name: "dc-cluster"}, Status: ready(metav1.ConditionFalse)},
		&v1alpha1.OpenproviderIssuer{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "op"}},
		&v1alpha1.OpenproviderClusterIssuer{ObjectMeta: metav1.ObjectMeta{Name: "op-cluster"}, Status: ready(metav1.ConditionTrue)},
		order("active", v1alpha1.DigiCertIssuerKind, "dc", v1alpha1.OrderActive, &ends),
		order("pending", v1alpha1.OpenproviderClusterIssuerKind, "op-cluster", v1alpha1.OrderPending, &ends),
		order("failed", v1alpha1.DigiCertIssuerKind, "dc", v1alpha1.OrderFailed, &ends),
		order("expired", v1alpha1.DigiCertIssuerKind, "dc", v1alpha1.OrderExpired, &ends),
		order("no-plan-yet", v1alpha1.DigiCertIssuerKind, "dc", v1alpha1.OrderPending, nil),
	}
	c := fake.NewClientBuilder().WithScheme(scheme).WithObjects(objs...).WithStatusSubresource(objs...).Build()

	inv, err := clusterstate.Source(c, func() time.Time { return now })(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byName := func(a, b metrics.Issuer) int { return strings.Compare(a.Name, b.Name) }
	slices.SortFunc(inv.Issuers, byName)
	wantIssuers := []metrics.Issuer{
		{Kind: v1alpha1.DigiCertIssuerKind, Namespace: "shop", Name: "dc", Ready: true},
		{Kind: v1alpha1.DigiCertClusterIssuerKind, Name: "dc-cluster"},
		{Kind: v1alpha1.OpenproviderIssuerKind, Namespace: "shop", Name: "op"},
		{Kind: v1alpha1.OpenproviderClusterIssuerKind, Name: "op-cluster", Ready: true},
	}
	if !slices.Equal(inv.Issuers, wantIssuers) {
		t.Errorf("issuers %+v, want %+v", inv.Issuers, wantIssuers)
	}
	slices.SortFunc(inv.Budgets, func(a, b metrics.Budget) int { return byName(a.Issuer, b.Issuer) })
	wantBudgets := []metrics.Budget{
		{Issuer: metrics.Issuer{Kind: v1alpha1.DigiCertIssuerKind, Namespace: "shop", Name: "dc"}, Limit: 5, Used: 2},
		{Issuer: metrics.Issuer{Kind: v1alpha1.DigiCertClusterIssuerKind, Name: "dc-cluster"}, Limit: v1alpha1.DefaultNewOrderBudget},
		{Issuer: metrics.Issuer{Kind: v1alpha1.OpenproviderIssuerKind, Namespace: "shop", Name: "op"}, Limit: v1alpha1.DefaultNewOrderBudget},
		{Issuer: metrics.Issuer{Kind: v1alpha1.OpenproviderClusterIssuerKind, Name: "op-cluster"}, Limit: v1alpha1.DefaultNewOrderBudget},
	}
	if !slices.Equal(inv.Budgets, wantBudgets) {
		t.Errorf("budgets %+v, want %+v", inv.Budgets, wantBudgets)
	}
	slices.SortFunc(inv.Plans, func(a, b metrics.Plan) int { return byName(a.Issuer, b.Issuer) })
	wantPlans := []metrics.Plan{
		{Issuer: metrics.Issuer{Kind: v1alpha1.DigiCertIssuerKind, Namespace: "shop", Name: "dc"}, Ends: ends.Time},
		{Issuer: metrics.Issuer{Kind: v1alpha1.DigiCertIssuerKind, Namespace: "shop", Name: "dc"}, Ends: ends.Time},
		{Issuer: metrics.Issuer{Kind: v1alpha1.OpenproviderClusterIssuerKind, Name: "op-cluster"}, Ends: ends.Time},
	}
	if !slices.EqualFunc(inv.Plans, wantPlans, func(a, b metrics.Plan) bool { return a.Issuer == b.Issuer && a.Ends.Equal(b.Ends) }) {
		t.Errorf("plans %+v, want the live orders' %+v", inv.Plans, wantPlans)
	}
}
