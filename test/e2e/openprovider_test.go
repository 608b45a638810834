package e2e

import (
	"testing"

	opfake "github.com/certorder/certorder/internal/provider/openprovider/fake"
)

func TestOpenproviderIssuesAndRenews(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		cluster bool
	}{
		{"OpenproviderIssuer", false},
		{"OpenproviderClusterIssuer, Secret in the cluster resource namespace", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := newOpenprovider(t)
			fake.SetBehavior(opfake.Behavior{PendingPolls: 1})
			iss := openproviderIssuer(t, stack.Client, fake, tc.cluster)
			crt, first := iss.issue(t, stack.Client, "mail", "mail.example.com", "smtp.example.com")
			wantCounts(t, fake.Counts().Orders, 1)
			renew(t, stack.Client, crt)
			if second := iss.verify(t, stack.Client, crt, 2); first.SerialNumber.Cmp(second.SerialNumber) == 0 {
				t.Error("the renewed Secret holds the first certificate")
			}
			got := fake.Counts()
			wantCounts(t, [3]int{got.Orders, got.Reissues, got.Renewals}, [3]int{1, 1, 0})
			sameOrder(t, crt)
		})
	}
}
