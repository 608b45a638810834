package openprovider

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/certorder/certorder/internal/provider"
)

const (
	// listFresh is how long one listing of a credential's pending orders
	// answers the polls of its orders: the polls of one tick share it, and
	// an order that moved on since is seen at most this much later.
	listFresh = 10 * time.Second
	// pendingForget is how long an order polled as pending counts towards
	// a credential's pending orders without being polled again: longer
	// than the controllers' longest wait between two polls (15 minutes).
	pendingForget = 30 * time.Minute
)

// board batches the polls of a credential's pending orders: while two or
// more are pending, one GET /ssl/orders?status=REQ per listFresh answers
// every order it lists, instead of one GET /ssl/orders/{id} each. The list
// has no filter by id (the swagger's listOrders takes limit, offset,
// order_by_*, common_name_pattern, status, contact_handle and
// show_expiring), so it lists every REQ order of the account: it is walked
// for at most as many pages as there are pending orders, never costing
// more calls than the GETs it replaces. An order it does not list (it
// left REQ, or the walk stopped early) is read with its own GET. It lives
// in the credential's session, shared by every client of the credential.
type board struct {
	flight singleflight.Group

	mu sync.Mutex
	// pending are the orders polled lately that were still pending.
	pending map[int]time.Time
	// listed are the REQ orders of the last listing, taken at listedAt.
	listed   map[int]*order
	listedAt time.Time
}

// touch records that order id is polled at now and answers how many of the
// credential's orders are pending.
func (b *board) touch(id int, now time.Time) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	for k, t := range b.pending {
		if now.Sub(t) >= pendingForget {
			delete(b.pending, k)
		}
	}
	if b.pending == nil {
		b.pending = map[int]time.Time{}
	}
	b.pending[id] = now
	return len(b.pending)
}

// settled drops an order that is no longer pending.
func (b *board) settled(id int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.pending, id)
}

// fresh is the last listing, if it is recent enough to answer a poll.
func (b *board) fresh(now time.Time) (map[int]*order, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.listed == nil || now.Sub(b.listedAt) >= listFresh || now.Before(b.listedAt) {
		return nil, false
	}
	return b.listed, true
}

func (b *board) store(listed map[int]*order, at time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.listed, b.listedAt = listed, at
}

// polledOrder reads order id for a poll: from the credential's listing of
// pending orders when several are pending, else with its own GET.
func (c *Client) polledOrder(ctx context.Context, id int) (*order, error) {
	b := &c.session.board
	if pending := b.touch(id, c.now()); pending > 1 {
		listed, err := c.pendingOrders(ctx, min(pending, maxPages))
		if err != nil {
			return nil, err
		}
		if o, ok := listed[id]; ok {
			// A copy: the listing answers other polls too.
			cp := *o
			return &cp, nil
		}
	}
	return c.getOrder(ctx, id)
}

// pendingOrders is the fresh listing of the credential's REQ orders, walked
// for at most pages pages. Concurrent polls share one walk; it runs
// detached from one caller's cancellation, bounded by the HTTP timeout.
func (c *Client) pendingOrders(ctx context.Context, pages int) (map[int]*order, error) {
	b := &c.session.board
	if listed, ok := b.fresh(c.now()); ok {
		return listed, nil
	}
	ch := b.flight.DoChan("list", func() (any, error) {
		if listed, ok := b.fresh(c.now()); ok {
			return listed, nil
		}
		at := c.now()
		listed := map[int]*order{}
		err := c.walk(context.WithoutCancel(ctx), url.Values{"status": {statusRequested}}, pages, func(o *order) bool {
			if o.Status == statusRequested {
				listed[o.ID] = o
			}
			return false
		})
		if err != nil {
			return nil, fmt.Errorf("listing the pending Openprovider orders: %w", err)
		}
		b.store(listed, at)
		return listed, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(map[int]*order), nil
	case <-ctx.Done():
		return nil, &provider.TransientError{Err: fmt.Errorf("openprovider: waiting for the list of pending orders: %w", ctx.Err())}
	}
}
