// Package selfservice renders Ory Kratos' self-service browser flows as the platform's own
// pages: sign-in (/auth/login, including the second factor), a citizen's registration
// (/auth/registration), account recovery (/auth/recovery, which is also how a new staff member
// sets a first password from the invitation), e-mail verification (/auth/verification),
// account settings (/auth/settings: name, password, the TOTP authenticator), Kratos' errors
// (/auth/error) and sign-out (/auth/logout).
//
// Kratos' public API is reached by browsers through a tunnel on the platform's own origin
// (TunnelPrefix), so the flows' CSRF cookie and the session cookie are first-party cookies of
// the platform; Kratos' serve.public.base_url must be <public URL><TunnelPrefix>/. A page fetches
// its flow by id from Kratos with the browser's cookies, renders the flow's ui.nodes as plain
// HTML forms posting to the flow's action (no script is needed to sign in), and shows every
// message in Chinese with Kratos' English beside it. An unknown, expired or foreign flow starts a
// new one; Kratos unreachable is a 503 page, never a 500.
//
// Terms: 登录 sign-in, 双因素认证 second factor (TOTP), 找回密码 recovery, 验证邮箱 verification.
package selfservice
