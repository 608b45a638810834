package provider

import (
	"crypto/x509"
	"fmt"
	"slices"
	"time"
)

// SerialHex prints a certificate's serial number the way Known records it:
// lower-case hex without separators.
func SerialHex(cert *x509.Certificate) string {
	return fmt.Sprintf("%x", cert.SerialNumber)
}

// IsRecorded tells whether a certificate, by CA certificate id or by leaf
// serial, is already in known. Either may be empty when the CA did not say.
func IsRecorded(known []string, certificateID, serialHex string) bool {
	return (certificateID != "" && slices.Contains(known, certificateID)) ||
		(serialHex != "" && slices.Contains(known, serialHex))
}

// Predates tells whether a leaf was issued before a submission's intent was
// recorded, allowing skew for the CA's clock and for how coarsely it dates
// its answers. A zero since predates nothing.
func Predates(leaf *x509.Certificate, since time.Time, skew time.Duration) bool {
	return !since.IsZero() && leaf.NotBefore.Before(since.Add(-skew))
}
