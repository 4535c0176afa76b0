package delivery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// Notifier sends an SMS notification.
type Notifier interface {
	// Notify hands n to the gateway and returns its acceptance. A failure is a *SendError saying
	// whether retrying may help.
	Notify(ctx context.Context, n *Notice) (*Receipt, error)
}

// Notice is an SMS notification: it tells the party that a document waits in the inbox.
type Notice struct {
	To        string `json:"to"`        // 11-digit mainland mobile number
	Text      string `json:"text"`      // the message
	Reference string `json:"reference"` // the route ID: the same on every retry, for the gateway to deduplicate
}

// SMSGateway posts notifications to an HTTP gateway: POST <URL> with a JSON Notice, the headers
// "Authorization: Bearer <token>" and "Idempotency-Key: <reference>". A 2xx answer is acceptance
// (its JSON "id", if any, is recorded); 408, 425, 429, 5xx and network failures are temporary;
// other answers are permanent refusals.
type SMSGateway struct {
	URL    string
	Token  string
	Client *http.Client // its Timeout bounds one request
}

// NewSMSGateway returns a gateway client with the given timeout per request.
func NewSMSGateway(url, token string, timeout time.Duration) *SMSGateway {
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	return &SMSGateway{URL: url, Token: token, Client: &http.Client{Timeout: timeout}}
}

// Notify posts n to the gateway.
func (g *SMSGateway) Notify(ctx context.Context, n *Notice) (*Receipt, error) {
	body, err := json.Marshal(n)
	if err != nil {
		return nil, &SendError{Permanent: true, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.URL, bytes.NewReader(body))
	if err != nil {
		return nil, &SendError{Permanent: true, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+g.Token)
	req.Header.Set("Idempotency-Key", n.Reference)
	resp, err := g.Client.Do(req)
	if err != nil {
		// A failure after the request may have been sent (a timeout, a dropped connection) leaves
		// its fate unknown; the gateway deduplicates by the Idempotency-Key.
		var op *net.OpError
		sent := !(errors.As(err, &op) && op.Op == "dial")
		return nil, &SendError{Uncertain: sent, Err: errors.New(redactURL(err.Error(), g.URL))}
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	text := strings.TrimSpace(string(raw))
	if len(text) > 300 {
		text = text[:300]
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		var ack struct {
			ID string `json:"id"`
		}
		reply := fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
		if json.Unmarshal(raw, &ack) == nil && ack.ID != "" {
			reply += " id=" + ack.ID
		}
		return &Receipt{Reply: reply}, nil
	}
	temporary := resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusTooEarly ||
		resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	return nil, &SendError{Code: resp.StatusCode, Reply: text, Permanent: !temporary,
		Err: fmt.Errorf("sms gateway answered %d", resp.StatusCode)}
}

// redactURL keeps a gateway URL's query (which may carry credentials) out of error text.
func redactURL(msg, u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return strings.ReplaceAll(msg, u, u[:i]+"?…")
	}
	return msg
}
