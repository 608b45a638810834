package controllers_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/controllers"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
	opfake "github.com/certorder/certorder/internal/provider/openprovider/fake"
	tu "github.com/certorder/certorder/internal/testutil"
)

// TestNoSecretsInOutput runs issuances with both CAs, including a refused
// credential, and asserts that no API key, password, bearer token, private
// key or CSR body appears in the logs (every verbosity), Events or status.
func TestNoSecretsInOutput(t *testing.T) {
	startManager(t)
	ctx := context.Background()
	ns := newNamespace(t)
	dc.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
	op.SetBehavior(opfake.Behavior{})
	readyDigiCertIssuer(t, ns)
	createSecret(t, ns, "openprovider", map[string]string{"username": opUser, "password": opPassword})
	opIss := &v1alpha1.OpenproviderIssuer{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "op"}, Spec: opSpec()}
	create(t, opIss)
	waitIssuer(t, opIss, controllers.ReasonChecked)
	createSecret(t, ns, "bad-op", map[string]string{"username": opUser, "password": "wrong-" + opPassword})
	badSpec := opSpec()
	badSpec.CredentialsSecretRef.Name = "bad-op"
	bad := &v1alpha1.OpenproviderIssuer{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "bad-op"}, Spec: badSpec}
	create(t, bad)
	waitIssuer(t, bad, controllers.ReasonAuthFailed)

	_, csrPEM := tu.CSR(tu.WithCommonName("secret.example.com"))
	dcReq := request(ns, "dc", "dc", "secret.example.com")
	dcReq.Spec.Request = csrPEM
	waitIssued(t, dcReq)
	opReq := tu.CertificateRequest(ns, "op", tu.WithIssuer(v1alpha1.OpenproviderIssuerKind, "op"), tu.WithCertificate("op"),
		tu.WithCSR(tu.CSRPEM(tu.WithCommonName("op-secret.example.com"))))
	waitIssued(t, opReq)
	time.Sleep(500 * time.Millisecond) // let the last log lines and Events land

	var events eventsv1.EventList
	if err := k8s.List(ctx, &events, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	if len(events.Items) == 0 {
		t.Fatal("no Events recorded: nothing to check")
	}
	var statuses []any
	var crs cmapi.CertificateRequestList
	var opIssuers v1alpha1.OpenproviderIssuerList
	if err := k8s.List(ctx, &crs, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	if err := k8s.List(ctx, &opIssuers, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	for _, cr := range crs.Items {
		statuses = append(statuses, cr.Status.Conditions)
	}
	for _, iss := range opIssuers.Items {
		statuses = append(statuses, iss.Status)
	}
	out, err := json.Marshal(map[string]any{"events": events.Items, "statuses": statuses})
	if err != nil {
		t.Fatal(err)
	}
	csrLine := strings.Split(string(csrPEM), "\n")[2]
	for where, text := range map[string]string{"logs": logs.String(), "events and status": string(out)} {
		for what, secret := range map[string]string{
			"the DigiCert API key": dcKey, "the Openprovider password": opPassword,
			"a bearer token": "Bearer ", "a private key": "PRIVATE KEY", "a CSR body line": csrLine,
		} {
			if strings.Contains(text, secret) {
				t.Errorf("%s reveal %s", where, what)
			}
		}
	}
	if !strings.Contains(logs.String(), "submitting to the CA") {
		t.Error("the captured logs miss the submission: the capture is not working")
	}
}
