package app

import (
	"context"
	"embed"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"zhifa/modules/elements"
	"zhifa/modules/identity"
	"zhifa/modules/kernel/errs"
	"zhifa/tenants"
)

// demoFiles are the demo's element databases, loaded through the same bulk import officers use.
// Each file is named ORDER-TENANT-KIND.csv; {{email}} stands for that demo account's identity ID.
//
//go:embed demo/*.csv
var demoFiles embed.FS

var demoPlaceholder = regexp.MustCompile(`\{\{([^}]+)\}\}`)

// seedElements imports the demo element files unless the demo matters are already there.
func (m *modules) seedElements(ctx context.Context, root *tenants.Tenant) error {
	if _, err := m.elements.FindMatterByCode(ctx, seedScope(root), "SC-FS-0001"); err == nil {
		return nil
	} else if !errs.Is(err, errs.NotFound) {
		return err
	}
	entries, err := demoFiles.ReadDir("demo")
	if err != nil {
		return err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	for _, name := range names {
		parts := strings.SplitN(strings.TrimSuffix(name, ".csv"), "-", 3)
		if len(parts) != 3 {
			return fmt.Errorf("demo file %s: want ORDER-TENANT-KIND.csv", name)
		}
		t, err := m.a.Tenants.Store().Lookup(ctx, parts[1])
		if err != nil {
			return fmt.Errorf("demo file %s: tenant %s: %w", name, parts[1], err)
		}
		raw, err := demoFiles.ReadFile(path.Join("demo", name))
		if err != nil {
			return err
		}
		csv := demoPlaceholder.ReplaceAllStringFunc(string(raw), func(s string) string {
			return demoID(demoPlaceholder.FindStringSubmatch(s)[1])
		})
		rep, err := m.elements.Import(ctx, seedScope(t), elements.ImportKind(parts[2]), "text/csv", strings.NewReader(csv))
		if err != nil {
			if rep != nil && len(rep.Errors) > 0 {
				return fmt.Errorf("demo file %s: row %d %s: %s: %w", name, rep.Errors[0].Row, rep.Errors[0].Field, rep.Errors[0].Message.EN, err)
			}
			return fmt.Errorf("demo file %s: %w", name, err)
		}
	}
	return nil
}

// seedBodyGrants grants the demo's body-bound roles.
func (m *modules) seedBodyGrants(ctx context.Context) error {
	for _, g := range demoBodyGrants {
		t, err := m.a.Tenants.Store().Lookup(ctx, g.tenant)
		if err != nil {
			return err
		}
		b, err := m.elements.FindBodyByCode(ctx, seedScope(t), g.body)
		if err != nil {
			return fmt.Errorf("demo body %s: %w", g.body, err)
		}
		for _, r := range g.roles {
			if _, err := m.a.Identity.Grant(ctx, seedScope(t), identity.NewGrant{IdentityID: demoID(g.email), Role: r, BodyID: b.ID}); err != nil {
				return fmt.Errorf("demo grant %s %s: %w", g.email, r, err)
			}
		}
	}
	return nil
}
