package policy

import (
	"fmt"
	"time"
)

// OverBudget: the issuer placed its whole new-order budget in the last 24
// hours. The request should stay Pending with this message, and be looked
// at again after RetryAfter (or when the issuer's budget is raised).
type OverBudget struct {
	Issuer Issuer
	Budget int
	Used   int
	// RetryAfter is when enough counted orders leave the window for one
	// more to fit.
	RetryAfter time.Duration
}

var _ error = &OverBudget{}

func (e *OverBudget) Error() string {
	return fmt.Sprintf("%s has placed %d new paid orders in the last 24h, its newOrderBudget is %d: "+
		"waiting %s for one to leave the window; raise spec.newOrderBudget on the issuer to order sooner "+
		"(reissues and duplicates are free and not counted)",
		e.Issuer, e.Used, e.Budget, e.RetryAfter.Round(time.Second))
}
