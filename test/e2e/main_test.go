// Package e2e runs certorder end to end: a real kube-apiserver and etcd,
// cert-manager's real controllers, certorder's manager as main.go wires it,
// and the fake CAs over HTTP (internal/localcluster). Each scenario goes
// from a cert-manager Certificate to its Secret and counts what the fake CA
// was asked for.
//
// KUBEBUILDER_ASSETS must be set, as `make test` does; set
// CERTORDER_LOCAL_VERBOSE=1 (or 4) to see the controllers' logs.
package e2e

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/localcluster"
	"github.com/certorder/certorder/internal/provider"
)

// caTimeout keeps a restarted certorder's wait for a lost submission short.
const caTimeout = 2 * time.Second

// openproviderLimits lets a submission's calls (order, product, POST) fit
// in the short caTimeout: at certorder's default of 0.4 calls a second an
// Openprovider reissue takes about 7 s once the burst is spent. The
// provider tests prove the limiter itself.
var openproviderLimits = provider.NewLimiters(5, 10)

// stack is the local cluster every scenario shares; each scenario works in
// its own namespace against its own fake CA.
var stack *localcluster.Cluster

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	if dcvZone, err = localcluster.StartDNSZone("example.com"); err != nil {
		fmt.Fprintln(os.Stderr, "starting the DNS zone:", err)
		return 1
	}
	defer dcvZone.Close()
	if stack, err = localcluster.Start(context.Background(), localcluster.Options{CATimeout: caTimeout, OpenproviderLimits: openproviderLimits, DCV: localcluster.DCVOptions(dcvZone)}); err != nil {
		fmt.Fprintln(os.Stderr, "starting the local cluster:", err)
		return 1
	}
	defer func() {
		if err := stack.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping the local cluster:", err)
		}
	}()
	return m.Run()
}
