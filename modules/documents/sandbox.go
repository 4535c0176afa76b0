package documents

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"text/template/parse"
	"time"
	"unicode"
	"unicode/utf8"

	lru "github.com/hashicorp/golang-lru/v2"

	"zhifa/modules/kernel/errs"
	"zhifa/modules/kernel/money"
)

// The template language is Go's html/template, restricted so that a body admin cannot hurt the
// platform or its documents:
//
//   - Only the functions in adminFuncs may be called (no printf with widths, no call, no
//     template, define or block): nothing reads a file, the network, the clock or the data of
//     another document.
//   - A template may refer to the fields its type declares only ({{.party.name}}), and range
//     only over a declared list field, at most maxRangeDepth deep. Range over a number literal
//     (Go 1.22's {{range 100000000}}) and over variables holding anything else is refused
//     before the template is stored.
//   - Every range body starts with a hidden call that counts iterations and checks the
//     deadline, and every write goes through a writer that checks the output size and the
//     deadline. Both fail the execution with an error, which unwinds text/template at once.
//   - Execution runs in its own goroutine that the caller waits for at most the time limit.
//     Because the goroutine itself checks the same deadline at every loop iteration and every
//     write, and nothing else in the language can loop or block, it ends within one iteration
//     of the deadline: a runaway template never leaks a goroutine.
//   - At most maxConcurrentRenders executions run at once (a semaphore), so a burst of expensive
//     previews cannot starve the server.
//
// The output is not trusted either: it is parsed as the restricted markup of markup.go, and
// anything outside it (scripts, styles, foreign images, unknown tags or classes) is refused.

// Limits bounds one execution of a template.
type Limits struct {
	Timeout       time.Duration // wall-clock time
	MaxOutput     int           // bytes of markup
	MaxIterations int           // range iterations, all loops together
}

// DefaultLimits are the bounds of every execution unless a test narrows them.
var DefaultLimits = Limits{Timeout: 2 * time.Second, MaxOutput: 1 << 20, MaxIterations: 100_000}

const (
	// MaxSourceBytes bounds a template's source.
	MaxSourceBytes = 64 << 10
	maxRangeDepth  = 3
	tickFunc       = "__tick"
	// maxConcurrentRenders bounds the executions running at once.
	maxConcurrentRenders = 16
)

var renderSlots = make(chan struct{}, maxConcurrentRenders)

// The errors that stop an execution.
var (
	errTooLarge   = errors.New("documents: template output exceeds its limit")
	errIterations = errors.New("documents: template loops exceed their limit")
	errTimeout    = errors.New("documents: template execution exceeds its time limit")
)

// Program is a checked, compiled template: safe to execute concurrently.
type Program struct {
	info   *TypeInfo
	master *template.Template // never executed itself: each execution runs a clone
	refs   map[string]bool    // the data paths and functions the template refers to
	source string
}

// Refers reports whether the template refers to a data path or calls a function.
func (p *Program) Refers(ref string) bool { return p.refs[ref] }

// adminFuncs are the functions a template may call: the safe builtins and the helpers below.
var adminFuncs = map[string]bool{
	"and": true, "or": true, "not": true, "len": true, "index": true, "slice": true, "print": true,
	"eq": true, "ne": true, "lt": true, "le": true, "gt": true, "ge": true,
	"seal": true, "qrcode": true, "yuan": true, "yuan_cn": true, "cn_num": true, "date_cn": true,
	"datetime_cn": true, "add": true, "join": true, "default": true, "blank": true, "check": true, "multiline": true,
	"clause": true, "sep": true,
}

// FuncDoc describes a helper function for the template reference.
type FuncDoc struct {
	Name    string   `json:"name"`
	Example string   `json:"example"`
	Doc     errs.Msg `json:"doc"`
}

// FuncDocs lists the helpers a template may call, with examples.
var FuncDocs = []FuncDoc{
	{"seal", `{{seal}}`, msg("印章：上传的印章图片，或以执法主体名称生成的圆形印章；置于落款处", "the seal: the uploaded image, or a round seal generated from the body's name; put it in the signature block")},
	{"qrcode", `{{qrcode}}`, msg("核验二维码：含案件编码和核验地址", "the verification QR code: case code and verification address")},
	{"yuan", `{{yuan .penalty.fine_fen}}`, msg("分转为元：500000 → 5,000.00", "fen to yuan: 500000 → 5,000.00")},
	{"yuan_cn", `{{yuan_cn .penalty.fine_fen}}`, msg("金额大写：500000 → 伍仟元整", "amount in Chinese capitals: 500000 → 伍仟元整")},
	{"cn_num", `{{cn_num .remedies.reconsideration_days}}`, msg("中文数字：60 → 六十", "number in Chinese: 60 → 六十")},
	{"date_cn", `{{date_cn .doc.date}}`, msg("日期：2026-01-05 → 2026年1月5日", "date: 2026-01-05 → 2026年1月5日")},
	{"datetime_cn", `{{datetime_cn .x}}`, msg("时间：2026-01-05T09:30:00+08:00 → 2026年1月5日9时30分", "time: RFC 3339 → 2026年1月5日9时30分")},
	{"add", `{{add $i 1}}`, msg("加法（如序号从1开始）", "addition (e.g. numbering from 1)")},
	{"join", `{{join .penalty.kinds "、"}}`, msg("连接文本列表（各项末尾的标点先去掉）", "join a list of texts (each item's closing punctuation dropped first)")},
	{"clause", `{{clause .facts}}。`, msg("去掉文本末尾的标点，由模板接上自己的标点", "drop a text's closing punctuation so the template adds its own")},
	{"sep", `{{range $i, $e := .evidence}}{{$e.name}}{{sep $i $.evidence}}{{end}}`, msg("列表项之间用“；”，最后一项用“。”", "“；” between the items of a list, “。” after the last")},
	{"default", `{{default "无" .party.phone}}`, msg("为空时显示替代文字", "a fallback for an empty value")},
	{"blank", `{{blank 8}}`, msg("供手写填写的下划线空格（1至40字）", "an underlined blank to fill in by hand (1-40 characters)")},
	{"check", `{{check .notice.hearing_right}}`, msg("复选框：■ 或 □", "a check box: ■ or □")},
	{"multiline", `{{multiline .facts}}`, msg("保留文本中的换行", "keep the line breaks of a text")},
	{"index / len / eq / ne / lt / le / gt / ge / and / or / not / slice / print", `{{if gt (len .evidence) 0}}…{{end}}`, msg("Go 模板内置函数（printf、call、template 等不可用）", "Go's builtins (printf, call, template and the like are not available)")},
}

// baseFuncs are bound at parse time; __tick is replaced per execution.
var baseFuncs = template.FuncMap{
	"seal":        func() template.HTML { return `<img src="zhifa:seal" class="seal" alt="印章">` },
	"qrcode":      func() template.HTML { return `<img src="zhifa:qr" class="qr" alt="核验二维码">` },
	"yuan":        fnYuan,
	"yuan_cn":     fnYuanCN,
	"cn_num":      fnCNNum,
	"date_cn":     fnDateCN,
	"datetime_cn": fnDateTimeCN,
	"add":         fnAdd,
	"join":        fnJoin,
	"default":     fnDefault,
	"blank":       fnBlank,
	"check":       fnCheck,
	"multiline":   fnMultiline,
	"clause":      fnClause,
	"sep":         fnSep,
	tickFunc:      func() (string, error) { return "", nil },
}

// compiled caches programs by type and source digest, a bounded number of them.
var compiled, _ = lru.New[string, *Program](512)

// Compile checks a template's source for its type and compiles it. It returns an Invalid error
// naming every problem (syntax with its line, forbidden functions or constructs, unknown fields,
// range over anything but a list field) or a FailedPrecondition naming each required item the
// template leaves out.
func Compile(ti *TypeInfo, src string) (*Program, error) {
	key := string(ti.Type) + "\x00" + sha256Hex([]byte(src))
	if p, ok := compiled.Get(key); ok {
		return p, nil
	}
	p, err := compile(ti, src)
	if err != nil {
		return nil, err
	}
	compiled.Add(key, p)
	return p, nil
}

func compile(ti *TypeInfo, src string) (*Program, error) {
	if len(src) > MaxSourceBytes {
		return nil, invalidSource(fmt.Sprintf("模板不能超过 %d 字节", MaxSourceBytes), fmt.Sprintf("a template is at most %d bytes", MaxSourceBytes))
	}
	if !utf8.ValidString(src) {
		return nil, invalidSource("模板须为 UTF-8 文本", "a template must be UTF-8 text")
	}
	if strings.TrimSpace(src) == "" {
		return nil, invalidSource("模板不能为空", "a template cannot be empty")
	}
	t, err := template.New("doc").Funcs(baseFuncs).Option("missingkey=error").Parse(src)
	if err != nil {
		zh, en := parseErrorText(err)
		return nil, invalidSource(zh, en)
	}
	c := &checker{ti: ti, tree: t.Tree, refs: map[string]bool{}}
	if len(t.Templates()) > 1 {
		c.bad(nil, "不允许使用 define、block 或 template", "define, block and template are not allowed")
	}
	if t.Tree == nil || t.Tree.Root == nil {
		return nil, invalidSource("模板不能为空", "a template cannot be empty")
	}
	c.walk(t.Tree.Root, env{vars: map[string]string{"$": ""}})
	if len(c.problems) > 0 {
		return nil, errs.E(errs.Invalid, "模板不安全或有误："+c.problems[0].Message.ZH, "the template is unsafe or wrong: "+c.problems[0].Message.EN).
			WithFields(c.problems...)
	}
	var missing []errs.FieldError
	for _, r := range ti.Required {
		if !c.refs[r.Ref] {
			missing = append(missing, missingField(r))
		}
	}
	if len(missing) > 0 {
		return nil, missingError(ti, missing)
	}
	for _, rn := range c.ranges {
		insertTick(rn)
	}
	return &Program{info: ti, master: t, refs: c.refs, source: src}, nil
}

// missingField names a required item a template leaves out.
func missingField(r Requirement) errs.FieldError {
	basis := ""
	if r.Basis != "" {
		basis = "（" + r.Basis + "）"
	}
	return errs.Field(r.Ref, "缺少必备事项："+r.Title.ZH+basis, "required item missing: "+r.Title.EN+basis)
}

func missingError(ti *TypeInfo, missing []errs.FieldError) error {
	e := errs.Ef(errs.FailedPrecondition, "%s缺少必备事项 %s：%s", "a %s template must contain %s: %s",
		ti.Name.ZH, missing[0].Field, missing[0].Message.ZH)
	e.Message.EN = fmt.Sprintf("a %s template must contain %s (%s)", ti.Name.EN, missing[0].Field, missing[0].Message.EN)
	e.Rule = &errs.Rule{ID: "documents.required_items", Law: lawOf(ti.Basis), Article: ti.Basis}
	return e.WithFields(missing...)
}

// lawOf returns the law named at the start of a basis ("行政处罚法第五十九条" -> "行政处罚法").
func lawOf(basis string) string {
	if i := strings.Index(basis, "法"); i >= 0 {
		return basis[:i+len("法")]
	}
	return basis
}

func invalidSource(zh, en string) *errs.Error {
	return errs.E(errs.Invalid, "模板有误："+zh, "invalid template: "+en).WithFields(errs.Field("source", zh, en))
}

var (
	parseLineRE = regexp.MustCompile(`^template: doc:(\d+)(?::(\d+))?: (.*)$`)
	undefinedRE = regexp.MustCompile(`function "([^"]+)" not defined`)
	execLineRE  = regexp.MustCompile(`^doc:(\d+):(\d+): (.*)$`)
)

// parseErrorText turns a text/template parse error into a message with its line.
func parseErrorText(err error) (string, string) {
	s := err.Error()
	if m := parseLineRE.FindStringSubmatch(s); m != nil {
		detail := m[3]
		if fm := undefinedRE.FindStringSubmatch(detail); fm != nil {
			return fmt.Sprintf("第%s行：不允许或不存在的函数 %s", m[1], fm[1]), fmt.Sprintf("line %s: function %s is not allowed or does not exist", m[1], fm[1])
		}
		return fmt.Sprintf("第%s行语法错误：%s", m[1], detail), fmt.Sprintf("syntax error on line %s: %s", m[1], detail)
	}
	return "语法错误：" + s, "syntax error: " + s
}

// env is what the checker knows at a point of the template: the data path dot stands for ("?"
// for unknown) and the paths of the variables in scope.
type env struct {
	dot   string
	vars  map[string]string
	depth int
}

func (e env) child() env {
	vars := make(map[string]string, len(e.vars))
	for k, v := range e.vars {
		vars[k] = v
	}
	return env{dot: e.dot, vars: vars, depth: e.depth}
}

const unknownPath = "?"

type checker struct {
	ti       *TypeInfo
	tree     *parse.Tree
	refs     map[string]bool
	ranges   []*parse.RangeNode
	problems []errs.FieldError
	seen     map[string]bool
}

// bad records a problem at node n.
func (c *checker) bad(n parse.Node, zh, en string) {
	where, whereEN := "", ""
	if n != nil && c.tree != nil {
		loc, _ := c.tree.ErrorContext(n)
		if parts := strings.Split(loc, ":"); len(parts) >= 3 {
			where, whereEN = "第"+parts[1]+"行第"+parts[2]+"列：", "line "+parts[1]+", column "+parts[2]+": "
		}
	}
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	if c.seen[where+zh] {
		return
	}
	c.seen[where+zh] = true
	c.problems = append(c.problems, errs.Field("source", where+zh, whereEN+en))
}

// ref records a reference to a data path and to the lists it passes through.
func (c *checker) ref(path string) {
	c.refs[path] = true
	parts := strings.Split(path, ".")
	for i := range parts {
		if strings.HasSuffix(parts[i], "[]") {
			c.refs[strings.Join(append(parts[:i:i], strings.TrimSuffix(parts[i], "[]")), ".")] = true
		}
	}
}

func join(base string, idents []string) string {
	if base == "" {
		return strings.Join(idents, ".")
	}
	if len(idents) == 0 {
		return base
	}
	return base + "." + strings.Join(idents, ".")
}

func (c *checker) walk(n parse.Node, e env) {
	switch n := n.(type) {
	case nil:
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, x := range n.Nodes {
			c.walk(x, e)
		}
	case *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
	case *parse.ActionNode:
		c.pipe(n.Pipe, e)
	case *parse.IfNode:
		inner := e.child()
		c.pipe(n.Pipe, inner)
		c.walk(n.List, inner)
		c.walk(n.ElseList, e.child())
	case *parse.WithNode:
		inner := e.child()
		p := c.pipe(n.Pipe, inner)
		inner.dot = p
		c.walk(n.List, inner)
		c.walk(n.ElseList, e.child())
	case *parse.RangeNode:
		c.rangeNode(n, e)
	case *parse.TemplateNode:
		c.bad(n, "不允许使用 template、define 或 block", "template, define and block are not allowed")
	default:
		c.bad(n, "不支持的模板结构", "unsupported template construct")
	}
}

func (c *checker) rangeNode(n *parse.RangeNode, e env) {
	inner := e.child()
	inner.depth++
	if inner.depth > maxRangeDepth {
		c.bad(n, fmt.Sprintf("range 最多嵌套 %d 层", maxRangeDepth), fmt.Sprintf("range nests at most %d deep", maxRangeDepth))
	}
	target := unknownPath
	p := n.Pipe
	if len(p.Cmds) == 1 && len(p.Cmds[0].Args) == 1 {
		switch a := p.Cmds[0].Args[0].(type) {
		case *parse.FieldNode:
			target = c.fieldPath(a, e)
		case *parse.VariableNode:
			if len(a.Ident) > 1 {
				target = c.varPath(a, e)
			}
		case *parse.DotNode:
			target = e.dot
		}
	}
	if target == unknownPath {
		c.bad(n, "range 只能遍历数据中的列表字段（不能遍历数字、变量或函数结果）", "range may only go over a list field of the data (not a number, a variable or a function's result)")
	} else if f, ok := lookup(c.ti.Fields, target); !ok || f.Kind != KindList {
		c.bad(n, "range 只能遍历列表字段："+target+" 不是列表", "range may only go over a list field: "+target+" is not a list")
		target = unknownPath
	} else {
		c.ref(target)
	}
	item := unknownPath
	if target != unknownPath {
		item = target + "[]"
	}
	switch len(p.Decl) {
	case 1:
		inner.vars[p.Decl[0].Ident[0]] = item
	case 2:
		inner.vars[p.Decl[0].Ident[0]] = unknownPath // the index
		inner.vars[p.Decl[1].Ident[0]] = item
	}
	inner.dot = item
	c.ranges = append(c.ranges, n)
	c.walk(n.List, inner)
	c.walk(n.ElseList, e.child())
}

// pipe checks a pipeline and returns the data path it yields ("?" unless it is one field).
// Declared variables are recorded in e.
func (c *checker) pipe(p *parse.PipeNode, e env) string {
	if p == nil {
		return unknownPath
	}
	for _, cmd := range p.Cmds {
		for i, a := range cmd.Args {
			c.arg(a, e, i == 0)
		}
	}
	result := unknownPath
	if len(p.Cmds) == 1 && len(p.Cmds[0].Args) == 1 {
		switch a := p.Cmds[0].Args[0].(type) {
		case *parse.FieldNode:
			result = c.fieldPath(a, e)
		case *parse.VariableNode:
			result = c.varPath(a, e)
		case *parse.DotNode:
			result = e.dot
		}
	}
	for _, v := range p.Decl {
		e.vars[v.Ident[0]] = result
	}
	return result
}

func (c *checker) arg(n parse.Node, e env, first bool) {
	switch a := n.(type) {
	case *parse.FieldNode:
		c.fieldPath(a, e)
	case *parse.VariableNode:
		c.varPath(a, e)
	case *parse.DotNode:
		if e.dot != unknownPath && e.dot != "" {
			c.ref(e.dot)
		}
	case *parse.IdentifierNode:
		if !adminFuncs[a.Ident] {
			c.bad(a, "不允许的函数 "+a.Ident, "function "+a.Ident+" is not allowed")
			return
		}
		c.refs[a.Ident] = true
	case *parse.PipeNode:
		c.pipe(a, e.child())
	case *parse.ChainNode:
		c.bad(a, "不支持 (…).字段 写法，请直接引用数据字段", "(…).field is not supported: refer to the data field directly")
	case *parse.StringNode, *parse.BoolNode, *parse.NilNode:
	case *parse.NumberNode:
		if a.IsFloat && (a.Float64 > 1e9 || a.Float64 < -1e9) {
			c.bad(a, "数字过大", "number too large")
		}
	default:
		c.bad(n, "不支持的表达式", "unsupported expression")
	}
}

// fieldPath resolves .a.b against dot and checks it against the type's fields.
func (c *checker) fieldPath(n *parse.FieldNode, e env) string {
	if e.dot == unknownPath {
		c.bad(n, "此处的 . 不是数据字段，不能取 ."+strings.Join(n.Ident, "."), "dot is not a data field here: cannot take ."+strings.Join(n.Ident, "."))
		return unknownPath
	}
	return c.check(n, join(e.dot, n.Ident))
}

func (c *checker) varPath(n *parse.VariableNode, e env) string {
	base, ok := e.vars[n.Ident[0]]
	if !ok || base == unknownPath {
		if len(n.Ident) > 1 {
			c.bad(n, "变量 "+n.Ident[0]+" 不是数据字段，不能取字段", "variable "+n.Ident[0]+" is not a data field: cannot take a field of it")
		}
		return unknownPath
	}
	if len(n.Ident) == 1 && base == "" {
		return ""
	}
	return c.check(n, join(base, n.Ident[1:]))
}

func (c *checker) check(n parse.Node, path string) string {
	if _, ok := lookup(c.ti.Fields, path); !ok {
		c.bad(n, "未知字段 "+strings.ReplaceAll(path, "[]", "")+"（见字段说明）", "unknown field "+strings.ReplaceAll(path, "[]", "")+" (see the field reference)")
		return unknownPath
	}
	c.ref(path)
	return path
}

// insertTick makes a range body start with {{__tick}}, which counts the iteration and checks
// the deadline.
func insertTick(n *parse.RangeNode) {
	pos := n.Position()
	id := parse.NewIdentifier(tickFunc).SetPos(pos)
	action := &parse.ActionNode{NodeType: parse.NodeAction, Pos: pos, Line: n.Line,
		Pipe: &parse.PipeNode{NodeType: parse.NodePipe, Pos: pos, Line: n.Line,
			Cmds: []*parse.CommandNode{{NodeType: parse.NodeCommand, Pos: pos, Args: []parse.Node{id}}}}}
	if n.List == nil {
		n.List = &parse.ListNode{NodeType: parse.NodeList, Pos: pos}
	}
	n.List.Nodes = append([]parse.Node{action}, n.List.Nodes...)
}

// run is the state of one execution: its deadline, loop budget and output.
type run struct {
	lim        Limits
	deadline   time.Time
	iterations int
	stopped    atomic.Bool
	out        bytes.Buffer
}

func (r *run) check() error {
	if r.stopped.Load() || time.Now().After(r.deadline) {
		return errTimeout
	}
	return nil
}

func (r *run) tick() (string, error) {
	r.iterations++
	if r.iterations > r.lim.MaxIterations {
		return "", errIterations
	}
	return "", r.check()
}

// Write bounds the output and checks the deadline.
func (r *run) Write(p []byte) (int, error) {
	if err := r.check(); err != nil {
		return 0, err
	}
	if r.out.Len()+len(p) > r.lim.MaxOutput {
		return 0, errTooLarge
	}
	return r.out.Write(p)
}

// Execute runs the program on data within lim and returns its markup. Errors are Invalid and
// say what went wrong in Chinese and English (time limit, output limit, loop limit, a failing
// expression with its line); Unavailable when too many executions are running and ctx ends.
func (p *Program) Execute(ctx context.Context, data map[string]any, lim Limits) (string, error) {
	select {
	case renderSlots <- struct{}{}:
	case <-ctx.Done():
		return "", errs.E(errs.Unavailable, "文书渲染繁忙，请稍后再试", "document rendering is busy; try again later").WithCause(ctx.Err())
	}
	defer func() { <-renderSlots }()
	t, err := p.master.Clone()
	if err != nil {
		return "", err
	}
	r := &run{lim: lim, deadline: time.Now().Add(lim.Timeout)}
	t.Funcs(template.FuncMap{tickFunc: r.tick})
	done := make(chan error, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- fmt.Errorf("documents: template panic: %v\n%s", v, debug.Stack())
			}
		}()
		done <- t.Execute(r, data)
	}()
	timer := time.NewTimer(lim.Timeout)
	defer timer.Stop()
	select {
	case err = <-done:
	case <-timer.C:
		r.stopped.Store(true) // the goroutine stops at its next iteration or write
		err = errTimeout
	case <-ctx.Done():
		r.stopped.Store(true)
		return "", errs.E(errs.Unavailable, "请求已取消", "request cancelled").WithCause(ctx.Err())
	}
	if err != nil {
		return "", executionError(err, lim)
	}
	return r.out.String(), nil
}

// executionError explains a failed execution.
func executionError(err error, lim Limits) error {
	var te *template.Error
	switch {
	case errors.Is(err, errTimeout):
		return invalidSource(fmt.Sprintf("执行超过 %s（可能是死循环或过深的嵌套循环）", lim.Timeout), fmt.Sprintf("execution took longer than %s (an endless or too deeply nested loop?)", lim.Timeout))
	case errors.Is(err, errIterations):
		return invalidSource(fmt.Sprintf("循环次数超过 %d 次（可能是死循环或过深的嵌套循环）", lim.MaxIterations), fmt.Sprintf("loops ran more than %d times (an endless or too deeply nested loop?)", lim.MaxIterations))
	case errors.Is(err, errTooLarge):
		return invalidSource(fmt.Sprintf("输出超过 %d 字节", lim.MaxOutput), fmt.Sprintf("the output exceeds %d bytes", lim.MaxOutput))
	case errors.As(err, &te):
		return invalidSource("HTML 结构使模板无法安全转义："+te.Description, "the HTML structure prevents safe escaping: "+te.Description)
	case strings.HasPrefix(err.Error(), "documents: template panic"):
		return errs.E(errs.Internal, "模板执行出错", "template execution failed").WithCause(err)
	}
	msg := strings.TrimPrefix(err.Error(), "template: ")
	if m := execLineRE.FindStringSubmatch(msg); m != nil {
		return invalidSource(fmt.Sprintf("第%s行第%s列执行出错：%s", m[1], m[2], m[3]), fmt.Sprintf("line %s, column %s: %s", m[1], m[2], m[3]))
	}
	return invalidSource("执行出错："+msg, "execution failed: "+msg)
}

// The helper functions. Each is bounded by its input (which is bounded by the data) and
// returns an error rather than panicking on a bad argument.

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

func fnYuan(v any) (string, error) {
	f, ok := toFloat(v)
	if !ok {
		return "", fmt.Errorf("yuan: %v is not a number of fen", v)
	}
	return money.Fen(f).Figure(), nil
}

// fnYuanCN writes an amount in fen in Chinese capitals (大写), e.g. 500000 -> 伍仟元整.
func fnYuanCN(v any) (string, error) {
	f, ok := toFloat(v)
	if !ok || f < 0 || f >= 1e15 {
		return "", fmt.Errorf("yuan_cn: %v is not an amount of fen", v)
	}
	return money.Fen(f).Capital(), nil
}

func pow10(i int) int64 {
	p := int64(1)
	for ; i > 0; i-- {
		p *= 10
	}
	return p
}

var cnSmall = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// fnCNNum writes a whole number below 10000 in Chinese (60 -> 六十); larger ones in digits.
func fnCNNum(v any) (string, error) {
	f, ok := toFloat(v)
	if !ok {
		return "", fmt.Errorf("cn_num: %v is not a number", v)
	}
	n := int64(f)
	if n < 0 || n >= 10000 || float64(n) != f {
		return strconv.FormatFloat(f, 'f', -1, 64), nil
	}
	if n < 10 {
		return cnSmall[n], nil
	}
	units := []string{"", "十", "百", "千"}
	var s string
	zero := false
	for i := 3; i >= 0; i-- {
		d := (n / pow10(i)) % 10
		if d == 0 {
			zero = s != ""
			continue
		}
		if zero {
			s += "零"
			zero = false
		}
		if !(d == 1 && i == 1 && s == "") {
			s += cnSmall[d]
		}
		s += units[i]
	}
	return s, nil
}

func fnDateCN(v any) (string, error) {
	s, _ := v.(string)
	if s == "" {
		return "", nil
	}
	if len(s) >= 10 {
		if t, err := time.Parse("2006-01-02", s[:10]); err == nil {
			return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day()), nil
		}
	}
	return s, nil
}

func fnDateTimeCN(v any) (string, error) {
	s, _ := v.(string)
	if s == "" {
		return "", nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return fnDateCN(s)
	}
	t = t.In(china)
	out := fmt.Sprintf("%d年%d月%d日%d时", t.Year(), t.Month(), t.Day(), t.Hour())
	if t.Minute() > 0 {
		out += fmt.Sprintf("%d分", t.Minute())
	}
	return out, nil
}

var china = time.FixedZone("CST", 8*3600)

func fnAdd(a, b any) (float64, error) {
	x, ok1 := toFloat(a)
	y, ok2 := toFloat(b)
	if !ok1 || !ok2 {
		return 0, fmt.Errorf("add: %v and %v must be numbers", a, b)
	}
	return x + y, nil
}

func fnJoin(v any, sep string) (string, error) {
	items, ok := v.([]any)
	if !ok {
		if v == nil {
			return "", nil
		}
		return "", fmt.Errorf("join: %T is not a list", v)
	}
	parts := make([]string, 0, len(items))
	for _, x := range items {
		s, ok := x.(string)
		if !ok {
			s = fmt.Sprint(x)
		}
		if s = Clause(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, sep), nil
}

// Clause returns s without surrounding space and without the punctuation that closes it
// (。，；、：！？ and their ASCII forms), so that a template or formatter can add its own: the
// text of a paragraph then never reads "。，".
func Clause(s string) string {
	return strings.TrimRightFunc(strings.TrimSpace(s), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("。，；、：！？.,;:!?", r)
	})
}

func fnClause(v any) string {
	s, _ := v.(string)
	return Clause(s)
}

// fnSep is the mark after item i of list: "；" between items, "。" after the last.
func fnSep(i any, list any) (string, error) {
	n, ok := toFloat(i)
	items, isList := list.([]any)
	if !ok || !isList {
		return "", fmt.Errorf("sep: want an index and a list, got %v and %T", i, list)
	}
	if int(n) >= len(items)-1 {
		return "。", nil
	}
	return "；", nil
}

func fnDefault(fallback any, v any) any {
	if empty(v) {
		return fallback
	}
	return v
}

// empty reports whether a data value is absent, blank, zero or an empty list.
func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case float64:
		return x == 0
	case bool:
		return !x
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func fnBlank(n any) (template.HTML, error) {
	f, ok := toFloat(n)
	if !ok || f < 1 || f > 40 {
		return "", fmt.Errorf("blank: width must be from 1 to 40, got %v", n)
	}
	return template.HTML(`<u class="blank">` + strings.Repeat("\u3000", int(f)) + `</u>`), nil
}

func fnCheck(v any) string {
	if empty(v) {
		return "□"
	}
	return "■"
}

func fnMultiline(v any) template.HTML {
	s, _ := v.(string)
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i := range lines {
		lines[i] = template.HTMLEscapeString(lines[i])
	}
	return template.HTML(strings.Join(lines, "<br>"))
}
