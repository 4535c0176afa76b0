package testkit

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"zhifa/app/dbtest"
	"zhifa/modules/elements"
	"zhifa/tenants"
)

// Tree is the tenant tree most tests start from: a province and two tenants, A and B, directly
// below it (siblings, so that neither sees the other's data).
type Tree struct {
	Prov, A, B *tenants.Tenant
}

// NewTree creates a fresh Tree on db, with codes no other tree of the database uses.
func NewTree(t testing.TB, db *bun.DB) Tree {
	t.Helper()
	prov := dbtest.NewTenant(t, db, nil)
	return Tree{Prov: prov, A: dbtest.NewTenant(t, db, prov), B: dbtest.NewTenant(t, db, prov)}
}

// serial numbers the codes the builders give, so that two bodies or officers of one test never
// share one.
var serial atomic.Int64

// Body creates an enforcement body (an administrative organ of market regulation) named name at
// sc's tenant, with a fresh valid code.
func Body(t testing.TB, db *bun.DB, sc tenants.Scope, name string) *elements.Body {
	t.Helper()
	code := USCC(int(serial.Add(1)%1000) + 1000*rand.IntN(900000))
	b, err := elements.New(elements.Config{DB: db}).CreateBody(context.Background(), sc, elements.BodyInput{Name: name, Code: code,
		Kind: elements.BodyAdministrativeOrgan, Sector: elements.SectorMarketRegulation})
	NoErr(t, err)
	return b
}

// Officer creates a law-enforcement officer of body at sc's tenant with a fresh identity number
// and a certificate valid from 2024-01-01 to 2028-12-31; identity links the officer to a sign-in
// account ("" for none).
func Officer(t testing.TB, db *bun.DB, sc tenants.Scope, body *elements.Body, identity string) *elements.Officer {
	t.Helper()
	n := int(serial.Add(1) % 1000)
	o, err := elements.New(elements.Config{DB: db}).CreateOfficer(context.Background(), sc, elements.OfficerInput{BodyID: body.ID,
		Name: fmt.Sprintf("执法人员%d", n), IDNumber: ResidentID(n), IdentityID: identity,
		Certificate: &elements.CertificateInput{Number: fmt.Sprintf("闽A%08d", rand.IntN(1e8)), IssuedOn: "2024-01-01", ExpiresOn: "2028-12-31"}})
	NoErr(t, err)
	return o
}
