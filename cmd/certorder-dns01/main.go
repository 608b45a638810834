// Command certorder-dns01 publishes or removes one DNS01 TXT record through
// one of cert-manager's cloud DNS providers, for the certorder controller,
// which runs it next to itself once per record. It reads one
// helperapi.Request as JSON on stdin, with the provider's credentials
// already resolved, writes one helperapi.Result as JSON on stdout, and
// exits 0 when the record was published or removed, 1 otherwise. It never
// reads the Kubernetes API. Logs go to stderr only.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/certorder/certorder/internal/dcv/cloud"
	"github.com/certorder/certorder/internal/dcv/helperapi"
)

// maxRequest bounds what is read from stdin.
const maxRequest = 1 << 20

func main() {
	// Providers and their SDKs may print: keep stdout for the Result.
	out := os.Stdout
	os.Stdout = os.Stderr
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	err := run(ctx, os.Stdin, out)
	stop()
	if err != nil {
		os.Exit(1)
	}
}

// run serves the request on in and writes its Result to out; the error is
// the one the Result reports.
func run(ctx context.Context, in io.Reader, out io.Writer) error {
	err := serve(ctx, in)
	res := helperapi.Result{OK: err == nil}
	if err != nil {
		res.Error = err.Error()
	}
	if werr := json.NewEncoder(out).Encode(res); werr != nil && err == nil {
		return fmt.Errorf("writing the result: %w", werr)
	}
	return err
}

func serve(ctx context.Context, in io.Reader) error {
	var req helperapi.Request
	if err := json.NewDecoder(io.LimitReader(in, maxRequest)).Decode(&req); err != nil {
		return fmt.Errorf("reading the request on stdin: %w", err)
	}
	return cloud.Run(ctx, req)
}
