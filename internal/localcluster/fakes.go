package localcluster

import (
	"fmt"

	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
	opfake "github.com/certorder/certorder/internal/provider/openprovider/fake"
)

// Credentials the fake CAs accept.
const (
	DigiCertAPIKey       = "local-digicert-api-key"
	OpenproviderUsername = "certorder"
	OpenproviderPassword = "local-openprovider-password"
)

// NewDigiCert serves a fake DigiCert on loopback that accepts
// DigiCertAPIKey, unless opts names its own keys. The caller must Close it.
func NewDigiCert(opts dcfake.Options) (*dcfake.Server, error) {
	if len(opts.APIKeys) == 0 {
		opts.APIKeys = []string{DigiCertAPIKey}
	}
	s, err := dcfake.New(opts)
	if err != nil {
		return nil, fmt.Errorf("creating a fake DigiCert: %w", err)
	}
	s.Start()
	return s, nil
}

// NewOpenprovider serves a fake Openprovider on loopback that accepts
// OpenproviderUsername and OpenproviderPassword. The caller must Close it.
func NewOpenprovider() (*opfake.Server, error) {
	s, err := opfake.New(opfake.Options{Users: map[string]string{OpenproviderUsername: OpenproviderPassword}})
	if err != nil {
		return nil, fmt.Errorf("creating a fake Openprovider: %w", err)
	}
	s.Start()
	return s, nil
}

// startFakes serves both fake CAs on loopback.
func (c *Cluster) startFakes() error {
	var err error
	if c.DigiCert, err = NewDigiCert(dcfake.Options{}); err != nil {
		return err
	}
	c.DigiCertURL = c.DigiCert.Start()
	if c.Openprovider, err = NewOpenprovider(); err != nil {
		return err
	}
	c.OpenproviderURL = c.Openprovider.Start()
	return nil
}
