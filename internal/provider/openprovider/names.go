package openprovider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/certorder/certorder/internal/provider"
)

// certNames are the names of a submission as Openprovider wants them: the
// common name, and the other names apart (host_names excludes the common
// name, per the create-order docs).
type certNames struct {
	common string
	extra  []string
}

func namesOf(req provider.Request) certNames {
	cn := req.CommonName
	if cn == "" && len(req.DNSNames) > 0 {
		cn = req.DNSNames[0]
	}
	n := certNames{common: cn}
	for _, name := range req.DNSNames {
		if !strings.EqualFold(name, cn) && !slices.Contains(n.extra, name) {
			n.extra = append(n.extra, name)
		}
	}
	return n
}

// namesOfCSR reads the names out of a PEM CSR, for a reissue certorder
// sends while polling.
func namesOfCSR(csrPEM []byte) (certNames, error) {
	csr, err := provider.ParseCSR(csrPEM)
	if err != nil {
		return certNames{}, fmt.Errorf("parsing the submission's CSR: %w", err)
	}
	return namesOf(provider.Request{CommonName: csr.Subject.CommonName, DNSNames: csr.DNSNames}), nil
}

// validationMethods names every name of the certificate once: Openprovider
// wants exactly the CSR's common name and SANs.
func (n certNames) validationMethods(method string) []validationMethod {
	out := []validationMethod{{HostName: n.common, Method: method}}
	for _, name := range n.extra {
		out = append(out, validationMethod{HostName: name, Method: method})
	}
	return out
}
