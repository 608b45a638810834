package controllers

import (
	"context"
	"strings"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/metrics"
)

// PendingGauge periodically counts the unfinished CertificateRequests of
// certorder's issuers, per CA, for the pending-requests metric. It reads
// the manager's cache only.
type PendingGauge struct {
	Client   client.Reader
	Kinds    Kinds
	Interval time.Duration
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
	if err := g.Client.List(ctx, &list); err != nil {
		log.FromContext(ctx).Error(err, "counting pending requests")
		return
	}
	pending := map[string]int{
		metricsProvider(v1alpha1.ProviderDigiCert):     0,
		metricsProvider(v1alpha1.ProviderOpenprovider): 0,
	}
	for i := range list.Items {
		cr := &list.Items[i]
		k, ok := g.Kinds.Lookup(cr.Spec.IssuerRef.Group, cr.Spec.IssuerRef.Kind)
		if ok && !terminal(cr) {
			pending[metricsProvider(k.New().Settings().Provider)]++
		}
	}
	for p, n := range pending {
		metrics.SetPending(p, n)
	}
}

// metricsProvider is the provider label of certorder's metrics.
func metricsProvider(p v1alpha1.Provider) string { return strings.ToLower(string(p)) }
