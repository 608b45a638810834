package provider

import "context"

// SecretReader returns one key of a Secret that the issuer is allowed to
// read. The controller scopes it to the issuer's namespace (or the cluster
// resource namespace) and classifies a missing Secret or key itself.
type SecretReader func(ctx context.Context, name, key string) ([]byte, error)
