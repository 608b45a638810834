package metricsauth_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/go-logr/logr"
	authnv1 "k8s.io/api/authentication/v1"
	authzv1 "k8s.io/api/authorization/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/scheme"
	authnclient "k8s.io/client-go/kubernetes/typed/authentication/v1"
	authzclient "k8s.io/client-go/kubernetes/typed/authorization/v1"
	"k8s.io/client-go/rest"

	"github.com/certorder/certorder/internal/metricsauth"
)

// fakeAPI plays the API server's TokenReview and SubjectAccessReview
// endpoints.
type fakeAPI struct {
	mu sync.Mutex
	// users maps a token to the user it authenticates as.
	users map[string]authnv1.UserInfo
	// allowed holds "user verb path" triples.
	allowed map[string]bool
	// failTokens and failAccess make the endpoint answer 500.
	failTokens, failAccess bool

	tokenReviews, accessReviews int
	lastAccess                  authzv1.SubjectAccessReviewSpec
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.URL.Path {
	case "/apis/authentication.k8s.io/v1/tokenreviews":
		f.tokenReviews++
		var review authnv1.TokenReview
		if f.failTokens || decode(r, &review) != nil {
			http.Error(w, "etcd is down", http.StatusInternalServerError)
			return
		}
		user, ok := f.users[review.Spec.Token]
		review.Status = authnv1.TokenReviewStatus{Authenticated: ok, User: user}
		if !ok {
			review.Status.Error = "invalid bearer token"
		}
		encode(w, r, &review, authnv1.SchemeGroupVersion)
	case "/apis/authorization.k8s.io/v1/subjectaccessreviews":
		f.accessReviews++
		var review authzv1.SubjectAccessReview
		if f.failAccess || decode(r, &review) != nil {
			http.Error(w, "etcd is down", http.StatusInternalServerError)
			return
		}
		f.lastAccess = review.Spec
		attrs := review.Spec.NonResourceAttributes
		review.Status.Allowed = attrs != nil && f.allowed[review.Spec.User+" "+attrs.Verb+" "+attrs.Path]
		encode(w, r, &review, authzv1.SchemeGroupVersion)
	default:
		http.NotFound(w, r)
	}
}

// decode reads the request body in its content type (client-go's typed
// clients send protobuf).
func decode(r *http.Request, into runtime.Object) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	_, _, err = scheme.Codecs.UniversalDeserializer().Decode(body, nil, into)
	return err
}

// encode answers obj in the request's content type.
func encode(w http.ResponseWriter, r *http.Request, obj runtime.Object, gv schema.GroupVersion) {
	mediaType := r.Header.Get("Content-Type")
	info, ok := runtime.SerializerInfoForMediaType(scheme.Codecs.SupportedMediaTypes(), mediaType)
	if !ok {
		http.Error(w, "unsupported media type "+mediaType, http.StatusUnsupportedMediaType)
		return
	}
	w.Header().Set("Content-Type", mediaType)
	_ = scheme.Codecs.EncoderForVersion(info.Serializer, gv).Encode(obj, w)
}

func (f *fakeAPI) set(change func(*fakeAPI)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	change(f)
}

// calls returns how many TokenReviews and SubjectAccessReviews were made.
func (f *fakeAPI) calls() (int, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokenReviews, f.accessReviews
}

func (f *fakeAPI) last() authzv1.SubjectAccessReviewSpec {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastAccess
}

// newFakeAPI returns an API that authenticates "reader-token" as reader and
// "stranger-token" as stranger, and allows reader to get /metrics.
func newFakeAPI() *fakeAPI {
	return &fakeAPI{
		users: map[string]authnv1.UserInfo{
			"reader-token":   {Username: "reader", UID: "uid-1", Groups: []string{"monitoring"}, Extra: map[string]authnv1.ExtraValue{"scope": {"a", "b"}}},
			"stranger-token": {Username: "stranger", Groups: []string{"system:authenticated"}},
		},
		allowed: map[string]bool{"reader get /metrics": true},
	}
}

// serve returns a filter in front of a handler that answers 200 "metrics",
// with a Reviewer that calls api through client-go's typed clients.
func serve(t *testing.T, api *fakeAPI, opts metricsauth.Options, log logr.Logger) http.Handler {
	t.Helper()
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	cfg := &rest.Config{Host: srv.URL}
	authn, err := authnclient.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	authz, err := authzclient.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := metricsauth.NewReviewer(authn.TokenReviews(), authz.SubjectAccessReviews(), opts)
	h, err := r.Filter(log, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Header.Get("Authorization") != "" {
			http.Error(w, "the token reached the metrics handler", http.StatusTeapot)
			return
		}
		_, _ = w.Write([]byte("metrics"))
	}))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// do sends method path with the Authorization header auth ("" for none)
// and returns the status code.
func do(h http.Handler, method, path, auth string) int {
	req := httptest.NewRequest(method, path, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}
