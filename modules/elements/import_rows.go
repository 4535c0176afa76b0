package elements

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"zhifa/modules/kernel/authz"
	"zhifa/modules/kernel/civil"
	"zhifa/modules/kernel/dbx"
	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/money"
	"zhifa/modules/kernel/zhnum"
	"zhifa/tenants"
)

// refused reports whether err refuses one row (any platform error but Internal), so that the
// import goes on to check the other rows; anything else aborts the import.
func refused(err error) bool { return err != nil && errs.CodeOf(err) != errs.Internal }

// insert runs one row's insert, counting it when it succeeds and reporting it when it is
// refused; only an unexpected failure is returned.
func (im *importer) insert(rec record, rename map[string]string, insert func() error) error {
	err := insert()
	switch {
	case err == nil:
		im.rep.Imported++
	case refused(err):
		im.fail(rec, err, rename)
	default:
		return err
	}
	return nil
}

func (im *importer) laws(ctx context.Context, recs []record) error {
	names := dup{}
	for _, rec := range recs {
		in := LawInput{Name: rec.get("name"), ShortName: rec.get("short_name"), Level: LawLevel(rec.get("level")),
			Issuer: rec.get("issuer"), PromulgatedOn: importDate(rec.get("promulgated_on")),
			EffectiveFrom: importDate(rec.get("effective_from")), EffectiveTo: importOptDate(rec.get("effective_to"))}
		if err := in.Validate(); err != nil {
			im.fail(rec, err, nil)
			continue
		}
		if names.seen(im, rec, "name", in.Name) {
			continue
		}
		l := in.law(im.sc.TenantID(), im.now)
		if err := im.insert(rec, nil, func() error { return insertLaw(ctx, im.tx, im.sc, l) }); err != nil {
			return err
		}
	}
	return nil
}

// lawNamed returns the law the scope can see whose name (or else short name) is name, nearest
// tenant first. Returns NotFound.
func lawNamed(ctx context.Context, tx bun.IDB, sc tenants.Scope, name string) (*Law, error) {
	var ls []Law
	if err := tenants.Inherited(sc, tx.NewSelect().Model(&ls)).Where("l.name = ? OR l.short_name = ?", name, name).Scan(ctx); err != nil {
		return nil, err
	}
	var exact []Law
	for _, l := range ls {
		if l.Name == name {
			exact = append(exact, l)
		}
	}
	if len(exact) > 0 {
		ls = exact
	}
	if len(ls) == 0 {
		return nil, errs.ErrNotFound
	}
	return nearest(sc, ls, func(l Law) string { return l.TenantID }), nil
}

// lawCache looks laws up by name once per import.
type lawCache map[string]*Law

func (c lawCache) get(ctx context.Context, im *importer, name string) (*Law, error) {
	if l, ok := c[name]; ok {
		if l == nil {
			return nil, errs.ErrNotFound
		}
		return l, nil
	}
	l, err := lawNamed(ctx, im.tx, im.sc, name)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return nil, err
	}
	c[name] = l
	return l, err
}

func (im *importer) articles(ctx context.Context, recs []record) error {
	laws := lawCache{}
	keys := dup{}
	for _, rec := range recs {
		in := ArticleInput{Number: rec.get("number"), Text: rec.get("text"), EffectiveTo: importOptDate(rec.get("effective_to"))}
		if s := rec.get("effective_from"); s != "" {
			in.EffectiveFrom = importDate(s)
		}
		bad := false
		if s := rec.get("seq"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				im.failField(rec, "seq", "须为整数", "must be an integer")
				bad = true
			}
			in.Seq = n
		}
		l, err := laws.get(ctx, im, rec.get("law"))
		switch {
		case refused(err):
			im.failField(rec, "law", "找不到该名称或简称的法律法规："+rec.get("law"), "no law with this name or short name: "+rec.get("law"))
			bad = true
		case err != nil:
			return err
		case ownCatalogue(im.sc, l.TenantID) != nil:
			im.failField(rec, "law", "上级发布的法律法规不能添加条款", "a law published above cannot get articles here")
			bad = true
		}
		if err := in.Validate(); err != nil {
			im.fail(rec, err, nil)
			continue
		}
		if bad {
			continue
		}
		a, err := in.article(l, im.now)
		if err != nil {
			im.fail(rec, err, nil)
			continue
		}
		if keys.seen(im, rec, "number", a.LawID+"|"+a.Number+"|"+string(a.EffectiveFrom)) {
			continue
		}
		if err := im.insert(rec, nil, func() error { return insertRow(ctx, im.tx, a, articleUniques...) }); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) bodies(ctx context.Context, recs []record) error {
	codes := dup{}
	for _, rec := range recs {
		in := BodyInput{Name: rec.get("name"), Code: rec.get("code"), Kind: BodyKind(rec.get("kind")), Sector: Sector(rec.get("sector")),
			Address: rec.get("address"), Phone: rec.get("phone")}
		active, ok := importBool(rec.get("active"), true)
		if !ok {
			im.failField(rec, "active", "须为 true 或 false", "must be true or false")
		}
		in.Active = &active
		if err := in.Validate(); err != nil {
			im.fail(rec, err, nil)
			continue
		}
		if !ok || codes.seen(im, rec, "code", in.Code) {
			continue
		}
		b := in.body(im.sc.TenantID(), im.now)
		if err := im.insert(rec, nil, func() error { return insertRow(ctx, im.tx, b, bodyUniques...) }); err != nil {
			return err
		}
	}
	return nil
}

// bodyCache looks the scope's bodies up by code once per import.
type bodyCache map[string]string

func (c bodyCache) get(ctx context.Context, im *importer, code string) (string, error) {
	code = strings.ToUpper(code)
	if id, ok := c[code]; ok {
		return id, nil
	}
	var ids []string
	if err := tenants.Own(im.sc, im.tx.NewSelect().Model((*Body)(nil))).Column("b.id").
		Where("b.code = ?", code).Where("b.tenant_id = ?", im.sc.TenantID()).Scan(ctx, &ids); err != nil {
		return "", err
	}
	if len(ids) > 0 {
		c[code] = ids[0]
	} else {
		c[code] = ""
	}
	return c[code], nil
}

var articleRefRE = regexp.MustCompile(`^《(.+?)》\s*(\S+)$`)

var matterRename = map[string]string{"article_ids": "articles", "body_ids": "bodies", "provisions": "violated"}

// provisionRE reads a provision reference: 《law》第N条, with 第N款 and 第（N）项 where cited.
var provisionRE = regexp.MustCompile(`^(《.+?》\s*第[^第]+?条(?:之[^第]+)?)(?:第([^第]+?)款)?(?:第[（(]([^）)]+)[）)]项)?$`)

// importedProvision is a provision reference split into its article and subdivisions.
type importedProvision struct {
	ref             string // 《law》第N条
	paragraph, item int
}

// splitProvision splits "《食品安全法》第一百二十四条第一款第（五）项" into the article reference and
// its paragraph and item; false when it does not read as one.
func splitProvision(s string) (importedProvision, bool) {
	m := provisionRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return importedProvision{}, false
	}
	p := importedProvision{ref: m[1]}
	for i, part := range []*int{&p.paragraph, &p.item} {
		if m[i+2] == "" {
			continue
		}
		n, ok := zhnum.Parse(m[i+2])
		if !ok || n == 0 {
			return importedProvision{}, false
		}
		*part = n
	}
	return p, true
}

func (im *importer) matters(ctx context.Context, recs []record) error {
	laws, bodies := lawCache{}, bodyCache{}
	codes := dup{}
	today := civil.DateOf(im.now)
	for _, rec := range recs {
		in := MatterInput{Code: rec.get("code"), Name: rec.get("name"), Kind: MatterKind(rec.get("kind")), Sector: Sector(rec.get("sector"))}
		bad := false
		for _, ref := range splitList(rec.get("articles")) {
			id, zh, en, err := im.articleRef(ctx, laws, ref, today)
			if err != nil {
				return err
			}
			if zh != "" {
				im.failField(rec, "articles", zh, en)
				bad = true
				continue
			}
			in.ArticleIDs = append(in.ArticleIDs, id)
		}
		for _, col := range []struct {
			name string
			role ProvisionRole
		}{{"violated", RoleViolated}, {"penalty_basis", RolePenalty}} {
			for _, ref := range splitList(rec.get(col.name)) {
				p, ok := splitProvision(ref)
				if !ok {
					im.failField(rec, col.name, "条款引用须写作《法律法规名称》第N条第N款第（N）项："+ref, "a provision reads 《law name》第N条第N款第（N）项: "+ref)
					bad = true
					continue
				}
				id, zh, en, err := im.articleRef(ctx, laws, p.ref, today)
				if err != nil {
					return err
				}
				if zh != "" {
					im.failField(rec, col.name, zh, en)
					bad = true
					continue
				}
				in.Provisions = append(in.Provisions, MatterProvision{Role: col.role, Provision: Provision{ArticleID: id, Paragraph: p.paragraph, Item: p.item}})
			}
		}
		for _, code := range splitList(rec.get("bodies")) {
			id, err := bodies.get(ctx, im, code)
			if err != nil {
				return err
			}
			if id == "" {
				im.failField(rec, "bodies", "不是本租户的执法主体："+code, "not a body of this tenant: "+code)
				bad = true
				continue
			}
			in.BodyIDs = append(in.BodyIDs, id)
		}
		if err := in.Validate(); err != nil {
			im.fail(rec, err, matterRename)
			continue
		}
		if bad || codes.seen(im, rec, "code", in.Code) {
			continue
		}
		m := in.matter(im.sc.TenantID(), im.now)
		if err := im.insert(rec, matterRename, func() error { return insertMatter(ctx, im.tx, im.sc, m) }); err != nil {
			return err
		}
	}
	return nil
}

// articleRef resolves 《law》第N条 to the article of that number in force today (else the latest
// one). A reference that does not resolve returns the reason.
func (im *importer) articleRef(ctx context.Context, laws lawCache, ref string, today civil.Date) (id, zh, en string, err error) {
	m := articleRefRE.FindStringSubmatch(ref)
	if m == nil {
		return "", "条款引用须写作《法律法规名称》第N条：" + ref, "an article reference reads 《law name》第N条: " + ref, nil
	}
	l, err := laws.get(ctx, im, m[1])
	if refused(err) {
		return "", "找不到法律法规《" + m[1] + "》", "no law named 《" + m[1] + "》", nil
	}
	if err != nil {
		return "", "", "", err
	}
	var as []Article
	if err := tenants.Inherited(im.sc, im.tx.NewSelect().Model(&as)).Where("a.law_id = ? AND a.number = ?", l.ID, m[2]).
		OrderExpr("a.effective_from DESC").Scan(ctx); err != nil {
		return "", "", "", err
	}
	if len(as) == 0 {
		return "", "《" + m[1] + "》没有" + m[2], "《" + m[1] + "》 has no article " + m[2], nil
	}
	for _, a := range as {
		if a.InForceOn(today) {
			return a.ID, "", "", nil
		}
	}
	return as[0].ID, "", "", nil
}

var officerRename = map[string]string{"body_id": "body", "certificate.number": "cert_number", "certificate.issued_on": "cert_issued_on",
	"certificate.expires_on": "cert_expires_on", "certificate.status": "cert_status", "certificate.sectors": "cert_sectors"}

func (im *importer) officers(ctx context.Context, recs []record) error {
	bodies := bodyCache{}
	ids, certs, accounts := dup{}, dup{}, dup{}
	for _, rec := range recs {
		in := OfficerInput{Name: rec.get("name"), IDNumber: rec.get("id_number"), Phone: rec.get("phone"), IdentityID: rec.get("identity_id")}
		bad := false
		bodyID, err := bodies.get(ctx, im, rec.get("body"))
		switch {
		case err != nil:
			return err
		case bodyID == "":
			im.failField(rec, "body", "不是本租户的执法主体："+rec.get("body"), "not a body of this tenant: "+rec.get("body"))
			bad = true
			in.BodyID = dbx.NewID() // a well-formed placeholder, so that Validate reports only the other fields
		case !im.sc.CanFor(authz.OfficersWrite, bodyID):
			im.failField(rec, "body", "无权管理该执法主体的人员", "you may not manage the officers of this body")
			bad = true
			in.BodyID = bodyID
		default:
			in.BodyID = bodyID
		}
		certCols := []string{"cert_number", "cert_issued_on", "cert_expires_on", "cert_status", "cert_sectors"}
		anyCert := false
		for _, c := range certCols {
			anyCert = anyCert || rec.get(c) != ""
		}
		if anyCert {
			in.Certificate = &CertificateInput{Number: rec.get("cert_number"), IssuedOn: importDate(rec.get("cert_issued_on")),
				ExpiresOn: importDate(rec.get("cert_expires_on")), Status: CertStatus(rec.get("cert_status"))}
			for _, s := range splitList(rec.get("cert_sectors")) {
				in.Certificate.Sectors = append(in.Certificate.Sectors, Sector(s))
			}
		}
		if err := in.Validate(); err != nil {
			im.fail(rec, err, officerRename)
			continue
		}
		if bad {
			continue
		}
		d1 := ids.seen(im, rec, "id_number", in.IDNumber)
		d2 := in.Certificate != nil && certs.seen(im, rec, "cert_number", in.Certificate.Number)
		d3 := accounts.seen(im, rec, "identity_id", in.IdentityID)
		if d1 || d2 || d3 {
			continue
		}
		o := in.newOfficer(im.sc.TenantID(), im.now)
		if err := im.insert(rec, officerRename, func() error { return insertOfficer(ctx, im.tx, im.sc, o) }); err != nil {
			return err
		}
	}
	return nil
}

// benchmarkGroup is the rows of one benchmark version in an import.
type benchmarkGroup struct {
	matter *Matter
	title  string
	rows   []record
	items  []BenchmarkItem
	from   civil.Date
	bad    bool
}

var benchmarkRename = map[string]string{"min_fine_fen": "min_fine", "max_fine_fen": "max_fine", "matter_id": "matter"}

var itemIndexRE = regexp.MustCompile(`^items\[(\d+)\]\.`)

func (im *importer) benchmarks(ctx context.Context, recs []record) error {
	matters := map[string]*Matter{}
	var groups []*benchmarkGroup
	byKey := map[string]*benchmarkGroup{}
	for _, rec := range recs {
		code := rec.get("matter")
		m, ok := matters[code]
		if !ok {
			var err error
			m, err = findMatter(ctx, im.tx, im.sc, "m.code = ?", code)
			if err != nil && !refused(err) {
				return err
			}
			matters[code] = m
		}
		title := strings.TrimSpace(rec.get("title"))
		g := byKey[code+"\x00"+title]
		if g == nil {
			g = &benchmarkGroup{matter: m, title: title, from: importDate(rec.get("effective_from"))}
			byKey[code+"\x00"+title] = g
			groups = append(groups, g)
		}
		g.rows = append(g.rows, rec)
		if m == nil {
			im.failField(rec, "matter", "找不到该编码的执法事项："+code, "no matter with this code: "+code)
			g.bad = true
		}
		if d := importDate(rec.get("effective_from")); d != g.from {
			im.failField(rec, "effective_from", "同一裁量基准各行的生效日期须相同", "all rows of one benchmark need the same effective_from")
			g.bad = true
		}
		it := BenchmarkItem{Circumstance: rec.get("circumstance"), Description: rec.get("description"), OtherPenalties: rec.get("other_penalties")}
		minFine, okMin := money.ParseYuan(rec.get("min_fine"))
		if !okMin {
			im.failField(rec, "min_fine", "须为金额（元，最多两位小数）", "must be an amount in yuan with at most two decimals")
		}
		maxFine, okMax := money.ParseYuan(rec.get("max_fine"))
		if !okMax {
			im.failField(rec, "max_fine", "须为金额（元，最多两位小数）", "must be an amount in yuan with at most two decimals")
		}
		it.MinFine, it.MaxFine = int64(minFine), int64(maxFine)
		g.bad = g.bad || !okMin || !okMax
		g.items = append(g.items, it)
	}
	for _, g := range groups {
		first := g.rows[0]
		var in BenchmarkInput
		if g.matter != nil {
			in = BenchmarkInput{MatterID: g.matter.ID, Title: g.title}
		} else {
			in = BenchmarkInput{MatterID: dbx.NewID(), Title: g.title}
		}
		if err := in.Validate(); err != nil {
			im.fail(first, err, benchmarkRename)
			g.bad = true
		}
		v := VersionInput{EffectiveFrom: g.from, Items: g.items}
		if err := v.Validate(); err != nil {
			for _, f := range errs.As(err).Fields {
				rec := first
				if m := itemIndexRE.FindStringSubmatch(f.Field); m != nil {
					i, _ := strconv.Atoi(m[1])
					rec = g.rows[i]
				}
				im.fail(rec, errs.E(errs.Invalid, f.Message.ZH, f.Message.EN).WithFields(f), benchmarkRename)
			}
			g.bad = true
		}
		if g.bad {
			continue
		}
		err := im.publishGroup(ctx, g, in, v)
		switch {
		case err == nil:
			im.rep.Imported += len(g.rows)
		case refused(err):
			im.fail(first, err, benchmarkRename)
		default:
			return err
		}
	}
	return nil
}

// publishGroup publishes the next version of the scope's own benchmark for the group's matter and
// title, creating the benchmark first when there is none.
func (im *importer) publishGroup(ctx context.Context, g *benchmarkGroup, in BenchmarkInput, v VersionInput) error {
	var bs []Benchmark
	if err := tenants.Own(im.sc, im.tx.NewSelect().Model(&bs)).Where("bm.tenant_id = ?", im.sc.TenantID()).
		Where("bm.matter_id = ? AND bm.title = ?", in.MatterID, in.Title).Scan(ctx); err != nil {
		return err
	}
	var b *Benchmark
	if len(bs) > 0 {
		b = &bs[0]
	} else {
		b = in.benchmark(im.sc.TenantID(), im.now)
		if err := insertBenchmark(ctx, im.tx, im.sc, b); err != nil {
			return err
		}
	}
	_, err := publish(ctx, im.tx, im.sc, b, v, im.now)
	return err
}
