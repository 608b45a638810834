package openprovider

import (
	"context"
	"fmt"
	"strings"

	"github.com/certorder/certorder/internal/provider"
)

// product is what certorder reads of an SSL product (swagger SslProduct).
type product struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
	// IncludedDomainsCount is how many names an order gets when it is
	// provisioned without domain_amount (the create-order quickstart,
	// https://support.openprovider.eu/hc/en-us/articles/360024177973);
	// -1 for a wildcard product.
	IncludedDomainsCount int `json:"included_domains_count"`
	// NumberOfDomains is how many names the regular price includes; more
	// are billed on top on a multi-domain product (swagger SslProduct).
	NumberOfDomains int `json:"number_of_domains"`
	// MaxDomains applies only to multi-domain products.
	MaxDomains int `json:"max_domains"`
}

func (p *product) multiDomain() bool { return p.MaxDomains > 1 }

// included is how many names an order of the product is billed for when
// certorder sends no domain_amount.
func (p *product) included() int {
	if p.IncludedDomainsCount > 0 {
		return p.IncludedDomainsCount
	}
	return max(p.NumberOfDomains, 1)
}

func (c *Client) getProduct(ctx context.Context, id int64) (*product, error) {
	var p product
	if err := c.call(ctx, "GET /ssl/products/{id}", fmt.Sprintf("/ssl/products/%d", id), nil, nil, &p); err != nil {
		return nil, fmt.Errorf("reading Openprovider product %d: %w", id, err)
	}
	return &p, nil
}

// checkNames refuses, before any paid call, a request the product cannot
// certify without billing an extra name: host_names are only for
// multi-domain products (the create-order quickstart), and certorder sends
// no domain_amount, so an order is billed for the product's included names
// and a name beyond them would cost extra.
func (c *Client) checkNames(ctx context.Context, productID int64, names certNames) error {
	if len(names.extra) == 0 {
		return nil
	}
	p, err := c.getProduct(ctx, productID)
	if err != nil {
		return err
	}
	all := len(names.extra) + 1
	switch {
	case !p.multiDomain():
		return &provider.PermanentError{Err: fmt.Errorf("openprovider: product %d (%s) certifies one name, but the request also names %s; use a multi-domain product",
			productID, p.Name, strings.Join(names.extra, ", "))}
	case all > p.included():
		return &provider.PermanentError{Err: fmt.Errorf("openprovider: product %d (%s) includes %d names, the request names %d; certorder does not order names billed on top of the product",
			productID, p.Name, p.included(), all)}
	}
	return nil
}
