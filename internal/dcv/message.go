package dcv

import (
	"fmt"
	"strings"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
)

// applyVerdict records the CA's per-domain answer on the records.
func applyVerdict(st *v1alpha1.DCVState, results []provider.DomainValidation) {
	for _, res := range results {
		for i := range st.Records {
			if canonical(st.Records[i].Domain) == canonical(res.Domain) {
				st.Records[i].Validated = res.Validated
			}
		}
	}
}

func allValidated(st v1alpha1.DCVState) bool {
	for _, rec := range st.Records {
		if !rec.Validated {
			return false
		}
	}
	return len(st.Records) > 0
}

// verdict says which domains the CA validated and which are pending, as in
// "DigiCert: example.com validated, www.example.com pending".
func (r *Runner) verdict(st v1alpha1.DCVState) string {
	parts := make([]string, 0, len(st.Records))
	for _, rec := range st.Records {
		word := "pending"
		if rec.Validated {
			word = "validated"
		}
		parts = append(parts, rec.Domain+" "+word)
	}
	return r.CA + ": " + strings.Join(parts, ", ")
}

// manualNote lists the records left to a person, with their values, as the
// request's message did before hands-free validation.
func manualNote(st v1alpha1.DCVState) string {
	var parts []string
	for _, rec := range st.Records {
		if rec.Manual && !rec.Validated {
			parts = append(parts, fmt.Sprintf("TXT %s %q", unfqdn(rec.Name), rec.Value))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "; outside the dcv selector, publish by hand: " + strings.Join(parts, ", ")
}

func joinNames(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = unfqdn(n)
	}
	return strings.Join(out, ", ")
}

func unfqdn(name string) string { return strings.TrimSuffix(name, ".") }
