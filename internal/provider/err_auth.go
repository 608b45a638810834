package provider

// AuthError means the CA refused the credentials (wrong key or password,
// missing permission, blocked account). It makes the issuer not Ready;
// requests wait for the issuer instead of failing.
type AuthError struct {
	Err error
}

var _ error = &AuthError{}

func (e *AuthError) Error() string { return e.Err.Error() }

func (e *AuthError) Unwrap() error { return e.Err }
