package redact

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"zhifa/modules/kernel/civil"
	"zhifa/modules/rules"
)

// Kind is a party's kind as the public sees it (the 双公示 set's 当事人类别).
type Kind string

// The kinds of parties.
const (
	Person             Kind = "person"              // 自然人
	Organisation       Kind = "organisation"        // 法人及非法人组织
	IndividualBusiness Kind = "individual_business" // 个体工商户
)

// Party is a decision's party as the case engine gives it: the originals.
type Party struct {
	Kind     string // person or organisation (the case engine's kinds)
	Name     string
	IDNumber string
	USCC     string
	Phone    string
	Address  string
}

// Public is the party as it may be published.
type Public struct {
	Kind Kind   `json:"kind"`
	Name string `json:"name"`
	USCC string `json:"uscc,omitempty"`
}

// PublicParty returns what of p may be public: the name for a person; the name and USCC for an
// organisation or a 个体工商户.
func PublicParty(p Party) Public {
	if p.Kind == string(Person) {
		return Public{Kind: Person, Name: p.Name}
	}
	k := Organisation
	if strings.HasPrefix(p.USCC, "92") {
		k = IndividualBusiness
	}
	return Public{Kind: k, Name: p.Name, USCC: p.USCC}
}

// Masked is what masking leaves of a person's name: the surname and 某.
const Masked = "某"

// Mask returns a natural person's name as the public sees it: its first character and 某.
func Mask(name string) string {
	r, _ := utf8.DecodeRuneInString(name)
	if r == utf8.RuneError {
		return Masked
	}
	return string(r) + Masked
}

// Removed replaces what free text loses entirely.
const Removed = "[已隐去]"

var (
	// digitRun is a run of digits, with an identity number's check character.
	digitRun = regexp.MustCompile(`[0-9]+[Xx]?`)
	// personWord introduces another natural person by role, followed by the name: a surname and
	// one or two characters of the given name, which stops at a character that starts the
	// sentence's next word (证实, 称, 在 ...).
	personWord = regexp.MustCompile(`(证人|举报人|投诉人|消费者|顾客|员工|雇员|店员|职工|工作人员|家属|妻子|丈夫|儿子|女儿|父亲|母亲|亲属|邻居|受害人|被害人)(\p{Han})([^\P{Han}证称说于在等的和与向购到将因系反作已未均也又对把被从及、]{1,2})`)
)

// Text returns free text fit to publish: the party's own identity number, phone and address
// removed, every name of others masked (Mask), every 15-to-19-digit run and mobile number removed.
func Text(s string, p Party, others []string) string {
	for _, v := range []string{p.IDNumber, p.Phone, p.Address} {
		if strings.TrimSpace(v) != "" {
			s = strings.ReplaceAll(s, v, Removed)
		}
	}
	for _, n := range others {
		if n = strings.TrimSpace(n); n != "" && n != p.Name {
			s = strings.ReplaceAll(s, n, Mask(n))
		}
	}
	s = personWord.ReplaceAllString(s, "${1}${2}"+Masked)
	return digitRun.ReplaceAllStringFunc(s, func(run string) string {
		n := len(run)
		if (n >= 15 && n <= 19) || (n == 11 && mobile(run)) {
			return Removed
		}
		return run
	})
}

// mobile reports whether an 11-digit run is a mainland mobile number (1[3-9]…).
func mobile(run string) bool { return run[0] == '1' && run[1] >= '3' && run[1] <= '9' }

// Reason says why a decision is never published.
type Reason string

// The reasons a decision is withheld.
const (
	ReasonMinor       Reason = "minor"        // the party was under 18 on the day of the act (Art. 5(1))
	ReasonWarningOnly Reason = "warning_only" // a warning only, where the sector's rule says so (总局令45号 Art. 2)
)

// Decision is what the withholding rules read of a decision.
type Decision struct {
	PartyKind string     // person or organisation
	BornOn    civil.Date // a person's birth date, when known
	ActOn     civil.Date // the day the act ended, when known
	DecidedOn civil.Date
	Types     []string // the penalty types
	// WithholdWarnings: a warning-only decision is not published (the body's sector rule).
	WithholdWarnings bool
}

// Withheld returns why d must never be published, or "" when it may be.
func Withheld(d Decision) Reason {
	if d.PartyKind == string(Person) && d.BornOn != "" {
		on := d.ActOn
		if on == "" {
			on = d.DecidedOn
		}
		if Under18(d.BornOn, on) {
			return ReasonMinor
		}
	}
	if d.WithholdWarnings && len(d.Types) > 0 && !hasOtherThan(d.Types, "warning") {
		return ReasonWarningOnly
	}
	return ""
}

// Under18 reports whether a person born on born was under 18 on day on: the 18th birthday, counted
// as the case engine counts the under-14 rule (rules.YearsAfter: a 29 February birthday falls on
// 28 February in a common year), is after on.
func Under18(born, on civil.Date) bool {
	return civil.DateOf(rules.YearsAfter(born.Time(), 18)).After(on)
}

func hasOtherThan(types []string, t string) bool {
	for _, x := range types {
		if x != t {
			return true
		}
	}
	return false
}
