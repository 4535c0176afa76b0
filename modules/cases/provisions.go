package cases

import (
	"zhifa/modules/elements"
	"zhifa/modules/kernel/errs"
)

// The provisions a penalty cites (违法依据 and 处罚依据) are chosen from the law database, each an
// article down to its paragraph and item. A proposal that names none takes its case's matter's
// defaults, a decision the notified penalty's; they are resolved as in force on the step's day
// and kept with their wording, so a later edit of the database does not change a decided case.

// cite resolves the provisions of p: the ones the request chose, else those of prior (the
// penalty the party was notified of, for a decision), else the matter's defaults. The penalty
// basis (Basis) becomes the citation of its provisions when there are any; a basis written out
// with no provision chosen (one outside the law database) stands as written. Returns Invalid
// naming the field when a provision is not in the database or not in force, or when the penalty
// has no basis at all.
func (a *act) cite(field string, p, prior *Penalty) error {
	if prior != nil && len(p.Violated) == 0 {
		p.Violated = prior.Violated
	}
	if prior != nil && p.Basis == "" && len(p.Provisions) == 0 {
		p.Provisions, p.Basis = prior.Provisions, prior.Basis
	}
	written := p.Basis != "" && len(p.Provisions) == 0
	var err error
	if p.Violated, err = a.provisions(field+".violated", p.Violated, elements.RoleViolated); err != nil {
		return err
	}
	if !written {
		if p.Provisions, err = a.provisions(field+".provisions", p.Provisions, elements.RolePenalty); err != nil {
			return err
		}
		p.Basis = elements.CiteProvisions(p.Provisions)
	}
	if p.Basis == "" {
		return errs.E(errs.Invalid, "须从法律法规库选择处罚依据", "choose the provisions the penalty rests on from the law database").
			WithFields(errs.Field(field+".provisions", "必填", "required"))
	}
	return nil
}

// provisions resolves chosen provisions, or the case's matter's in role when none is chosen.
func (a *act) provisions(field string, chosen []elements.Provision, role elements.ProvisionRole) ([]elements.Provision, error) {
	if len(chosen) > 0 {
		return elements.ResolveProvisions(a.ctx, a.tx, a.sc, field, chosen, a.on)
	}
	if a.c.MatterID == nil {
		return nil, nil
	}
	return elements.MatterProvisions(a.ctx, a.tx, a.sc, *a.c.MatterID, role, a.on)
}
