package controllers

import (
	"context"
	"strings"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/metrics"
)

// PendingGauge periodically counts the unfinished CertificateRequests of
// certorder's issuers, per CA and age bucket, for the pending-requests
// metric. It reads the manager's cache only, through the RequestReconciler's
// index of unfinished requests (unfinishedIndex): listing every request,
// finished ones included, each 30 s was most of an idle controller's
// allocations once thousands were held.
type PendingGauge struct {
	Client   client.Reader
	Kinds    Kinds
	Interval time.Duration
	Clock    clock.PassiveClock
}

// Start counts until ctx ends; it runs on every replica, as the cache does.
func (g *PendingGauge) Start(ctx context.Context) error {
	t := time.NewTicker(g.Interval)
	defer t.Stop()
	for {
		g.count(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func (g *PendingGauge) count(ctx context.Context) {
	var list cmapi.CertificateRequestList
	if err := g.Client.List(ctx, &list, client.MatchingFields{unfinishedIndex: "true"}); err != nil {
		log.FromContext(ctx).Error(err, "counting pending requests")
		return
	}
	type bucket struct{ provider, age string }
	pending := map[bucket]int{}
	for _, p := range []v1alpha1.Provider{v1alpha1.ProviderDigiCert, v1alpha1.ProviderOpenprovider} {
		for _, age := range metrics.PendingAges {
			pending[bucket{metricsProvider(p), age.Label}] = 0
		}
	}
	for i := range list.Items {
		cr := &list.Items[i]
		if k, ok := g.Kinds.Lookup(cr.Spec.IssuerRef.Group, cr.Spec.IssuerRef.Kind); ok {
			age := metrics.PendingAge(g.Clock.Since(cr.CreationTimestamp.Time))
			pending[bucket{metricsProvider(k.New().Settings().Provider), age}]++
		}
	}
	for b, n := range pending {
		metrics.SetPending(b.provider, b.age, n)
	}
}

// metricsProvider is the provider label of certorder's metrics.
func metricsProvider(p v1alpha1.Provider) string { return strings.ToLower(string(p)) }
