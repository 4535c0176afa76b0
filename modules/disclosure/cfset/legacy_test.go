package cfset_test

import (
	"bytes"
	"reflect"
	"testing"

	"zhifa/modules/disclosure/cfset"
	"zhifa/modules/kernel/errs"
)

// A file of the 2016 set imports into the current set.
func TestLegacyFileImports(t *testing.T) {
	t.Parallel()
	data := "CF_WSH,CF_CFMC,CF_CFLB1,CF_CFLB2,CF_SY,CF_YJ,CF_XDR_MC,CF_XDR_SHXYM,CF_XDR_ZDM,CF_XDR_SFZ,CF_FR,CF_JG,CF_JDRQ,CF_XZJG,CF_ZT,DFBM,SJC,BZ\n" +
		"尤市监罚〔2016〕1号,销售过期食品,2,3,销售过期食品,《食品安全法》第一百二十四条,某某食品有限公司," + orgUSCC + ",M0001001Y,,张三,罚款2000元，没收违法所得,2016/5/4,尤溪县食品药品监督管理局,0,350426,20160504120000,\n" +
		"尤市监罚〔2016〕2号,无证经营,警告,,无证经营,《食品安全法》第一百二十二条,王小明,,,350426198803152318,,警告,2016年5月6日,尤溪县食品药品监督管理局,1,350426,20160506120000,已撤销\n"
	opt := cfset.DecodeOptions{Defaults: cfset.Record{AgencyUSCC: agencyUSCC, Source: "尤溪县市场监督管理局", SourceUSCC: sourceUSCC}}
	f, report, err := cfset.DecodeCSV([]byte(data), opt)
	if err != nil {
		t.Fatalf("%v %+v", err, report)
	}
	if f.Set != cfset.Legacy2016 || len(f.Rows) != 2 {
		t.Fatalf("set %s, %d rows", f.Set, len(f.Rows))
	}
	a, b := f.Rows[0], f.Rows[1]
	want := cfset.Record{PartyName: "某某食品有限公司", PartyKind: cfset.Organisation, PartyUSCC: orgUSCC, PartyOrgCode: "M0001001Y",
		LegalRep: "张三", DecisionNumber: "尤市监罚〔2016〕1号", ViolationType: "销售过期食品", Facts: "销售过期食品",
		Basis: "《食品安全法》第一百二十四条", Categories: []cfset.Category{cfset.Fine, cfset.ConfiscateGains}, // 1996 code 3, by the content
		Content: "罚款2000元，没收违法所得", DecidedOn: "2016-05-04", Agency: "尤溪县食品药品监督管理局",
		AgencyUSCC: agencyUSCC, Source: "尤溪县市场监督管理局", SourceUSCC: sourceUSCC}
	if !reflect.DeepEqual(a.Record, want) {
		t.Errorf("row 1\n got %+v\nwant %+v", a.Record, want)
	}
	if a.Status != cfset.StatusNormal || b.Status != cfset.StatusRevoked {
		t.Errorf("statuses %v %v", a.Status, b.Status)
	}
	if r := b.Record; r.PartyKind != cfset.NaturalPerson || r.PartyIDType != "身份证" || r.PartyIDNumber != "350426198803152318" ||
		r.DecidedOn != "2016-05-06" || r.Remarks != "已撤销" || !reflect.DeepEqual(r.Categories, []cfset.Category{cfset.Warning}) {
		t.Errorf("row 2 %+v", r)
	}
	// The old set has no validity and no amounts: the current set (and so every encoder) refuses
	// the record until they are filled, naming them.
	if err := a.Record.Validate(); !reflect.DeepEqual(fieldsOf(err), []string{"CF_YXQ", "CF_NR_FK", "CF_NR_WFFF"}) {
		t.Errorf("validate %v", fieldsOf(err))
	}
	// Completed, it exports in the current set and reads back as it.
	done := a.Record
	done.ValidUntil, done.Fine, done.Confiscated = "2016-05-11", 200_000, 5_000
	var out bytes.Buffer
	if err := cfset.EncodeCSV(&out, []cfset.Record{done}, cfset.EncodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if again, _, err := cfset.DecodeCSV(out.Bytes(), cfset.DecodeOptions{}); err != nil || again.Set != cfset.Current || !reflect.DeepEqual(again.Records(), []cfset.Record{done}) {
		t.Errorf("re-export: %v %+v", err, again)
	}
	// CF_ZT codes are a parameter.
	_, report, err = cfset.DecodeCSV([]byte(data), cfset.DecodeOptions{Defaults: opt.Defaults, StatusCodes: map[string]cfset.Status{"A": cfset.StatusNormal}})
	if !errs.Is(err, errs.Invalid) || len(report) != 2 || report[0].Field != "CF_ZT" {
		t.Errorf("unknown status codes: %+v", report)
	}
}

func TestHeaviest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cs   []cfset.Category
		want cfset.Category
	}{
		{[]cfset.Category{cfset.Warning, cfset.Fine}, cfset.Fine},
		{[]cfset.Category{cfset.RevokeLicence, cfset.Fine, cfset.ConfiscateGains}, cfset.RevokeLicence},
		{[]cfset.Category{cfset.OrderClosure, cfset.RestrictEmployment}, cfset.OrderClosure}, // one step: the first
		{[]cfset.Category{cfset.OtherPenalty, cfset.Warning}, cfset.Warning},
		{nil, ""},
	} {
		if got := cfset.Heaviest(tc.cs); got != tc.want {
			t.Errorf("Heaviest(%v) = %s, want %s", tc.cs, got, tc.want)
		}
	}
	if cfset.AdministrativeArrest.Rank() != 11 || cfset.Warning.Rank() != 1 || len(cfset.Categories) != 14 {
		t.Errorf("ranks")
	}
}

func TestPartyKinds(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]cfset.PartyKind{"1": cfset.Organisation, "FRJFFRZZ": cfset.Organisation, "法人及非法人组织": cfset.Organisation,
		"2": cfset.NaturalPerson, "zrr": cfset.NaturalPerson, "自然人": cfset.NaturalPerson, "4": cfset.IndividualBusiness, "GTGSH": cfset.IndividualBusiness, "个体工商户": cfset.IndividualBusiness} {
		if got, ok := cfset.ParsePartyKind(s); !ok || got != want {
			t.Errorf("ParsePartyKind(%q) = %v, %v", s, got, ok)
		}
	}
	for _, s := range []string{"3", "法人", ""} {
		if _, ok := cfset.ParsePartyKind(s); ok {
			t.Errorf("ParsePartyKind(%q) accepted", s)
		}
	}
}
