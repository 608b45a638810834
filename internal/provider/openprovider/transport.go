package openprovider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-logr/logr"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/certorder/certorder/internal/provider"
)

// call is one authenticated API call. When Openprovider refuses the token
// (expired or revoked), it logs in again and repeats the call once: the
// refusal means the call did nothing, so even a POST is safe to repeat.
func (c *Client) call(ctx context.Context, endpoint, path string, query url.Values, in, out any) error {
	for retried := false; ; retried = true {
		tok, err := c.session.get(ctx, c.now, c.login)
		if err != nil {
			return err
		}
		err = c.send(ctx, endpoint, path, query, tok, in, out)
		var auth *provider.AuthError
		var blocked *BlockedError
		if retried || !errors.As(err, &auth) || errors.As(err, &blocked) {
			return err
		}
		log.FromContext(ctx).V(1).Info("Openprovider refused the token; logging in again", "endpoint", endpoint)
		c.session.forget(tok)
	}
}

// login trades the credentials for a token.
func (c *Client) login(ctx context.Context) (string, error) {
	var data loginData
	in := loginRequest{Username: c.username, Password: c.password, IP: "0.0.0.0"}
	err := c.send(ctx, "POST /auth/login", "/auth/login", nil, "", in, &data)
	var transient *provider.TransientError
	var auth *provider.AuthError
	switch {
	case errors.As(err, &transient), errors.As(err, &auth):
		return "", err
	case err != nil:
		// Whatever else refuses a login is about the account.
		return "", &provider.AuthError{Err: err}
	case data.Token == "":
		return "", &provider.AuthError{Err: errors.New("openprovider POST /auth/login: the answer holds no token")}
	}
	log.FromContext(ctx).V(1).Info("Logged in to Openprovider", "resellerID", data.ResellerID)
	return data.Token, nil
}

// send performs one call and decodes its data into out. endpoint is the
// route template ("GET /ssl/orders/{id}"), whose method is the call's.
func (c *Client) send(ctx context.Context, endpoint, path string, query url.Values, token string, in, out any) error {
	if err := c.session.refuse(c.now()); err != nil {
		return err
	}
	req, err := c.newRequest(ctx, endpoint, path, query, token, in)
	if err != nil {
		return err
	}
	start := time.Now()
	var data json.RawMessage
	var warnings []warning
	resp, err := c.caller.Send(ctx, endpoint, req)
	if err == nil {
		data, warnings, err = parseResponse(endpoint, resp, c.now())
	}
	logCall(log.FromContext(ctx).WithValues("endpoint", endpoint), resp, warnings, time.Since(start), err)
	if err != nil {
		c.session.block(err)
		return err
	}
	if out == nil || len(data) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		// The call may have taken effect: retry (after recovery), never fail.
		return &provider.TransientError{Err: fmt.Errorf("openprovider %s: decoding the answer's data: %w", endpoint, err)}
	}
	return nil
}

func (c *Client) newRequest(ctx context.Context, endpoint, path string, query url.Values, token string, in any) (*http.Request, error) {
	method, _, _ := strings.Cut(endpoint, " ")
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, &provider.PermanentError{Err: fmt.Errorf("openprovider %s: encoding the request: %w", endpoint, err)}
		}
		body = bytes.NewReader(b)
	}
	u := c.baseURL + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, &provider.PermanentError{Err: fmt.Errorf("openprovider %s: %w", endpoint, err)}
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req, nil
}

// logCall logs one call at V(1): never a body, so never a secret.
func logCall(logger logr.Logger, resp *provider.Response, warnings []warning, elapsed time.Duration, err error) {
	kv := []any{"elapsed", elapsed}
	if resp != nil {
		kv = append(kv, "httpStatus", resp.StatusCode)
	}
	if err != nil {
		kv = append(kv, "error", err.Error())
	}
	logger.V(1).Info("Openprovider call", kv...)
	for _, w := range warnings {
		logger.V(1).Info("Openprovider warning", "code", w.Code, "desc", clip(w.Desc), "data", dataText(w.Data))
	}
}
