package main

import (
	"context"
	"fmt"
	"maps"
	"slices"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
)

// userMe is the route of DigiCert's issuer check, which the restart step
// reports apart from the calls made for requests.
const userMe = "GET /user/me"

// clusterState is what a restart may change: the fake DigiCert's calls and
// orders, and the versions of a namespace's CertificateRequests,
// CertificateOrders and Events.
type clusterState struct {
	calls  map[string]int
	orders int
	// objects maps "Kind/name" of each CertificateRequest and
	// CertificateOrder to its resourceVersion.
	objects map[string]string
	// events maps each Event's uid to its resourceVersion, and regarding
	// to the "Kind/name" of the object it is about.
	events    map[string]string
	regarding map[string]string
}

// snapshotState reads the state of ns and of fake. The requests and
// orders are listed as metadata only: their resourceVersions are all it
// needs.
func snapshotState(ctx context.Context, c client.Client, ns string, fake *dcfake.Server) (clusterState, error) {
	s := clusterState{calls: fake.Calls(), orders: fake.Counts().Orders, objects: map[string]string{},
		events: map[string]string{}, regarding: map[string]string{}}
	for _, gvk := range []schema.GroupVersionKind{
		cmapi.SchemeGroupVersion.WithKind(cmapi.CertificateRequestKind),
		v1alpha1.GroupVersion.WithKind("CertificateOrder"),
	} {
		list := &metav1.PartialObjectMetadataList{}
		list.SetGroupVersionKind(gvk.GroupVersion().WithKind(gvk.Kind + "List"))
		if err := c.List(ctx, list, client.InNamespace(ns)); err != nil {
			return s, fmt.Errorf("listing the %ss of %s: %w", gvk.Kind, ns, err)
		}
		for _, o := range list.Items {
			s.objects[gvk.Kind+"/"+o.Name] = o.ResourceVersion
		}
	}
	events := &corev1.EventList{}
	if err := c.List(ctx, events, client.InNamespace(ns)); err != nil {
		return s, fmt.Errorf("listing the Events of %s: %w", ns, err)
	}
	for _, e := range events.Items {
		s.events[string(e.UID)] = e.ResourceVersion
		s.regarding[string(e.UID)] = e.InvolvedObject.Kind + "/" + e.InvolvedObject.Name
	}
	return s, nil
}

// restartCost is what happened between two states to the objects of the
// first, besides one request's own work.
type restartCost struct {
	// calls are the fake's calls by route; userMe, newOrders and beyond
	// split them into issuer checks, the orders placed, and the rest.
	calls                     map[string]int
	userMe, newOrders, beyond int
	// changed are the "Kind/name" of the first state's objects that were
	// written or deleted since; held counts those objects.
	changed []string
	held    int
	// events are the Events added or updated since about those objects;
	// allEvents counts every Event added or updated in the namespace.
	events    []string
	allEvents int
}

// writes are the API writes the cost counts: objects written or deleted,
// and Events about them.
func (c restartCost) writes() int { return len(c.changed) + len(c.events) }

// costSince is the cost from before to s, leaving out the object
// exempt: the new request, whose own writes are expected. Each new order
// is the new request's own call (an order issued at once costs one).
func (s clusterState) costSince(before clusterState, exempt string) restartCost {
	held := maps.Clone(before.objects)
	delete(held, exempt)
	after := maps.Clone(s.objects)
	delete(after, exempt)
	c := restartCost{calls: map[string]int{}, changed: changed(held, after), held: len(held)}
	total := 0
	for route, n := range s.calls {
		if d := n - before.calls[route]; d != 0 {
			c.calls[route] = d
			total += d
		}
	}
	c.userMe, c.newOrders = c.calls[userMe], s.orders-before.orders
	c.beyond = total - c.userMe - c.newOrders
	touched := changed(s.events, before.events)
	c.allEvents = len(touched)
	for _, uid := range touched {
		if _, ok := held[s.regarding[uid]]; ok {
			c.events = append(c.events, s.regarding[uid])
		}
	}
	slices.Sort(c.events)
	return c
}

// changed returns, sorted, the keys of before whose value differs in
// after or that after lacks.
func changed(before, after map[string]string) []string {
	var out []string
	for k, v := range before {
		if w, ok := after[k]; !ok || w != v {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
