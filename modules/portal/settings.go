package portal

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"zhifa/modules/delivery"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/rules"
	"zhifa/tenants"
)

// SettingReconsiderationEmail is the mailbox of the reconsideration body (行政复议机关) that
// receives the applications submitted in the portal, per tenant and inheritable, and
// overridable per enforcement body (whose reconsideration body may differ). Empty: applications
// wait, listed as not sent.
const SettingReconsiderationEmail = "portal.reconsideration_email"

// Settings lists the portal's settings.
func Settings() []tenants.SettingDef {
	return []tenants.SettingDef{{Key: SettingReconsiderationEmail, Kind: tenants.KindString, Default: "",
		Title: errs.Msg{ZH: "行政复议机关接收一键复议申请的电子邮箱（为空则申请暂不发送）",
			EN: "the reconsideration body's mailbox for applications submitted in the portal (empty: they wait)"},
		Basis: rules.Art(rules.LawReconsideration, 22).Screen()}}
}

// mailbox returns the reconsideration body's mailbox for a body's cases, or "" when none is set
// (or what is set is not an e-mail address, which is logged).
func (s *Service) mailbox(ctx context.Context, tx bun.IDB, sc tenants.Scope, bodyID string) (string, error) {
	if s.settings == nil {
		return "", nil
	}
	var v string
	if err := s.settings.SettingValue(ctx, tx, sc, bodyID, SettingReconsiderationEmail, &v); err != nil {
		return "", err
	}
	if v = strings.TrimSpace(v); v == "" {
		return "", nil
	}
	addr, ok := delivery.NormalizeEmail(v)
	if !ok {
		s.log.WarnContext(ctx, "portal: "+SettingReconsiderationEmail+" is not an e-mail address", "tenant", sc.TenantID(), "body", bodyID)
		return "", nil
	}
	return addr, nil
}
