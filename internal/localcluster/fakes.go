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

// startFakes serves both fake CAs on loopback.
func (c *Cluster) startFakes() error {
	var err error
	if c.DigiCert, err = dcfake.New(dcfake.Options{APIKeys: []string{DigiCertAPIKey}}); err != nil {
		return fmt.Errorf("creating the fake DigiCert: %w", err)
	}
	c.DigiCertURL = c.DigiCert.Start()
	c.Openprovider, err = opfake.New(opfake.Options{Users: map[string]string{OpenproviderUsername: OpenproviderPassword}})
	if err != nil {
		return fmt.Errorf("creating the fake Openprovider: %w", err)
	}
	c.OpenproviderURL = c.Openprovider.Start()
	return nil
}
