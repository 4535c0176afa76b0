package selfservice

// link is a link of a page to another (sign-in ↔ registration ↔ recovery).
type link struct {
	Href string
	Text bilingual
}

// view is what the page template sees.
type view struct {
	Kind     Kind
	Title    bilingual
	Lead     bilingual
	Messages []bilingual
	Forms    []form
	Links    []link
}

// titles are the pages' headings.
var titles = map[Kind]bilingual{
	Login:        {ZH: "登录", EN: "Sign in"},
	Registration: {ZH: "当事人注册", EN: "Register as a party"},
	Recovery:     {ZH: "找回密码", EN: "Recover your account"},
	Verification: {ZH: "验证邮箱", EN: "Verify your e-mail"},
	Settings:     {ZH: "账号设置", EN: "Account settings"},
}

// leads explain each page in a line.
var leads = map[Kind]bilingual{
	Login:        {ZH: "执法人员、监督人员使用单位为您开通的账号登录；当事人使用自行注册的账号登录。", EN: "Staff sign in with the account their agency opened for them; parties with the account they registered."},
	Registration: {ZH: "当事人注册后可在线查收文书、缴纳罚款。执法人员账号由单位管理员开通，无需注册。", EN: "Parties register to receive documents and pay fines online. Staff accounts are opened by their agency, not registered here."},
	Recovery:     {ZH: "填写账号邮箱，我们将发送验证码；新开通的执法人员账号也在此输入邀请邮件中的验证码，设置密码。", EN: "Enter your e-mail and we send you a code; staff with a new account enter the code of their invitation here to set a password."},
	Verification: {ZH: "请输入发送到您邮箱的验证码。", EN: "Enter the code sent to your e-mail."},
	Settings:     {ZH: "修改姓名、密码，绑定身份验证器（双因素认证）。", EN: "Change your name and password; set up the authenticator app (second factor)."},
}

// newView builds the page of flow f.
func newView(kind Kind, f *flow) view {
	v := view{Kind: kind, Title: titles[kind], Lead: leads[kind], Forms: forms(kind, f)}
	if kind == Login && f.RequestedAAL == "aal2" {
		v.Title = bilingual{ZH: "双因素认证", EN: "Second factor"}
		v.Lead = bilingual{ZH: "请打开手机上的身份验证器，输入当前显示的6位动态验证码。", EN: "Open the authenticator app on your phone and enter the 6-digit code it shows."}
	}
	for _, m := range f.UI.Messages {
		v.Messages = append(v.Messages, translate(m, ""))
	}
	switch kind {
	case Login:
		if f.RequestedAAL == "aal2" {
			v.Links = []link{{Href: LogoutPath, Text: bilingual{ZH: "换一个账号登录", EN: "Sign in as someone else"}}}
			break
		}
		v.Links = []link{
			{Href: "/auth/recovery", Text: bilingual{ZH: "忘记密码 / 首次设置密码", EN: "Forgot your password, or setting it for the first time"}},
			{Href: "/auth/registration", Text: bilingual{ZH: "当事人注册", EN: "Parties: register"}},
		}
	case Registration, Recovery:
		v.Links = []link{{Href: LoginPath, Text: bilingual{ZH: "已有账号，去登录", EN: "I have an account: sign in"}}}
	case Verification:
		v.Links = []link{{Href: LoginPath, Text: bilingual{ZH: "去登录", EN: "Sign in"}}}
	case Settings:
		back := "/console"
		if f.ReturnTo != "" {
			back = f.ReturnTo
		}
		v.Links = []link{{Href: back, Text: bilingual{ZH: "返回", EN: "Back"}}, {Href: LogoutPath, Text: bilingual{ZH: "退出登录", EN: "Sign out"}}}
	}
	return v
}
