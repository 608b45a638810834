// Package manifests parses rendered Kubernetes manifests (helm template,
// kubectl kustomize) into typed objects for tests, and holds the checks
// that the Helm chart and the kustomize install must both pass.
package manifests

import (
	"regexp"
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// Set is the documents of a rendered install, by kind.
type Set map[string][][]byte

var separator = regexp.MustCompile(`(?m)^---\s*$`)

// Parse splits a multi-document YAML stream. Empty and comment-only
// documents are skipped; a document without a kind fails the test.
func Parse(t testing.TB, stream []byte) Set {
	t.Helper()
	s := Set{}
	for _, doc := range separator.Split(string(stream), -1) {
		var content any
		var meta metav1.TypeMeta
		if err := yaml.Unmarshal([]byte(doc), &content); err != nil {
			t.Fatalf("parsing a document: %v\n%s", err, doc)
		}
		if content == nil {
			continue
		}
		if err := yaml.Unmarshal([]byte(doc), &meta); err != nil || meta.Kind == "" {
			t.Fatalf("a document has no kind (%v):\n%s", err, doc)
		}
		s[meta.Kind] = append(s[meta.Kind], []byte(doc))
	}
	return s
}

// Decode decodes doc into a T, failing on any field T does not know, so a
// misspelt field in a template cannot pass unnoticed.
func Decode[T any](t testing.TB, doc []byte) *T {
	t.Helper()
	obj := new(T)
	if err := yaml.UnmarshalStrict(doc, obj); err != nil {
		t.Fatalf("decoding into %T: %v\n%s", obj, err, doc)
	}
	return obj
}

// All decodes every document of kind.
func All[T any](t testing.TB, s Set, kind string) []*T {
	t.Helper()
	var objs []*T
	for _, doc := range s[kind] {
		objs = append(objs, Decode[T](t, doc))
	}
	return objs
}

// Named returns the object of kind whose metadata.name is name.
func Named[T any](t testing.TB, s Set, kind, name string) *T {
	t.Helper()
	if i := slices.Index(Names(t, s, kind), name); i >= 0 {
		return Decode[T](t, s[kind][i])
	}
	t.Fatalf("no %s named %q", kind, name)
	return nil
}

// Names lists the metadata.name of every object of kind.
func Names(t testing.TB, s Set, kind string) []string {
	t.Helper()
	var names []string
	for _, m := range Metadata(t, s, kind) {
		names = append(names, m.Name)
	}
	return names
}

// Metadata returns the metadata of every object of kind.
func Metadata(t testing.TB, s Set, kind string) []metav1.ObjectMeta {
	t.Helper()
	var metas []metav1.ObjectMeta
	for _, doc := range s[kind] {
		var obj struct {
			Metadata metav1.ObjectMeta `json:"metadata"`
		}
		if err := yaml.Unmarshal(doc, &obj); err != nil {
			t.Fatal(err)
		}
		metas = append(metas, obj.Metadata)
	}
	return metas
}
