package selfservice

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"zhifa/modules/kernel/errs"
)

// A Kind is one of Kratos' self-service browser flows rendered by a page.
type Kind string

// The flows.
const (
	Login        Kind = "login"
	Registration Kind = "registration"
	Recovery     Kind = "recovery"
	Verification Kind = "verification"
	Settings     Kind = "settings"
)

// kinds are the flows with a page, in the order the pages link each other.
var kinds = []Kind{Login, Registration, Recovery, Verification, Settings}

// text is a Kratos UI text: a message or a label.
type text struct {
	ID      int64          `json:"id"`
	Text    string         `json:"text"`
	Type    string         `json:"type"`
	Context map[string]any `json:"context,omitempty"`
}

// node is one element of a flow's form (Kratos UiNode), the attributes of every node type in
// one struct: input (name, type, value…), img (src, width, height), text (text), a (href, title).
type node struct {
	Type  string `json:"type"`
	Group string `json:"group"`
	Attrs struct {
		NodeType     string `json:"node_type"`
		Name         string `json:"name"`
		Type         string `json:"type"`
		Value        any    `json:"value"`
		Required     bool   `json:"required"`
		Disabled     bool   `json:"disabled"`
		Autocomplete string `json:"autocomplete"`
		Pattern      string `json:"pattern"`
		MaxLength    int    `json:"maxlength"`
		Src          string `json:"src"`
		Href         string `json:"href"`
		ID           string `json:"id"`
		Width        int    `json:"width"`
		Height       int    `json:"height"`
		Text         *text  `json:"text"`
		Title        *text  `json:"title"`
	} `json:"attributes"`
	Messages []text `json:"messages"`
	Meta     struct {
		Label *text `json:"label"`
	} `json:"meta"`
}

// flow is what every self-service flow has in common: its form and where it returns to.
type flow struct {
	ID       string `json:"id"`
	ReturnTo string `json:"return_to"`
	State    string `json:"state"`
	// RequestedAAL is "aal2" on a sign-in that asks for the second factor.
	RequestedAAL string `json:"requested_aal"`
	Refresh      bool   `json:"refresh"`
	UI           struct {
		Action   string `json:"action"`
		Method   string `json:"method"`
		Messages []text `json:"messages"`
		Nodes    []node `json:"nodes"`
	} `json:"ui"`
}

// flowError is a Kratos error: a failed flow fetch, or the error a flow ended in (/auth/error).
type flowError struct {
	Error struct {
		ID      string `json:"id"`
		Code    int    `json:"code"`
		Status  string `json:"status"`
		Reason  string `json:"reason"`
		Message string `json:"message"`
	} `json:"error"`
}

// kratos is the part of Kratos' public API the pages use, called with the browser's cookies.
type kratos struct {
	base string // Kratos' public URL as the server reaches it, without a trailing slash
	hc   *http.Client
}

// get fetches path from Kratos' public API with the browser's cookie header into out. It returns
// the HTTP status; an error only when Kratos cannot be reached or answers what is not JSON
// (Unavailable).
func (k *kratos) get(ctx context.Context, path string, q url.Values, cookie string, out any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, k.base+path+"?"+q.Encode(), nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept", "application/json")
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	res, err := k.hc.Do(req)
	if err != nil {
		return 0, unavailable(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return 0, unavailable(err)
	}
	if err := json.Unmarshal(b, out); err != nil && res.StatusCode < 300 {
		return 0, unavailable(fmt.Errorf("kratos %s: %d: %w", path, res.StatusCode, err))
	}
	return res.StatusCode, nil
}

func unavailable(err error) error {
	return errs.E(errs.Unavailable, "身份服务暂不可用，请稍后再试", "the identity service is unavailable; try again later").WithCause(err)
}

// fetched is how a flow fetch ended.
type fetched int

const (
	flowOK      fetched = iota
	flowGone            // unknown or expired: a new flow is needed
	flowForeign         // Kratos refused this browser the flow (its CSRF cookie is missing or another's)
)

// flow fetches the flow of kind with id.
func (k *kratos) flow(ctx context.Context, kind Kind, id, cookie string) (*flow, fetched, error) {
	var raw struct {
		flow
		flowError
	}
	status, err := k.get(ctx, "/self-service/"+string(kind)+"/flows", url.Values{"id": {id}}, cookie, &raw)
	switch {
	case err != nil:
		return nil, 0, err
	case status == http.StatusOK:
		return &raw.flow, flowOK, nil
	case status == http.StatusForbidden || raw.Error.ID == "security_csrf_violation":
		return nil, flowForeign, nil
	}
	return nil, flowGone, nil
}

// flowError fetches the error with id (Kratos' error UI).
func (k *kratos) flowError(ctx context.Context, id string) (*flowError, error) {
	var e flowError
	status, err := k.get(ctx, "/self-service/errors", url.Values{"id": {id}}, "", &e)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, nil
	}
	return &e, nil
}

// logoutURL asks Kratos for the URL that ends the browser's session; "" when it has none.
func (k *kratos) logoutURL(ctx context.Context, cookie string) (string, error) {
	var out struct {
		LogoutURL string `json:"logout_url"`
	}
	status, err := k.get(ctx, "/self-service/logout/browser", url.Values{}, cookie, &out)
	if err != nil {
		return "", err
	}
	if status != http.StatusOK {
		return "", nil
	}
	return out.LogoutURL, nil
}

// valueString is an input node's value as the form sends it.
func valueString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		if v {
			return "true"
		}
		return "false"
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%f", v), "0"), ".")
	}
	b, _ := json.Marshal(v)
	return string(b)
}
