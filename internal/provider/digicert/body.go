package digicert

import (
	"time"

	"github.com/certorder/certorder/internal/provider"
)

// orderBody is the body of a new order: the issuer's settings with the
// request's names, CSR and validity.
func (c *Client) orderBody(req provider.Request) (orderRequest, error) {
	cert := c.certificateBody(req)
	cert.OrganizationUnits = c.spec.OrganizationUnits
	cert.CertValidity = certValidity(req.Validity)
	body := orderRequest{
		Certificate:                 cert,
		SkipApproval:                c.spec.SkipApproval,
		DCVMethod:                   c.spec.DCVMethod,
		PaymentMethod:               c.spec.PaymentMethod,
		Comments:                    req.Comment,
		DisableRenewalNotifications: true,
	}
	if c.spec.OrganizationID != nil {
		body.Organization = &idRef{ID: ID(*c.spec.OrganizationID)}
	}
	if c.spec.ContainerID != nil {
		body.Container = &idRef{ID: ID(*c.spec.ContainerID)}
	}
	switch v := c.spec.Validity; {
	case v != nil && v.Days != nil:
		body.OrderValidity = &validityBody{Days: int(*v.Days)}
	case v != nil && v.Years != nil:
		body.ValidityYears = int(*v.Years)
	default:
		// CertCentral requires a plan length; one year is its shortest.
		body.ValidityYears = 1
	}
	for _, f := range c.spec.CustomFields {
		body.CustomFields = append(body.CustomFields, customField{MetadataID: f.MetadataID, Value: f.Value})
	}
	if req.RenewalOfOrderID != "" {
		id, err := parseID("renewal_of_order_id", req.RenewalOfOrderID)
		if err != nil {
			return orderRequest{}, err
		}
		body.RenewalOfOrderID = id
	}
	return body, nil
}

func (c *Client) certificateBody(req provider.Request) certificateBody {
	return certificateBody{
		CommonName:     req.CommonName,
		DNSNames:       req.DNSNames,
		CSR:            string(req.CSR),
		SignatureHash:  c.spec.SignatureHash,
		ServerPlatform: idRef{ID: ID(*c.spec.ServerPlatformID)},
		CACertID:       c.spec.CACertID,
	}
}

// certValidity is the certificate's validity in whole days, rounded down so
// that the caller's cap is never exceeded; nil lets DigiCert choose.
func certValidity(d time.Duration) *validityBody {
	days := int(d / (24 * time.Hour))
	if days < 1 {
		return nil
	}
	return &validityBody{Days: days}
}
