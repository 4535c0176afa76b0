package console

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"zhifa/modules/elements"
)

// ImportKind is a kind of element the import page offers, with the CSV columns that
// POST /api/v1/import/{kind} reads (taken from the elements module, so they cannot drift).
type ImportKind struct {
	Kind     string
	TitleZH  string
	TitleEN  string
	Required []string
	Optional []string
	HintZH   string
	HintEN   string
}

// Columns returns the header row of the kind's CSV template: required columns first.
func (k ImportKind) Columns() []string { return append(slices.Clone(k.Required), k.Optional...) }

// importTitles names each kind of import and explains its reference columns.
var importTitles = map[elements.ImportKind][4]string{
	elements.ImportLaws: {"法律法规", "laws",
		"效力层级 level：law、administrative_regulation、local_regulation、autonomous_regulation、departmental_rule、local_rule、normative_document；日期为 YYYY-MM-DD。",
		"level is one of law, administrative_regulation, local_regulation, autonomous_regulation, departmental_rule, local_rule, normative_document; dates are YYYY-MM-DD."},
	elements.ImportArticles: {"法律条款", "articles",
		"law 列填写本租户已有法律法规的名称或简称；number 如“第五十一条”。",
		"law names a law of this tenant by its name or short name; number is e.g. 第五十一条."},
	elements.ImportBodies: {"执法主体", "enforcement bodies",
		"code 为18位统一社会信用代码；kind：administrative_organ、authorised_organisation、entrusted_organisation。",
		"code is the 18-character unified social credit code; kind is administrative_organ, authorised_organisation or entrusted_organisation."},
	elements.ImportMatters: {"执法事项", "enforcement matters",
		"kind：penalty、inspection、coercion、other；articles 如“《法律简称》第N条”，bodies 为主体统一社会信用代码，多个用分号分隔。",
		"kind is penalty, inspection, coercion or other; articles like 《law》第N条 and bodies as credit codes, several separated by \";\"."},
	elements.ImportOfficers: {"执法人员", "enforcement officers",
		"body 为所属主体的统一社会信用代码；id_number 为18位公民身份号码；cert_sectors 多个用分号分隔。",
		"body is the credit code of the officer's body; id_number is the 18-character resident ID; cert_sectors separated by \";\"."},
	elements.ImportBenchmarks: {"裁量基准", "discretion benchmarks",
		"matter 为执法事项编码；同一事项、同一标题的各行组成一个新版本；罚款以元为单位。",
		"matter is a matter code; rows with the same matter and title form one new version; fines in yuan."},
}

// ImportKinds lists what the import page offers, in the order a new tenant loads them: laws
// before their articles, bodies before their officers and matters.
var ImportKinds = func() []ImportKind {
	var out []ImportKind
	for _, k := range elements.ImportKinds {
		cols := elements.ImportColumns[k]
		t := importTitles[k]
		if t[0] == "" {
			t = [4]string{string(k), string(k), "", ""}
		}
		out = append(out, ImportKind{Kind: string(k), TitleZH: t[0], TitleEN: t[1], HintZH: t[2], HintEN: t[3],
			Required: slices.Clone(cols.Required), Optional: slices.Clone(cols.Optional)})
	}
	return out
}()

// csvTemplate answers the header row of a kind's import CSV, as a download.
func (c *Console) csvTemplate(ec echo.Context) error {
	kind, ok := strings.CutSuffix(ec.Param("file"), ".csv")
	if ok {
		for _, k := range ImportKinds {
			if k.Kind == kind {
				h := ec.Response().Header()
				h.Set(echo.HeaderContentDisposition, `attachment; filename="zhifa-`+k.Kind+`-template.csv"`)
				return ec.Blob(http.StatusOK, "text/csv; charset=utf-8", []byte(strings.Join(k.Columns(), ",")+"\r\n"))
			}
		}
	}
	return echo.ErrNotFound
}
