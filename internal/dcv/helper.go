package dcv

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"

	"github.com/certorder/certorder/internal/dcv/helperapi"
)

// HelperName is the file name of the helper that runs the cloud DNS01
// providers (cmd/certorder-dns01).
const HelperName = "certorder-dns01"

const (
	// maxHelperOutput bounds what is kept of the helper's stdout and of
	// its stderr.
	maxHelperOutput = 64 << 10
	// helperWaitDelay bounds the wait for the helper's output once the
	// call's context is done.
	helperWaitDelay = 5 * time.Second
)

// DefaultHelper is certorder-dns01 in the directory of the running binary,
// where the image ships it.
func DefaultHelper() string {
	exe, err := os.Executable()
	if err != nil {
		return HelperName
	}
	return filepath.Join(filepath.Dir(exe), HelperName)
}

// helperSolver runs certorder-dns01 once per Present and CleanUp, with
// the request on its stdin: credentials never reach its argv or its
// environment.
type helperSolver struct {
	path string
	req  helperapi.Request
}

// newHelperSolver reads the block's Secrets and returns the Solver that
// runs provider name of cfg in the helper.
func newHelperSolver(ctx context.Context, name string, cfg *cmacme.ACMEChallengeSolverDNS01, opts BuildOptions) (Solver, error) {
	values, err := resolveSecrets(ctx, opts, cfg)
	if err != nil {
		return nil, err
	}
	return helperSolver{path: cmp.Or(opts.Helper, DefaultHelper()), req: helperapi.Request{
		Provider: name, DNS01: cfg, Secrets: values,
		Ambient: opts.Ambient, Nameservers: opts.Nameservers, UserAgent: opts.UserAgent,
	}}, nil
}

func (s helperSolver) Present(ctx context.Context, domain, fqdn, value string) error {
	return s.run(ctx, helperapi.ActionPresent, domain, fqdn, value)
}

func (s helperSolver) CleanUp(ctx context.Context, domain, fqdn, value string) error {
	return s.run(ctx, helperapi.ActionCleanup, domain, fqdn, value)
}

// run runs the helper for one action; ctx's end kills it.
func (s helperSolver) run(ctx context.Context, action, domain, fqdn, value string) error {
	if err := s.exec(ctx, action, domain, fqdn, value); err != nil {
		return fmt.Errorf("dns01 %s (%s): %w", s.req.Provider, HelperName, err)
	}
	return nil
}

func (s helperSolver) exec(ctx context.Context, action, domain, fqdn, value string) error {
	req := s.req
	req.Action, req.Domain, req.FQDN, req.Value = action, domain, fqdn, value
	in, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("encoding the request: %w", err)
	}
	stdout, stderr := &capped{max: maxHelperOutput}, &capped{max: maxHelperOutput}
	cmd := exec.CommandContext(ctx, s.path)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(in), stdout, stderr
	cmd.WaitDelay = helperWaitDelay
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return fmt.Errorf("%s stopped: %w", action, ctx.Err())
	}
	var exitErr *exec.ExitError
	switch {
	case errors.Is(runErr, fs.ErrNotExist):
		return fmt.Errorf("%s not found at %s: %w; it ships in the image next to certorder", HelperName, s.path, runErr)
	case runErr != nil && !errors.As(runErr, &exitErr):
		return fmt.Errorf("running %s: %w", s.path, runErr)
	}
	var res helperapi.Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return fmt.Errorf("%s gave no result (%v): %w; stderr: %s", action, runErr, err, strings.TrimSpace(stderr.String()))
	}
	if !res.OK || runErr != nil {
		return fmt.Errorf("%s: %s", action, cmp.Or(res.Error, fmt.Sprint(runErr)))
	}
	return nil
}

// capped keeps the first max bytes written to it and drops the rest.
type capped struct {
	bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
