package v1alpha1

// Adoption says whether a Certificate may take over an order bought outside
// certorder by naming it in the certorder.dev/order-id annotation. Anyone
// who can create a Certificate can set that annotation, so adoption is off
// unless the issuer's owner turns it on.
type Adoption struct {
	// Enabled lets certorder.dev/order-id adopt an order that no other
	// CertificateOrder holds. Off by default: the annotation is refused.
	// +kubebuilder:default=false
	// +optional
	Enabled bool `json:"enabled,omitempty"`

	// AllowNameChanges lets a reissue change the names of an adopted order.
	// DigiCert revokes every other certificate of an order whose names
	// change, and an adopted order's certificates may serve outside the
	// cluster, so such a reissue is refused unless this is set.
	// +kubebuilder:default=false
	// +optional
	AllowNameChanges bool `json:"allowNameChanges,omitempty"`
}

// AdoptionPolicy of the issuer.
func (i *DigiCertIssuer) AdoptionPolicy() Adoption { return i.Spec.Adoption }

// AdoptionPolicy of the issuer.
func (i *DigiCertClusterIssuer) AdoptionPolicy() Adoption { return i.Spec.Adoption }

// AdoptionPolicy of the issuer.
func (i *OpenproviderIssuer) AdoptionPolicy() Adoption { return i.Spec.Adoption }

// AdoptionPolicy of the issuer.
func (i *OpenproviderClusterIssuer) AdoptionPolicy() Adoption { return i.Spec.Adoption }
