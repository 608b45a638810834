// Command demo runs certorder end to end on this machine, with nothing but
// Go: a real kube-apiserver and etcd, cert-manager's controllers, certorder
// and fake DigiCert and Openprovider CAs (internal/localcluster). It applies
// the issuers of config/samples, pointed at the fakes, and one Certificate
// per issuer, shows their progress until they are issued (the DigiCert one
// as a DV order validated hands-free through a DNS zone on loopback), prints what was
// issued and how to look at it with kubectl, and runs until interrupted.
//
//	make demo            # or: KUBEBUILDER_ASSETS=$(hack/envtest-assets.sh) go run ./cmd/demo
//	go run ./cmd/demo -once   # exit after printing
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/certorder/certorder/internal/localcluster"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// run starts the stack, issues the demo's certificates, reports them and,
// unless -once, waits until ctx is done.
func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	once := fs.Bool("once", false, "Exit after printing the issued certificates.")
	dir := fs.String("dir", "demo", "Directory that receives the kubeconfig.")
	timeout := fs.Duration("timeout", 3*time.Minute, "How long to wait for the certificates.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	start := time.Now()
	fmt.Fprintln(out, "Starting kube-apiserver, etcd, cert-manager's controllers, certorder and the fake CAs...")
	zone, err := localcluster.StartDNSZone("example.com")
	if err != nil {
		return fmt.Errorf("starting the DNS zone: %w", err)
	}
	defer zone.Close()
	c, err := localcluster.Start(ctx, localcluster.Options{Dir: *dir, DCV: localcluster.DCVOptions(zone)})
	if err != nil {
		return err
	}
	defer func() {
		fmt.Fprintln(out, "Stopping...")
		if err := c.Stop(); err != nil {
			fmt.Fprintln(out, "stopping the stack:", err)
		}
	}()
	fmt.Fprintf(out, "Stack up in %s. Fake DigiCert at %s, fake Openprovider at %s.\n\n", since(start), c.DigiCertURL, c.OpenproviderURL)
	certs, err := apply(ctx, c, zone, out)
	if err != nil {
		return err
	}
	waitCtx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	if err := follow(waitCtx, c.Client, certs, start, out); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nBoth certificates issued %s after start.\n\n", since(start))
	if err := report(ctx, c, certs, out); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nThe cluster runs until Ctrl-C. Look at it with:\n\n  kubectl --kubeconfig %s get digicertissuers,openproviderclusterissuers,certificates,certificaterequests,certificateorders -A\n\n", c.Kubeconfig)
	if *once {
		return nil
	}
	<-ctx.Done()
	return nil
}

func since(t time.Time) time.Duration { return time.Since(t).Round(100 * time.Millisecond) }
