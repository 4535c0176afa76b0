package app

import (
	"context"
	"fmt"

	"zhifa/modules/identity"
	"zhifa/modules/kernel/authz"
)

// BootstrapOperator registers the deployment's first tenant operator at the root tenant: a Kratos
// identity with the given password (through the admin API) and an account holding the
// tenant-operator role. It is how a fresh production deployment gets its first user.
func BootstrapOperator(ctx context.Context, a *App, email, name, password string) (*identity.Account, error) {
	root, err := a.Tenants.Store().Lookup(ctx, a.Config.Deployment.RootTenant)
	if err != nil {
		return nil, fmt.Errorf("bootstrap: root tenant: %w", err)
	}
	req := identity.NewAccount{Email: email, Name: name, Kind: identity.KindOperator, Password: password, Roles: []authz.Role{authz.TenantOperator}}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	acc, err := a.Identity.CreateAccount(ctx, seedScope(root), req)
	if err != nil {
		return nil, err
	}
	return &acc.Account, nil
}
