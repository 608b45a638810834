package eventrec_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr/testr"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/internal/eventrec"
	"github.com/certorder/certorder/internal/testenv"
	tu "github.com/certorder/certorder/internal/testutil"
)

// TestAPIServerAcceptsEvents runs the recorder against a real API server:
// its Events pass events.k8s.io/v1 validation (a long note truncated, an
// object without a namespace), and a series' count is patched in.
func TestAPIServerAcceptsEvents(t *testing.T) {
	env, err := testenv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	ctx, cancel := context.WithCancel(context.Background())
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "events"}}
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns.Name, Name: "cm"}}
	for _, o := range []client.Object{ns, cm} {
		if err := env.Client.Create(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	r := eventrec.New(env.Client, env.Client.Scheme(), eventrec.Options{Controller: "certorder", PatchInterval: 50 * time.Millisecond, Log: testr.New(t)})
	started := make(chan error)
	go func() { started <- r.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-started; err != nil {
			t.Error(err)
		}
	})
	for range 3 {
		r.Eventf(cm, nil, corev1.EventTypeWarning, "CheckFailed", "Check", "the CA answered %d", 503)
	}
	r.Eventf(cm, nil, corev1.EventTypeNormal, "Long", "Check", "%s", strings.Repeat("x", 2000))
	r.Eventf(ns, nil, corev1.EventTypeNormal, "Cluster", "Check", "no namespace")

	want := map[string]string{"events/CheckFailed": "series 3", "events/Long": "note 1024", "default/Cluster": "once"}
	tu.Eventually(t, time.Minute, "the Events", func() error {
		var list eventsv1.EventList
		if err := env.Client.List(ctx, &list); err != nil {
			return err
		}
		got := map[string]string{}
		for _, e := range list.Items {
			if e.ReportingController != "certorder" {
				continue
			}
			k := e.Namespace + "/" + e.Reason
			switch {
			case e.Series != nil:
				got[k] = fmt.Sprintf("series %d", e.Series.Count)
			case len(e.Note) > 1000:
				got[k] = fmt.Sprintf("note %d", len(e.Note))
			default:
				got[k] = "once"
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("Events %v, want %v", got, want)
		}
		return nil
	})
}
