package digicert

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/certorder/certorder/internal/provider"
)

// listSkew is how far before a submission's intent a certificate may be
// dated and still answer it. DigiCert dates its lists to the day
// (valid_from is yyyy-MM-dd), so a day each side.
const listSkew = 48 * time.Hour

// errNotThisSubmission marks a certificate that cannot answer the
// submission: already recorded for the Certificate, or issued before the
// submission's intent. With a reused key its CSR matches all the same.
var errNotThisSubmission = errors.New("the certificate is already recorded, or predates the submission")

// answer is what a certificate must be to answer one submission.
type answer struct {
	// csr is the submission's PEM CSR; the leaf must certify its key.
	csr []byte
	// names must all be in the leaf; empty takes them from the CSR.
	names []string
	// known and since are those of provider.Request and PollRequest.
	known []string
	since time.Time
}

func answerOf(req provider.Request, since time.Time) answer {
	return answer{csr: req.CSR, names: append([]string{req.CommonName}, req.DNSNames...), known: req.Known, since: since}
}

func pollAnswer(req provider.PollRequest) answer {
	return answer{csr: req.CSR, known: req.Known, since: req.Since}
}

// listedAsKnown tells whether a listed certificate is already recorded, by
// its id or its serial number.
func (a answer) listedAsKnown(c orderCertificate) bool {
	return provider.IsRecorded(a.known, idString(c.ID), serialHex(c.SerialNumber))
}

// check verifies that a downloaded or immediate chain answers the
// submission: the leaf certifies the CSR's key and every requested name,
// and is neither recorded nor older than the submission.
func (a answer) check(certID ID, chain *provider.Chain) error {
	if err := a.verify(chain); err != nil {
		return err
	}
	leaf := chain.Leaf
	if provider.IsRecorded(a.known, idString(certID), provider.SerialHex(leaf)) || provider.Predates(leaf, a.since, listSkew) {
		return fmt.Errorf("certificate %s (serial %s, not before %s): %w", certID, provider.SerialHex(leaf), leaf.NotBefore.UTC().Format(time.RFC3339), errNotThisSubmission)
	}
	return nil
}

// verify checks the leaf against the CSR: its key, and the names asked
// for (from the request, or else from the CSR). Without a CSR there is
// nothing to check.
func (a answer) verify(chain *provider.Chain) error {
	if len(a.csr) == 0 {
		return nil
	}
	csr, err := provider.ParseCSR(a.csr)
	if err != nil {
		return permanentf("reading the CSR: %w", err)
	}
	if err := chain.MatchesCSR(csr); err != nil {
		return &provider.PermanentError{Err: err}
	}
	names := a.names
	if len(names) == 0 {
		names = append([]string{csr.Subject.CommonName}, csr.DNSNames...)
	}
	for _, n := range names {
		if n != "" && !slices.ContainsFunc(chain.Leaf.DNSNames, func(d string) bool { return strings.EqualFold(d, n) }) {
			return permanentf("the issued certificate (serial %s) does not name %q", provider.SerialHex(chain.Leaf), n)
		}
	}
	return nil
}

// serialHex reads a serial number as DigiCert lists it (upper-case hex,
// perhaps with separators or leading zeros) the way Known records it.
func serialHex(s string) string {
	s = strings.ToLower(strings.NewReplacer(":", "", " ", "", "-", "").Replace(s))
	if t := strings.TrimLeft(s, "0"); t != "" || s == "" {
		return t
	}
	return "0"
}
