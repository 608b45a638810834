package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/controllers"
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

	t.Run("fixing the Secret makes the issuer Ready at once", func(t *testing.T) {
		ns := newNamespace(t)
		createSecret(t, ns, "digicert", map[string]string{"api-key": "wrong"})
		iss := &v1alpha1.DigiCertIssuer{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "digicert"}, Spec: dcSpec()}
		create(t, iss)
		waitIssuer(t, iss, controllers.ReasonAuthFailed)
		s := &corev1.Secret{}
		if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "digicert"}, s); err != nil {
			t.Fatal(err)
		}
		s.Data["api-key"] = []byte(dcKey)
		if err := k8s.Update(ctx, s); err != nil {
			t.Fatal(err)
		}
		// The recheck interval is 10 minutes: only the Secret watch can do this.
		waitIssuer(t, iss, controllers.ReasonChecked)
	})

	t.Run("a checked issuer stays Ready through a passing CA fault", func(t *testing.T) {
		ns := newNamespace(t)
		iss := readyDigiCertIssuer(t, ns)
		dc.Faults().Add(fakeca.Fault{Kind: fakeca.ServerError, Method: "GET", PathPrefix: dcfake.Prefix + "/user/me", Times: 1})
		s := &corev1.Secret{}
		if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "digicert"}, s); err != nil {
			t.Fatal(err)
		}
		s.Data["unrelated"] = []byte("change") // triggers a check through the Secret watch
		if err := k8s.Update(ctx, s); err != nil {
			t.Fatal(err)
		}
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
