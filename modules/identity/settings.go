package identity

import (
	"context"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// SettingStaffSecondFactor asks staff acting at a tenant (every role but the citizen's) to have
// signed in with a second factor (TOTP through Kratos). On by default; the embedded default's
// dev login is not asked.
const SettingStaffSecondFactor = "identity.staff_second_factor"

// Settings lists the identity module's settings.
func Settings() []tenants.SettingDef {
	return []tenants.SettingDef{{Key: SettingStaffSecondFactor, Kind: tenants.KindBool, Default: true,
		Title: errs.Msg{ZH: "工作人员登录须使用双因素认证（身份验证器动态验证码）",
			EN: "staff sign in with a second factor (an authenticator app's code)"},
		Basis: "《信息安全技术 网络安全等级保护基本要求》（GB/T 22239-2019）第三级 安全计算环境 身份鉴别：应采用两种或两种以上组合的鉴别技术对用户进行身份鉴别"}}
}

// SettingReader reads a tenant setting's final value (tenants.Service).
type SettingReader interface {
	SettingValue(ctx context.Context, tx bun.IDB, sc tenants.Scope, bodyID, key string, v any) error
}

// errSecondFactorSetup answers staff without a second factor at a tenant that asks for one.
var errSecondFactorSetup = errs.E(errs.Unauthenticated, "本单位要求工作人员使用双因素认证：请在账号设置中绑定身份验证器",
	"your agency asks staff to sign in with a second factor: set up an authenticator app in your account settings").WithNext(SecondFactorSetup)

// checkSecondFactor refuses a principal acting as staff at sc's tenant without a second factor
// where the tenant's setting asks for one. Dev-login principals and citizens are not asked.
func (s *Service) checkSecondFactor(ctx context.Context, p *authz.Principal, sc tenants.Scope) error {
	if p.Dev || p.SecondFactor || s.settings == nil {
		return nil
	}
	staff := false
	for _, r := range sc.Roles() {
		staff = staff || r != authz.Citizen
	}
	if !staff {
		return nil
	}
	var required bool
	err := tenants.RunInTx(ctx, s.db, sc, func(ctx context.Context, tx bun.Tx) error {
		return s.settings.SettingValue(ctx, tx, sc, "", SettingStaffSecondFactor, &required)
	})
	if err != nil {
		return err
	}
	if required {
		return errSecondFactorSetup
	}
	return nil
}
