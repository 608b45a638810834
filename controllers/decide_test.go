package controllers

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
)

func TestDecide(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	live := &provider.Order{ID: "100", State: provider.OrderActive, CommonName: "www.example.com", DNSNames: []string{"www.example.com"}, ValidUntil: now.AddDate(2, 0, 0)}
	expired := &provider.Order{ID: "100", State: provider.OrderExpired, CommonName: "www.example.com", DNSNames: []string{"www.example.com"}}
	adoptable := &provider.Order{ID: "777", State: provider.OrderActive, CommonName: "www.example.com", DNSNames: []string{"www.example.com"}, ValidUntil: now.AddDate(1, 0, 0)}
	sub := func(phase v1alpha1.SubmissionPhase, uid string, mut ...func(*v1alpha1.Submission)) *v1alpha1.Submission {
		s := &v1alpha1.Submission{Phase: phase, Action: "Order", RequestName: "req-" + uid, RequestUID: typesUID(uid),
			IntentAt: metav1.NewMicroTime(now.Add(-time.Minute)), Deadline: metav1.NewMicroTime(now.Add(-time.Second))}
		if phase != v1alpha1.SubmissionIntent {
			s.Handle = &v1alpha1.SubmissionHandle{OrderID: "100"}
		}
		for _, m := range mut {
			m(s)
		}
		return s
	}
	base := func(mut ...func(*state)) state {
		s := state{
			Now: now, Provider: v1alpha1.ProviderDigiCert, Policy: v1alpha1.RenewalDuplicate, PollInterval: time.Minute,
			Request: requestFacts{UID: "me", Name: "req-me", CommonName: "www.example.com", Names: []string{"www.example.com"}, CreatedAt: now},
		}
		for _, m := range mut {
			m(&s)
		}
		return s
	}
	withOrder := func(s *state) { s.Ledger.OrderID, s.Ledger.State = "100", v1alpha1.OrderActive }

	for _, tc := range []struct {
		name     string
		in       state
		want     stepKind
		action   provider.Action
		adopt    bool
		cause    string
		contains string
	}{
		{name: "empty ledger: a new order", in: base(), want: stepSubmit, action: provider.ActionOrder},
		{name: "ledger order not read yet: read it", in: base(withOrder), want: stepReadOrder},
		{name: "live order: a duplicate", in: base(withOrder, func(s *state) { s.Live = live }), want: stepSubmit, action: provider.ActionDuplicate},
		{name: "open submission inside its window: wait, whoever asks", in: base(func(s *state) {
			s.Ledger.Submission = sub(v1alpha1.SubmissionIntent, "me", func(x *v1alpha1.Submission) { x.Deadline = metav1.NewMicroTime(now.Add(3 * time.Second)) })
		}), want: stepWait, cause: CauseSubmissionInFlight},
		{name: "open submission of a replaced request inside its window: wait", in: base(func(s *state) {
			s.OwnerGone = true
			s.Ledger.Submission = sub(v1alpha1.SubmissionIntent, "old", func(x *v1alpha1.Submission) { x.Deadline = metav1.NewMicroTime(now.Add(time.Second)) })
		}), want: stepWait, cause: CauseSubmissionInFlight},
		{name: "open submission past its window: find it before anything else", in: base(func(s *state) { s.Ledger.Submission = sub(v1alpha1.SubmissionIntent, "me") }), want: stepFind},
		{name: "a replacement settles the old request's open submission", in: base(func(s *state) {
			s.OwnerGone = true
			s.Ledger.Submission = sub(v1alpha1.SubmissionIntent, "old")
		}), want: stepFind},
		{name: "own accepted submission: poll", in: base(func(s *state) { s.Ledger.Submission = sub(v1alpha1.SubmissionAccepted, "me") }), want: stepPoll},
		{name: "own issued submission (crash before the request status): poll, never submit", in: base(withOrder, func(s *state) {
			s.Ledger.Submission = sub(v1alpha1.SubmissionIssued, "me")
		}), want: stepPoll},
		{name: "own failed submission: fail", in: base(func(s *state) {
			s.Ledger.Submission = sub(v1alpha1.SubmissionFailed, "me", func(x *v1alpha1.Submission) { x.Message = "rejected" })
		}), want: stepFail, contains: "rejected"},
		{name: "another live request's accepted submission: wait", in: base(func(s *state) { s.Ledger.Submission = sub(v1alpha1.SubmissionAccepted, "other") }), want: stepWait, cause: CauseOrderPending},
		{name: "a gone request's accepted order: the replacement builds on it", in: base(withOrder, func(s *state) {
			s.OwnerGone, s.Live = true, live
			s.Ledger.Submission = sub(v1alpha1.SubmissionAccepted, "old")
		}), want: stepSubmit, action: provider.ActionDuplicate},
		{name: "action Order: a new order", in: base(withOrder, func(s *state) { s.Live, s.Request.ActionAnnotation = live, "Order" }), want: stepSubmit, action: provider.ActionOrder},
		{name: "action Order already used: back to the policy", in: base(withOrder, func(s *state) {
			s.Live, s.Request.ActionAnnotation, s.Ledger.AnnotationsUsed.Action = live, "Order", "Order"
		}), want: stepSubmit, action: provider.ActionDuplicate},
		{name: "adoption off: refused, no CA call", in: base(func(s *state) { s.Request.OrderIDAnnotation = "777" }), want: stepFail, contains: "spec.adoption.enabled"},
		{name: "order held by another CertificateOrder: refused", in: base(func(s *state) {
			s.Adoption.Enabled, s.Request.OrderIDAnnotation, s.HeldBy = true, "777", "team-b/web-1234"
		}), want: stepFail, contains: "already held by CertificateOrder team-b/web-1234"},
		{name: "adoption on: read the order, then duplicate it", in: base(func(s *state) {
			s.Adoption.Enabled, s.Request.OrderIDAnnotation = true, "777"
		}), want: stepReadOrder},
		{name: "adoption on, order read: adopt with a duplicate", in: base(func(s *state) {
			s.Adoption.Enabled, s.Request.OrderIDAnnotation, s.Live = true, "777", adoptable
		}), want: stepSubmit, action: provider.ActionDuplicate, adopt: true},
		{name: "order-id with a live order in the ledger: ignored", in: base(withOrder, func(s *state) {
			s.Adoption.Enabled, s.Request.OrderIDAnnotation, s.Live = true, "777", live
		}), want: stepSubmit, action: provider.ActionDuplicate},
		{name: "order-id already used, adopted order expired: one renewal order", in: base(withOrder, func(s *state) {
			s.Adoption.Enabled, s.Request.OrderIDAnnotation, s.Ledger.AnnotationsUsed.OrderID, s.Live = true, "100", "100", expired
		}), want: stepSubmit, action: provider.ActionOrder},
		{name: "adopted order, reissue changing names: refused", in: base(withOrder, func(s *state) {
			s.Ledger.Adopted, s.Live = true, live
			s.Request.Names = []string{"www.example.com", "new.example.com"}
		}), want: stepFail, contains: "allowNameChanges"},
		{name: "adopted order, names change allowed: reissue", in: base(withOrder, func(s *state) {
			s.Ledger.Adopted, s.Live, s.Adoption.AllowNameChanges = true, live, true
			s.Request.Names = []string{"www.example.com", "new.example.com"}
		}), want: stepSubmit, action: provider.ActionReissue},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := decide(tc.in)
			if got.Kind != tc.want {
				t.Fatalf("step %d (%+v), want %d", got.Kind, got, tc.want)
			}
			if tc.action != "" && got.Plan.Action != tc.action {
				t.Errorf("action %s, want %s", got.Plan.Action, tc.action)
			}
			if (got.Plan.Adopt != nil) != tc.adopt {
				t.Errorf("adopt %v, want %v", got.Plan.Adopt, tc.adopt)
			}
			if tc.cause != "" && got.Cause != tc.cause {
				t.Errorf("cause %s, want %s", got.Cause, tc.cause)
			}
			if !strings.Contains(got.Message, tc.contains) {
				t.Errorf("message %q lacks %q", got.Message, tc.contains)
			}
		})
	}
}

func TestSameWords(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"Retrying in 1.5s: CA down", "Retrying in 3s: CA down", true},
		{"Retrying in 1m0s: CA down", "retrying in 250ms: CA down", true},
		{"Retrying in 1s: CA down", "Retrying in 1s: rate limited", false},
		{"Waiting for DigiCert", "Waiting for DigiCert: dns token abc", false},
	} {
		if got := sameWords(tc.a, tc.b); got != tc.same {
			t.Errorf("sameWords(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

func TestLedgerName(t *testing.T) {
	a := v1alpha1.IssuerReference{Kind: "DigiCertIssuer", Name: "a"}
	b := v1alpha1.IssuerReference{Kind: "DigiCertClusterIssuer", Name: "a"}
	if LedgerName("web", a) == LedgerName("web", b) {
		t.Error("two issuers share a ledger")
	}
	long := strings.Repeat("x", 300)
	if n := LedgerName(long, a); len(n) > 253 {
		t.Errorf("name of %d characters", len(n))
	}
}

func typesUID(s string) types.UID { return types.UID(s) }
