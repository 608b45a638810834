package controllers

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
)

func TestChooseAction(t *testing.T) {
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	validity := 90 * 24 * time.Hour
	names := []string{"www.example.com", "api.example.com"}
	liveOrder := func(mut ...func(*provider.Order)) *provider.Order {
		o := &provider.Order{ID: "100", State: provider.OrderActive, CommonName: "www.example.com", DNSNames: []string{"api.example.com", "www.example.com"}, ValidUntil: now.AddDate(2, 0, 0)}
		for _, m := range mut {
			m(o)
		}
		return o
	}
	dc := func(policy v1alpha1.RenewalPolicy) actionInput {
		return actionInput{Provider: v1alpha1.ProviderDigiCert, Policy: policy, Names: names, Validity: validity, Now: now}
	}
	with := func(in actionInput, f func(*actionInput)) actionInput { f(&in); return in }

	for _, tc := range []struct {
		name      string
		in        actionInput
		want      decision
		wantErr   string
		isPending bool
	}{
		{name: "no order: buy one", in: dc(v1alpha1.RenewalDuplicate),
			want: decision{Action: provider.ActionOrder, Validity: validity}},
		{name: "live order, same names, Duplicate policy", in: with(dc(v1alpha1.RenewalDuplicate), func(i *actionInput) { i.Live = liveOrder() }),
			want: decision{Action: provider.ActionDuplicate, OrderID: "100", Validity: validity}},
		{name: "live order, Reissue policy", in: with(dc(v1alpha1.RenewalReissue), func(i *actionInput) { i.Live = liveOrder() }),
			want: decision{Action: provider.ActionReissue, OrderID: "100", Validity: validity}},
		{name: "live order, Order policy renews it", in: with(dc(v1alpha1.RenewalOrder), func(i *actionInput) { i.Live = liveOrder() }),
			want: decision{Action: provider.ActionOrder, RenewalOfOrderID: "100", Validity: validity}},
		{name: "names changed: reissue", in: with(dc(v1alpha1.RenewalDuplicate), func(i *actionInput) {
			i.Live = liveOrder()
			i.Names = []string{"www.example.com", "new.example.com"}
		}), want: decision{Action: provider.ActionReissue, OrderID: "100", Validity: validity}},
		{name: "names compared case-insensitively and unordered", in: with(dc(v1alpha1.RenewalDuplicate), func(i *actionInput) {
			i.Live = liveOrder(func(o *provider.Order) { o.DNSNames = []string{"API.example.com"} })
		}), want: decision{Action: provider.ActionDuplicate, OrderID: "100", Validity: validity}},
		{name: "order ends before the new certificate: renewal order", in: with(dc(v1alpha1.RenewalDuplicate), func(i *actionInput) {
			i.Live = liveOrder(func(o *provider.Order) { o.ValidUntil = now.AddDate(0, 0, 30) })
		}), want: decision{Action: provider.ActionOrder, RenewalOfOrderID: "100", Validity: validity}},
		{name: "expired order: renewal order", in: with(dc(v1alpha1.RenewalDuplicate), func(i *actionInput) {
			i.Live = liveOrder(func(o *provider.Order) { o.State = provider.OrderExpired })
		}), want: decision{Action: provider.ActionOrder, RenewalOfOrderID: "100", Validity: validity}},
		{name: "failed order: a fresh order, not a renewal", in: with(dc(v1alpha1.RenewalDuplicate), func(i *actionInput) {
			i.Live = liveOrder(func(o *provider.Order) { o.State = provider.OrderFailed })
		}), want: decision{Action: provider.ActionOrder, Validity: validity}},
		{name: "pending order: nothing is bought", in: with(dc(v1alpha1.RenewalDuplicate), func(i *actionInput) {
			i.Live = liveOrder(func(o *provider.Order) { o.State = provider.OrderPending })
		}), isPending: true, wantErr: "order 100 is still pending"},
		{name: "Openprovider live order: reissue whatever the names", in: actionInput{Provider: v1alpha1.ProviderOpenprovider, Names: names, Validity: validity, Now: now, Live: liveOrder()},
			want: decision{Action: provider.ActionReissue, OrderID: "100", Validity: validity}},
		{name: "Openprovider order near its end: renewal", in: actionInput{Provider: v1alpha1.ProviderOpenprovider, Names: names, Validity: validity, Now: now, Live: liveOrder(func(o *provider.Order) { o.ValidUntil = now.AddDate(0, 0, 10) })},
			want: decision{Action: provider.ActionOrder, RenewalOfOrderID: "100", Validity: validity}},
		{name: "override Order", in: with(dc(v1alpha1.RenewalDuplicate), func(i *actionInput) { i.Live = liveOrder(); i.Override = "Order" }),
			want: decision{Action: provider.ActionOrder, RenewalOfOrderID: "100", Validity: validity}},
		{name: "override Reissue on a live order", in: with(dc(v1alpha1.RenewalDuplicate), func(i *actionInput) { i.Live = liveOrder(); i.Override = "Reissue" }),
			want: decision{Action: provider.ActionReissue, OrderID: "100", Validity: validity}},
		{name: "override Reissue caps validity at the order's end", in: with(dc(v1alpha1.RenewalDuplicate), func(i *actionInput) {
			i.Live = liveOrder(func(o *provider.Order) { o.ValidUntil = now.AddDate(0, 0, 30) })
			i.Override = "Reissue"
		}), want: decision{Action: provider.ActionReissue, OrderID: "100", Validity: 30 * 24 * time.Hour}},
		{name: "override Duplicate with changed names", in: with(dc(v1alpha1.RenewalDuplicate), func(i *actionInput) {
			i.Live = liveOrder()
			i.Names = []string{"other.example.com"}
			i.Override = "Duplicate"
		}), wantErr: "a duplicate carries the names of order 100"},
		{name: "override Reissue without an order", in: with(dc(v1alpha1.RenewalDuplicate), func(i *actionInput) { i.Override = "Reissue" }),
			wantErr: "needs an existing order"},
		{name: "override Duplicate with Openprovider", in: actionInput{Provider: v1alpha1.ProviderOpenprovider, Override: "Duplicate", Live: liveOrder(), Names: names, Now: now},
			wantErr: "Openprovider has no duplicates"},
		{name: "unknown override", in: with(dc(v1alpha1.RenewalDuplicate), func(i *actionInput) { i.Override = "Buy" }),
			wantErr: "must be Order, Reissue or Duplicate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := chooseAction(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %+v, %v; want an error containing %q", got, err, tc.wantErr)
				}
				if errors.Is(err, errPendingOrder) != tc.isPending {
					t.Errorf("errors.Is(err, errPendingOrder) = %v, want %v", !tc.isPending, tc.isPending)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.Reason = ""
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestCapValidity(t *testing.T) {
	for _, tc := range []struct {
		name      string
		requested time.Duration
		at        time.Time
		want      time.Duration
		wantNote  bool
	}{
		{"unset asks for cert-manager's default, 90 days", 0, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), 90 * 24 * time.Hour, false},
		{"unset is capped too, from 2029-03-15: 47 days", 0, time.Date(2029, 3, 15, 0, 0, 0, 0, time.UTC), 47 * 24 * time.Hour, true},
		{"under the limit is kept", 90 * 24 * time.Hour, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), 90 * 24 * time.Hour, false},
		{"a year is capped at 200 days in 2026", 365 * 24 * time.Hour, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), 200 * 24 * time.Hour, true},
		{"before 2026-03-15: 398 days", 365 * 24 * time.Hour, time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), 365 * 24 * time.Hour, false},
		{"from 2027-03-15: 100 days", 200 * 24 * time.Hour, time.Date(2027, 3, 15, 0, 0, 0, 0, time.UTC), 100 * 24 * time.Hour, true},
		{"from 2029-03-15: 47 days", 90 * 24 * time.Hour, time.Date(2029, 3, 15, 0, 0, 0, 0, time.UTC), 47 * 24 * time.Hour, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, note := capValidity(tc.requested, tc.at)
			if got != tc.want || (note != "") != tc.wantNote {
				t.Errorf("got %s %q, want %s (note: %v)", got, note, tc.want, tc.wantNote)
			}
		})
	}
}

func TestPollDelay(t *testing.T) {
	for _, tc := range []struct {
		interval, elapsed, want time.Duration
	}{
		{time.Minute, 0, time.Minute},
		{time.Minute, 30 * time.Second, time.Minute},
		{time.Minute, 3 * time.Minute, 3 * time.Minute},
		{time.Minute, 2 * time.Hour, 15 * time.Minute},
		{20 * time.Minute, 0, 15 * time.Minute},
	} {
		if got := pollDelay(tc.interval, tc.elapsed); got != tc.want {
			t.Errorf("pollDelay(%s, %s) = %s, want %s", tc.interval, tc.elapsed, got, tc.want)
		}
	}
}
