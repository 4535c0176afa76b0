// Package authz holds the platform's roles, actions and the one table that says which role may
// take which action, and the one rule of how far each role reaches at a tenant (Reach: which
// bodies a role acts for, who administers a body or the tenant). Every handler asks Allowed
// (through the HTTP middleware) and, for a body's records, the scope's CanFor, ActsFor or
// Administers, which ask Reach; nothing else decides authorisation. Who may give which role is the
// grant table's (Reach.MayGrant).
package authz

import "slices"

// Role is what a principal may do at a tenant.
type Role string

// The roles. Officer-side roles apply at the tenant (and body) they were granted in; the subtree
// roles (tenant operator, supervisor, procurator) apply at the granted tenant and everything under it.
const (
	Officer        Role = "officer"         // 执法人员
	LegalReviewer  Role = "legal_reviewer"  // 法制审核人员
	BodyHead       Role = "body_head"       // 执法主体负责人
	BodyAdmin      Role = "body_admin"      // 执法主体管理员
	Supervisor     Role = "supervisor"      // 执法监督
	Procurator     Role = "procurator"      // 检察监督
	TenantOperator Role = "tenant_operator" // 平台运维（本级及下级）
	Citizen        Role = "citizen"         // 当事人
)

// Roles lists every role, for validation and documentation.
var Roles = []Role{Officer, LegalReviewer, BodyHead, BodyAdmin, Supervisor, Procurator, TenantOperator, Citizen}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Subtree reports whether a grant of r at a tenant also applies to the tenants below it.
func (r Role) Subtree() bool { return r == TenantOperator || r == Supervisor || r == Procurator }

// Action is one thing a principal may ask the platform to do.
type Action string

// The actions.
const (
	TenantsRead     Action = "tenants.read"
	TenantsWrite    Action = "tenants.write"
	SettingsRead    Action = "settings.read"
	SettingsWrite   Action = "settings.write"
	GrantsWrite     Action = "grants.write"
	ElementsRead    Action = "elements.read"
	ElementsWrite   Action = "elements.write"
	OfficersWrite   Action = "officers.write"
	SelfRead        Action = "self.read"
	SupervisionRead Action = "supervision.read"
	CasesRead       Action = "cases.read"    // read cases, their record, deadlines and evidence
	CasesWrite      Action = "cases.write"   // open cases and take the steps of handling them
	CasesReview     Action = "cases.review"  // legal review (法制审核)
	CasesApprove    Action = "cases.approve" // the body head's approvals: filing, decisions, extensions
)

// The actions of electronic delivery (送达).
const (
	DeliveryRead  Action = "delivery.read"  // read a case's deliveries and the party's e-delivery consent
	DeliveryWrite Action = "delivery.write" // record consent, deliver documents, record paper and public-notice delivery
	InboxRead     Action = "inbox.read"     // a citizen reads the documents served in their portal inbox
)

// The actions of enforcement documents (执法文书).
const (
	DocumentsRead  Action = "documents.read"  // read document types, templates and issued documents
	DocumentsIssue Action = "documents.issue" // issue a case's document (numbered, sealed and signed)
	TemplatesWrite Action = "templates.write" // copy, edit, preview and publish document templates
)

// The actions of fines paid online (缴纳罚款) and the citizen portal (当事人门户).
const (
	PaymentsRead   Action = "payments.read"   // read a case's payments, receipts, refunds and reconciliation warnings
	PaymentsRefund Action = "payments.refund" // refund a payment (decision revoked or the fine reduced)
	PaymentsSettle Action = "payments.settle" // the platform settles a payment: marks it paid, issues and delivers the receipt
	PartyAct       Action = "party.act"       // the proven party acts on its own case through the portal
)

// Platform is the platform itself acting inside a tenant (payment webhooks and their tasks). It is
// never granted to a person and is not in Roles, so no grant can name it; only the code that
// processes a verified event builds a scope with it.
const Platform Role = "platform"

var staff = []Role{Officer, LegalReviewer, BodyHead, BodyAdmin, Supervisor, Procurator, TenantOperator}

// table is the role x action matrix: the only place that grants permissions.
var table = map[Action][]Role{
	TenantsRead:     staff,
	TenantsWrite:    {TenantOperator},
	SettingsRead:    staff,
	SettingsWrite:   {TenantOperator, BodyAdmin},
	GrantsWrite:     {TenantOperator, BodyAdmin},
	ElementsRead:    staff,
	ElementsWrite:   {TenantOperator, BodyAdmin},
	OfficersWrite:   {TenantOperator, BodyAdmin},
	SelfRead:        Roles,
	SupervisionRead: {Supervisor, Procurator, TenantOperator},
	CasesRead:       staff,
	CasesWrite:      {Officer, BodyHead},
	CasesReview:     {LegalReviewer},
	CasesApprove:    {BodyHead},
	DeliveryRead:    staff,
	DeliveryWrite:   {Officer, BodyHead},
	InboxRead:       {Citizen},
	DocumentsRead:   append(slices.Clone(staff), Platform),
	DocumentsIssue:  {Officer, BodyHead, LegalReviewer, Platform},
	TemplatesWrite:  {TenantOperator, BodyAdmin},
	PaymentsRead:    staff,
	PaymentsRefund:  {BodyHead},
	PaymentsSettle:  {Platform},
	PartyAct:        {Citizen},
}

// Allowed reports whether any of roles may take action a. Unknown actions are refused.
func Allowed(roles []Role, a Action) bool {
	for _, r := range table[a] {
		if slices.Contains(roles, r) {
			return true
		}
	}
	return false
}

// Matrix returns a copy of the role x action table, for documentation pages and tests.
func Matrix() map[Action][]Role {
	m := make(map[Action][]Role, len(table))
	for a, rs := range table {
		m[a] = slices.Clone(rs)
	}
	return m
}

// Grant gives a role at a tenant, optionally limited to one enforcement body.
type Grant struct {
	Role     Role   `json:"role"`
	TenantID string `json:"tenant_id"`
	BodyID   string `json:"body_id,omitempty"`
}

// Principal is who is calling: an authenticated identity with its grants.
type Principal struct {
	IdentityID string  `json:"identity_id"`
	Name       string  `json:"name"`
	Kind       string  `json:"kind"` // "officer", "citizen" or "operator"
	HomeTenant string  `json:"home_tenant"`
	Grants     []Grant `json:"grants"`
	Dev        bool    `json:"dev"` // authenticated by the embedded default's dev login
	// SecondFactor: the session was completed with a second factor (Kratos AAL2, TOTP).
	SecondFactor bool `json:"second_factor"`
}

// RolesAt returns the roles p holds at the tenant tenantID (ancestors root first): grants made at
// that tenant, plus subtree roles granted at any of its ancestors.
func (p *Principal) RolesAt(tenantID string, ancestors []string) []Role {
	return p.ReachAt(tenantID, ancestors).Roles()
}
