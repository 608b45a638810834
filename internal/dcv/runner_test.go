package dcv_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/dcv"
	"github.com/certorder/certorder/internal/provider"
)

// validator is a scripted provider.DNSValidator.
type validator struct {
	records    []provider.DNSRecord
	recordsErr error
	verdict    func() []provider.DomainValidation
	lists      int
	checks     int
}

func (v *validator) DNSRecords(context.Context, provider.Handle) ([]provider.DNSRecord, error) {
	v.lists++
	return v.records, v.recordsErr
}

func (v *validator) CheckDNS(context.Context, provider.Handle) ([]provider.DomainValidation, error) {
	v.checks++
	return v.verdict(), nil
}

func exampleRecord() []provider.DNSRecord {
	return []provider.DNSRecord{{Domain: "example.com", Name: "_dnsauth.example.com.", Value: "tok"}}
}

func pendingVerdict() []provider.DomainValidation {
	return []provider.DomainValidation{{Domain: "example.com", Status: "pending"}}
}

func TestStepWaitsForEveryNameserver(t *testing.T) {
	a := zone(t, "ns1.example.com", "ns2.example.com")
	b := zone(t, "ns1.example.com", "ns2.example.com")
	v := &validator{records: exampleRecord(), verdict: pendingVerdict}
	clk := newClock()
	r := &dcv.Runner{CA: "DigiCert", Validator: v, Solver: buildSolver(t, rfc2136(a), tsigSecret), Propagation: propagationOn(a, b), Now: clk.Now}
	ctx := context.Background()
	var st v1alpha1.DCVState

	steps := []struct {
		before  func()
		message string
		checks  int
	}{
		{nil, "publishing _dnsauth.example.com", 0},
		{nil, "waiting for propagation of _dnsauth.example.com (1 of 2 nameservers)", 0},
		{func() { b.SetTXT("_dnsauth.example.com", "tok") }, "asked DigiCert to check; DigiCert: example.com pending", 1},
		{nil, "DigiCert: example.com pending", 1},
		{func() { clk.Advance(time.Minute) }, "asked DigiCert to check; DigiCert: example.com pending", 2},
	}
	for i, s := range steps {
		if s.before != nil {
			s.before()
		}
		res, err := r.Step(ctx, provider.Handle{OrderID: "1"}, st)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		st = res.State
		if res.Message != s.message || v.checks != s.checks {
			t.Fatalf("step %d: %q after %d checks, want %q after %d", i, res.Message, v.checks, s.message, s.checks)
		}
	}
	if v.lists != 1 {
		t.Errorf("asked the CA for its records %d times, want once", v.lists)
	}
}

func TestStepRecordsValidationAndStopsChecking(t *testing.T) {
	a := zone(t, "ns1.example.com")
	reg := prometheus.NewRegistry()
	if err := dcv.Register(reg); err != nil {
		t.Fatal(err)
	}
	if err := dcv.Register(reg); err != nil {
		t.Fatalf("registering twice: %v", err)
	}
	v := &validator{records: exampleRecord(), verdict: func() []provider.DomainValidation {
		return []provider.DomainValidation{{Domain: "EXAMPLE.com", Validated: true, Status: "approved"}}
	}}
	clk := newClock()
	r := &dcv.Runner{CA: "unit", Validator: v, Solver: buildSolver(t, rfc2136(a), tsigSecret), Propagation: propagationOn(a), Now: clk.Now}
	var st v1alpha1.DCVState
	for range 3 {
		res, err := r.Step(context.Background(), provider.Handle{OrderID: "1"}, st)
		if err != nil {
			t.Fatal(err)
		}
		st = res.State
		clk.Advance(90 * time.Second)
	}
	if st.ValidatedAt == nil || !st.Records[0].Validated {
		t.Fatalf("state %+v, want validated", st)
	}
	res, _ := r.Step(context.Background(), provider.Handle{OrderID: "1"}, st)
	if !res.Validated || v.checks != 1 {
		t.Fatalf("after validation: validated=%v with %d checks, want no further check", res.Validated, v.checks)
	}
	for name, want := range map[string]float64{
		"certorder_dcv_checks_total":              1,
		"certorder_dcv_records_published_total":   1,
		"certorder_dcv_time_to_validated_seconds": 1,
	} {
		if got := valueOf(t, reg, name, "unit"); got != want {
			t.Errorf("%s{provider=unit} = %v, want %v", name, got, want)
		}
	}
}

// valueOf sums the counters (or histogram sample counts) of name whose
// provider label is ca.
func valueOf(t *testing.T, reg *prometheus.Registry, name, ca string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var total float64
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "provider" && l.GetValue() == ca {
					total += m.GetCounter().GetValue() + float64(m.GetHistogram().GetSampleCount())
				}
			}
		}
	}
	return total
}

func TestStepWithoutRecords(t *testing.T) {
	tests := []struct {
		name    string
		v       *validator
		wantErr bool
		message string
	}{
		{"the CA fails", &validator{recordsErr: errors.New("boom")}, true, "asking DigiCert for the DNS records to publish: boom"},
		{"nothing to publish", &validator{}, false, "DigiCert expects no DNS record"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &dcv.Runner{CA: "DigiCert", Validator: tt.v}
			res, err := r.Step(context.Background(), provider.Handle{OrderID: "1"}, v1alpha1.DCVState{})
			if (err != nil) != tt.wantErr || !strings.Contains(res.Message, tt.message) {
				t.Fatalf("%q (%v), want %q", res.Message, err, tt.message)
			}
			if res.State.StartedAt == nil || len(res.State.Records) != 0 || tt.v.checks != 0 {
				t.Fatalf("state %+v after %d checks", res.State, tt.v.checks)
			}
		})
	}
}

func TestCleanupReportsFailuresAndRetriesOnlyThem(t *testing.T) {
	a := zone(t, "ns1.example.com")
	r := &dcv.Runner{CA: "DigiCert", Solver: buildSolver(t, rfc2136(a), tsigSecret)}
	now := newClock().Now()
	published := func(name string) v1alpha1.DCVRecord {
		return v1alpha1.DCVRecord{Domain: name, Name: "_dnsauth." + name + ".", Value: "tok", PublishedAt: ptrTime(now)}
	}
	st := v1alpha1.DCVState{Records: []v1alpha1.DCVRecord{
		published("example.com"),
		published("example.org"), // outside the zone: the server refuses
		{Domain: "manual.example.com", Name: "_dnsauth.manual.example.com.", Value: "tok", Manual: true},
	}}
	a.SetTXT("_dnsauth.example.com", "tok")
	st, err := r.Cleanup(context.Background(), st)
	if err == nil || !strings.Contains(err.Error(), "removing _dnsauth.example.org") {
		t.Fatalf("got %v, want the failure of example.org", err)
	}
	if st.Records[0].RemovedAt == nil || st.Records[1].RemovedAt != nil || st.Records[2].RemovedAt != nil {
		t.Fatalf("removed marks %+v", st.Records)
	}
	if got := a.TXT("_dnsauth.example.com"); len(got) != 0 {
		t.Fatalf("record left: %v", got)
	}
}
