package provider

// PermanentError is an answer that will not change by asking again: an
// invalid CSR, a product the account may not order, a validation error.
// It fails the CertificateRequest with the CA's message.
type PermanentError struct {
	Err error
}

var _ error = &PermanentError{}

func (e *PermanentError) Error() string { return e.Err.Error() }

func (e *PermanentError) Unwrap() error { return e.Err }
