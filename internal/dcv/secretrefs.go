package dcv

import (
	"context"
	"reflect"

	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"

	"github.com/certorder/certorder/internal/dcv/helperapi"
)

// resolveSecrets reads every Secret the block references, keyed for the
// helper's request. It finds them by walking the block for every
// SecretKeySelector, so a provider cert-manager adds later cannot miss
// its Secret.
func resolveSecrets(ctx context.Context, opts BuildOptions, cfg *cmacme.ACMEChallengeSolverDNS01) (map[string]string, error) {
	out := map[string]string{}
	for _, ref := range secretRefs(cfg) {
		v, err := secret(ctx, opts, &ref)
		if err != nil {
			return nil, err
		}
		if ref.Name != "" {
			out[helperapi.SecretKey(ref.Name, ref.Key)] = v
		}
	}
	return out, nil
}

var selectorType = reflect.TypeFor[cmmeta.SecretKeySelector]()

// secretRefs are the SecretKeySelectors in v, in field order.
func secretRefs(v any) []cmmeta.SecretKeySelector {
	var out []cmmeta.SecretKeySelector
	walkRefs(reflect.ValueOf(v), &out)
	return out
}

func walkRefs(v reflect.Value, out *[]cmmeta.SecretKeySelector) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkRefs(v.Elem(), out)
		}
	case reflect.Struct:
		if v.Type() == selectorType {
			*out = append(*out, v.Interface().(cmmeta.SecretKeySelector))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walkRefs(v.Field(i), out)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkRefs(v.Index(i), out)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			walkRefs(it.Value(), out)
		}
	}
}
