package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/controllers"
	"github.com/certorder/certorder/internal/app"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
	"github.com/certorder/certorder/internal/provider/fakeca"
)

func TestIssuerReadiness(t *testing.T) {
	startManager(t)
	ctx := context.Background()

	for _, tc := range []struct {
		name        string
		secret      map[string]string // nil: no Secret
		mut         func(*v1alpha1.DigiCertIssuerSpec)
		wantReason  string
		wantMessage string
	}{
		{name: "Secret missing", wantReason: controllers.ReasonSecretNotFound, wantMessage: "Secret"},
		{name: "key missing", secret: map[string]string{"other": "x"}, wantReason: controllers.ReasonSecretKeyMissing, wantMessage: `has no key "api-key"`},
		{name: "key refused by the CA", secret: map[string]string{"api-key": "wrong"}, wantReason: controllers.ReasonAuthFailed, wantMessage: "refused the credentials"},
		{name: "CA down", secret: map[string]string{"api-key": dcKey}, mut: func(s *v1alpha1.DigiCertIssuerSpec) { s.URL = "http://127.0.0.1:1/services/v2" },
			wantReason: controllers.ReasonCAUnreachable, wantMessage: "could not be reached"},
		{name: "good key", secret: map[string]string{"api-key": dcKey}, wantReason: controllers.ReasonChecked},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ns := newNamespace(t)
			if tc.secret != nil {
				createSecret(t, ns, "digicert", tc.secret)
			}
			spec := dcSpec()
			if tc.mut != nil {
				tc.mut(&spec)
			}
			iss := &v1alpha1.DigiCertIssuer{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "digicert"}, Spec: spec}
			create(t, iss)
			cond := waitIssuer(t, iss, tc.wantReason)
			if !strings.Contains(cond.Message, tc.wantMessage) || cond.ObservedGeneration != iss.Generation {
				t.Errorf("condition %+v: want a message containing %q for generation %d", cond, tc.wantMessage, iss.Generation)
			}
			if strings.Contains(cond.Message, dcKey) {
				t.Errorf("the message reveals the API key: %q", cond.Message)
			}
		})
	}

	t.Run("fixing the Secret is picked up without a watch", func(t *testing.T) {
		ns := newNamespace(t)
		createSecret(t, ns, "digicert", map[string]string{"api-key": "wrong"})
		iss := &v1alpha1.DigiCertIssuer{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "digicert"}, Spec: dcSpec()}
		create(t, iss)
		waitIssuer(t, iss, controllers.ReasonAuthFailed)
		updateSecret(t, ns, "digicert", "api-key", dcKey)
		// The recheck interval is 10 minutes and Secrets are not watched:
		// only the not-Ready backoff (first 10s) can do this.
		waitIssuer(t, iss, controllers.ReasonChecked)
	})

	t.Run("a namespaced issuer may not send its key to another host", func(t *testing.T) {
		ns := newNamespace(t)
		createSecret(t, ns, "digicert", map[string]string{"api-key": dcKey})
		iss := &v1alpha1.DigiCertIssuer{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "digicert"},
			Spec: dcSpec(func(s *v1alpha1.DigiCertIssuerSpec) {
				// Only a loopback fake may poll faster than 10s.
				s.URL, s.PollInterval = "https://collector.attacker.example/services/v2", nil
			})}
		create(t, iss)
		cond := waitIssuer(t, iss, controllers.ReasonInvalidConfig)
		if !strings.Contains(cond.Message, "not allowed for a namespaced issuer") {
			t.Errorf("message %q does not say the host is not allowed", cond.Message)
		}
	})

	t.Run("a namespaced issuer cannot read another namespace's Secret", func(t *testing.T) {
		ns, other := newNamespace(t), newNamespace(t)
		createSecret(t, other, "digicert", map[string]string{"api-key": dcKey})
		iss := &v1alpha1.DigiCertIssuer{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "digicert"}, Spec: dcSpec()}
		create(t, iss)
		cond := waitIssuer(t, iss, controllers.ReasonSecretNotFound)
		if !strings.Contains(cond.Message, ns+"/digicert") {
			t.Errorf("message %q does not name the issuer's own namespace", cond.Message)
		}
	})

	t.Run("a cluster issuer reads only the cluster resource namespace", func(t *testing.T) {
		ns := newNamespace(t)
		// Unique per namespace: the cluster resource namespace outlives a run.
		secret := "op-elsewhere-" + ns
		createSecret(t, ns, secret, map[string]string{"username": opUser, "password": opPassword})
		spec := opSpec()
		spec.CredentialsSecretRef.Name = secret
		iss := &v1alpha1.OpenproviderClusterIssuer{ObjectMeta: metav1.ObjectMeta{Name: "op-" + ns}, Spec: spec}
		create(t, iss)
		t.Cleanup(func() { _ = k8s.Delete(ctx, iss) })
		waitIssuer(t, iss, controllers.ReasonSecretNotFound)
		createSecret(t, clusterResourceNamespace, secret, map[string]string{"username": opUser, "password": opPassword})
		waitIssuer(t, iss, controllers.ReasonChecked)
	})
}

// TestIssuerSecretWatch runs the opt-in --watch-secrets: a Secret change
// checks a Ready issuer at once, long before its recheck interval.
func TestIssuerSecretWatch(t *testing.T) {
	startManager(t, func(o *app.Options) { o.WatchSecrets = true })
	ctx := context.Background()

	t.Run("a checked issuer stays Ready through a passing CA fault", func(t *testing.T) {
		ns := newNamespace(t)
		iss := readyDigiCertIssuer(t, ns)
		dc.Faults().Add(fakeca.Fault{Kind: fakeca.ServerError, Method: "GET", PathPrefix: dcfake.Prefix + "/user/me", Times: 1})
		updateSecret(t, ns, "digicert", "unrelated", "change") // triggers a check through the Secret watch
		eventually(t, "a CheckFailed Event", func() error {
			var list eventsv1.EventList
			if err := k8s.List(ctx, &list, client.InNamespace(ns)); err != nil {
				return err
			}
			for _, e := range list.Items {
				if e.Reason == "CheckFailed" && e.Regarding.Name == iss.Name {
					return nil
				}
			}
			return fmt.Errorf("none among %d events", len(list.Items))
		})
		waitIssuer(t, iss, controllers.ReasonChecked)
	})
}

// updateSecret sets one key of a Secret.
func updateSecret(t *testing.T, ns, name, key, value string) {
	t.Helper()
	s := &corev1.Secret{}
	if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, s); err != nil {
		t.Fatal(err)
	}
	s.Data[key] = []byte(value)
	if err := k8s.Update(context.Background(), s); err != nil {
		t.Fatal(err)
	}
}

func TestNotReadyBackoff(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	cond := func(status metav1.ConditionStatus, since time.Duration) []metav1.Condition {
		return []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: status, LastTransitionTime: metav1.NewTime(now.Add(-since))}}
	}
	for _, tc := range []struct {
		name  string
		conds []metav1.Condition
		limit time.Duration
		want  time.Duration
	}{
		{"never checked", nil, 10 * time.Minute, 10 * time.Second},
		{"was Ready", cond(metav1.ConditionTrue, time.Hour), 10 * time.Minute, 10 * time.Second},
		{"failing for 2s", cond(metav1.ConditionFalse, 2*time.Second), 10 * time.Minute, 10 * time.Second},
		{"failing for 10s", cond(metav1.ConditionFalse, 10*time.Second), 10 * time.Minute, 10 * time.Second},
		{"failing for 20s", cond(metav1.ConditionFalse, 20*time.Second), 10 * time.Minute, 20 * time.Second},
		{"failing for 160s", cond(metav1.ConditionFalse, 160*time.Second), 10 * time.Minute, 160 * time.Second},
		{"failing for a day", cond(metav1.ConditionFalse, 24*time.Hour), 10 * time.Minute, 5 * time.Minute},
		{"recheck interval below the cap", cond(metav1.ConditionFalse, time.Hour), time.Minute, time.Minute},
	} {
		if got := controllers.NotReadyBackoff(tc.conds, now, tc.limit); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}
