package documents

import (
	"encoding/json"
	"slices"
	"strings"

	"zhifa/modules/documents/internal/sandbox"
	"zhifa/modules/kernel/errs"
)

// FieldKind is the JSON type of a data field a template may use.
type FieldKind string

// The kinds of fields.
const (
	KindText   FieldKind = "text"
	KindNumber FieldKind = "number"
	KindBool   FieldKind = "bool"
	KindObject FieldKind = "object"
	KindList   FieldKind = "list" // a list of objects (Fields) or, with no Fields, of texts
)

// Field is one entry of a document type's data: what a template may write as {{.party.name}}.
// The fields of every type are the contract between the case engine (CaseSource) and the
// templates: a template may refer to declared fields only, and the data is completed with empty
// values for the declared fields a case does not have.
type Field struct {
	Name   string    `json:"name"`
	Kind   FieldKind `json:"kind"`
	Title  errs.Msg  `json:"title"`
	Fields []Field   `json:"fields,omitempty"`
}

func text(name, zh, en string) Field {
	return Field{Name: name, Kind: KindText, Title: errs.Msg{ZH: zh, EN: en}}
}
func num(name, zh, en string) Field {
	return Field{Name: name, Kind: KindNumber, Title: errs.Msg{ZH: zh, EN: en}}
}
func flag(name, zh, en string) Field {
	return Field{Name: name, Kind: KindBool, Title: errs.Msg{ZH: zh, EN: en}}
}
func obj(name, zh, en string, fs ...Field) Field {
	return Field{Name: name, Kind: KindObject, Title: errs.Msg{ZH: zh, EN: en}, Fields: fs}
}
func list(name, zh, en string, fs ...Field) Field {
	return Field{Name: name, Kind: KindList, Title: errs.Msg{ZH: zh, EN: en}, Fields: fs}
}

// lookup returns the field at a dotted path ("party.name"; "evidence[].name" for a list item's
// member; "evidence[]" for the item itself).
func lookup(fields []Field, path string) (Field, bool) {
	cur := Field{Kind: KindObject, Fields: fields}
	if path == "" {
		return cur, true
	}
	for _, part := range strings.Split(path, ".") {
		item := strings.HasSuffix(part, "[]")
		part = strings.TrimSuffix(part, "[]")
		if cur.Kind != KindObject && cur.Kind != KindList {
			return Field{}, false
		}
		found := false
		for _, f := range cur.Fields {
			if f.Name == part {
				cur, found = f, true
				break
			}
		}
		if !found {
			return Field{}, false
		}
		if item {
			if cur.Kind != KindList {
				return Field{}, false
			}
			if len(cur.Fields) == 0 {
				cur = Field{Name: part + "[]", Kind: KindText, Title: cur.Title}
			} else {
				cur = Field{Name: part + "[]", Kind: KindObject, Title: cur.Title, Fields: cur.Fields}
			}
		}
	}
	return cur, true
}

// The fields every document has. doc and body are filled in by the documents module when it
// issues; case comes from the case row; the rest from the case engine.
var (
	fDoc = obj("doc", "文书", "document",
		text("id", "文书ID", "document ID"),
		text("type_name", "文书名称", "document name"),
		text("number", "文号（无文号的文书为空）", "document number (empty for documents without one)"),
		text("date", "成文日期 YYYY-MM-DD", "date, YYYY-MM-DD"),
		text("date_cn", "成文日期（如 2026年1月5日）", "date in Chinese (2026年1月5日)"),
		text("verify_url", "核验地址", "verification address"),
	)
	fBody = obj("body", "执法主体", "enforcement body",
		text("name", "名称", "name"),
		text("code", "统一社会信用代码", "unified social credit code"),
		text("address", "地址", "address"),
		text("phone", "联系电话", "phone"),
		text("contact", "联系人", "contact person"),
	)
	fCase = obj("case", "案件", "case",
		text("code", "案件编码", "case code"),
		text("title", "案由", "cause of the case"),
		text("filed_on", "立案日期", "filed on"),
		text("source", "案件来源", "case source"),
	)
	fParty = obj("party", "当事人", "party",
		text("kind", "类别（person 公民 / organisation 单位）", "kind (person / organisation)"),
		text("name", "姓名或者名称", "name"),
		text("id_number", "公民身份号码", "resident identity number"),
		text("uscc", "统一社会信用代码", "unified social credit code"),
		text("legal_rep", "法定代表人（负责人）", "legal representative"),
		text("address", "住所（地址）", "address"),
		text("phone", "联系电话", "phone"),
	)
	fOfficers = list("officers", "执法人员", "officers",
		text("name", "姓名", "name"),
		text("certificate", "执法证号", "certificate number"),
	)
	fFacts    = text("facts", "违法事实", "facts of the violation")
	fViolated = text("violated", "违反的规定（违法依据，如《中华人民共和国食品安全法》第三十四条第（十）项）", "provisions violated")
	fEvidence = list("evidence", "证据", "evidence",
		text("name", "证据名称", "name"),
		text("kind", "证据种类（书证、物证、勘验笔录、现场笔录等）", "kind of evidence (Art. 46)"),
		text("date", "取得日期", "obtained on"),
		text("detail", "证明内容", "what it proves"),
	)
	fPenalty = obj("penalty", "行政处罚", "penalty",
		text("text", "处罚的种类和内容（如：罚款人民币伍仟元整）", "type and content of the penalty"),
		list("kinds", "处罚种类", "penalty types"),
		num("fine_fen", "罚款金额（分）", "fine in fen"),
		text("fine_text", "罚款金额（大写）", "fine in words"),
		text("basis", "处罚依据（如《中华人民共和国食品安全法》第一百二十四条第一款第（五）项）", "legal basis of the penalty"),
		text("discretion", "适用的裁量基准（情节及罚款幅度；未适用基准时为空）", "the discretion benchmark applied (empty when none)"),
	)
	fPayment = obj("payment", "罚款缴纳", "payment",
		text("how", "履行方式（不含期限）", "how to pay (without the period)"),
		text("deadline", "履行期限（如：自收到本决定书之日起十五日内）", "by when"),
		num("within_days", "缴纳期限（日）", "days to pay"),
		text("bank", "收款银行", "bank"),
		text("account", "收款账号", "account"),
	)
	fRemedies = obj("remedies", "救济途径", "remedies",
		num("reconsideration_days", "申请行政复议期限（日）", "days to apply for reconsideration"),
		text("reconsideration_to", "行政复议机关", "reconsideration authority"),
		num("litigation_months", "提起行政诉讼期限（月）", "months to sue"),
		text("court", "人民法院", "court"),
	)
	fStatementOpinion = text("statement_opinion", "当事人陈述申辩意见及采纳情况（各项意见、是否采纳及理由；或书面放弃；或期限内未提出）",
		"the party's statements and whether each was adopted, or its written waiver, or that it made none in time")
	fStatements = list("statements", "陈述、申辩", "statements and defence",
		text("summary", "内容", "summary"),
		text("adopted", "采纳情况", "whether adopted"),
	)
	fItems = list("items", "物品清单", "list of items",
		text("name", "名称", "name"),
		text("spec", "规格", "specification"),
		text("quantity", "数量", "quantity"),
		text("note", "备注", "note"),
	)
)

// common returns the fields every type has, followed by the type's own.
func common(own ...Field) []Field {
	return append([]Field{fDoc, fBody, fCase, fParty, fOfficers}, own...)
}

// Check compares data a caller fills for the type (the case engine's, before the documents
// module adds the issuing facts) with the type's declaration: undeclared lists the paths the
// data holds that the type does not declare ("party.nickname", "evidence[].foo"), missing the
// required items with a value that the data leaves empty, except those the documents module
// fills itself when it issues (doc, body, case.code). Both sorted. The data is read as JSON, as
// a document stores it.
func (ti *TypeInfo) Check(data map[string]any) (undeclared, missing []string) {
	raw, _ := json.Marshal(data)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			path := prefix + k
			f, ok := lookup(ti.Fields, path)
			if !ok {
				undeclared = append(undeclared, path)
				continue
			}
			switch x := v.(type) {
			case map[string]any:
				if f.Kind == KindObject {
					walk(path+".", x)
				}
			case []any:
				if f.Kind == KindList && len(f.Fields) > 0 {
					for _, it := range x {
						if im, ok := it.(map[string]any); ok {
							walk(path+"[].", im)
						}
					}
				}
			}
		}
	}
	walk("", m)
	for _, r := range ti.Required {
		issued := strings.HasPrefix(r.Ref, "doc.") || strings.HasPrefix(r.Ref, "body.") || r.Ref == "case.code"
		if r.Value && r.Ref != refSeal && !issued && sandbox.Empty(valueAt(m, r.Ref)) {
			missing = append(missing, r.Ref)
		}
	}
	slices.Sort(undeclared)
	slices.Sort(missing)
	return undeclared, missing
}
