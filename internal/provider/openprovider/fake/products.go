package fake

import (
	"net/http"
	"slices"
	"strconv"
)

// productView is the part of the swagger's SslProduct the fake fills.
type productView struct {
	ID                   int64  `json:"id"`
	Name                 string `json:"name"`
	IncludedDomainsCount int    `json:"included_domains_count"`
	NumberOfDomains      int    `json:"number_of_domains"`
	MaxDomains           int    `json:"max_domains"`
}

func (s *Server) product(id int64) (productView, *apiError) {
	if id <= 0 || (s.opts.Products != nil && !slices.Contains(s.opts.Products, id)) {
		return productView{}, &apiError{status: http.StatusInternalServerError, code: codeNoProduct, desc: "Product not found", data: strconv.FormatInt(id, 10)}
	}
	n, ok := s.opts.ProductDomains[id]
	if !ok {
		n = DefaultProductDomains
	}
	p := productView{ID: id, Name: "Fake SSL " + strconv.FormatInt(id, 10), IncludedDomainsCount: n, NumberOfDomains: n}
	if n > 1 {
		p.MaxDomains = 250
	}
	return p, nil
}

func (s *Server) getProduct(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	p, e := s.product(id)
	if e != nil {
		e.write(w)
		return
	}
	writeData(w, p)
}

// checkNames refuses host_names on a single-domain product and counts the
// names billed on top of the product's (modelled: the docs say host_names
// is only for multi-domain products, and that extra names cost extra).
func (s *Server) checkNames(productID int64, in certRequest, cn string) *apiError {
	p, e := s.product(productID)
	if e != nil {
		return e
	}
	if len(in.HostNames) > 0 && p.MaxDomains == 0 {
		return invalid("host_names is only for multi-domain products")
	}
	if extra := len(certNames(cn, in.HostNames)) - p.NumberOfDomains; extra > 0 {
		s.counts.ExtraNames += extra
	}
	return nil
}
