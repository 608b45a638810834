package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"sync"
	"time"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	cmclient "github.com/cert-manager/cert-manager/pkg/client/clientset/versioned"
	cminformers "github.com/cert-manager/cert-manager/pkg/client/informers/externalversions"
	"k8s.io/client-go/rest"
	toolscache "k8s.io/client-go/tools/cache"
)

// tracker records when each expected CertificateRequest of a namespace is
// first seen Ready=True, from a watch (an informer): the client's clock,
// not creationTimestamp, which has a one-second resolution.
type tracker struct {
	want map[string]bool

	mu      sync.Mutex
	ready   map[string]time.Time
	failure string

	stop    chan struct{}
	factory cminformers.SharedInformerFactory
}

// track starts watching the CertificateRequests of ns and returns once the
// watch is established. The caller must call close.
func track(ctx context.Context, cfg *rest.Config, ns string, names []string) (*tracker, error) {
	cs, err := cmclient.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("building cert-manager's clientset: %w", err)
	}
	t := &tracker{
		want:    make(map[string]bool, len(names)),
		ready:   make(map[string]time.Time, len(names)),
		stop:    make(chan struct{}),
		factory: cminformers.NewSharedInformerFactoryWithOptions(cs, 0, cminformers.WithNamespace(ns)),
	}
	for _, n := range names {
		t.want[n] = true
	}
	informer := t.factory.Certmanager().V1().CertificateRequests().Informer()
	if _, err := informer.AddEventHandler(toolscache.ResourceEventHandlerFuncs{
		AddFunc:    t.observe,
		UpdateFunc: func(_, obj any) { t.observe(obj) },
	}); err != nil {
		return nil, fmt.Errorf("watching CertificateRequests: %w", err)
	}
	t.factory.Start(t.stop)
	if !toolscache.WaitForCacheSync(ctx.Done(), informer.HasSynced) {
		t.close()
		return nil, fmt.Errorf("watching the CertificateRequests of %s: %w", ns, context.Cause(ctx))
	}
	return t, nil
}

// observe records a request's first Ready=True, or its failure.
func (t *tracker) observe(obj any) {
	now := time.Now()
	cr, ok := obj.(*cmapi.CertificateRequest)
	if !ok || !t.want[cr.Name] {
		return
	}
	ready := apiutil.GetCertificateRequestCondition(cr, cmapi.CertificateRequestConditionReady)
	if ready == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case ready.Status == cmmeta.ConditionTrue:
		if _, seen := t.ready[cr.Name]; !seen {
			t.ready[cr.Name] = now
		}
	case t.failure == "" && (ready.Reason == cmapi.CertificateRequestReasonFailed || ready.Reason == cmapi.CertificateRequestReasonDenied):
		t.failure = fmt.Sprintf("CertificateRequest %s: %s: %s", cr.Name, ready.Reason, ready.Message)
	}
}

// wait returns the Ready times once every expected request is Ready, or an
// error when one fails or timeout passes. It reports progress to log.
func (t *tracker) wait(ctx context.Context, timeout time.Duration, log io.Writer) (map[string]time.Time, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	lastReport := time.Now()
	for {
		t.mu.Lock()
		ready, failure := len(t.ready), t.failure
		var times map[string]time.Time
		if ready == len(t.want) {
			times = maps.Clone(t.ready)
		}
		t.mu.Unlock()
		switch {
		case failure != "":
			return nil, errors.New(failure)
		case ready == len(t.want):
			return times, nil
		case time.Since(lastReport) >= 15*time.Second:
			fmt.Fprintf(log, "    %d/%d Ready\n", ready, len(t.want))
			lastReport = time.Now()
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%d of %d CertificateRequests Ready: %w", ready, len(t.want), context.Cause(ctx))
		case <-tick.C:
		}
	}
}

// close stops the watch.
func (t *tracker) close() {
	close(t.stop)
	t.factory.Shutdown()
}
