package controllers

// Annotations a user may set on a Certificate; cert-manager copies them to
// its CertificateRequests. Each value is acted on once: the ledger records
// it as used (status.annotationsUsed).
const (
	// AnnotationAction forces Order, Reissue or Duplicate for the next
	// request, then the issuer's policy applies again.
	AnnotationAction = "certorder.dev/action"
	// AnnotationOrderID adopts an order bought outside Kubernetes, when the
	// issuer allows adoption and the Certificate's ledger holds no live
	// order.
	AnnotationOrderID = "certorder.dev/order-id"
)
