// Package console serves the staff console (工作台), staff pages only: server-rendered page
// shells (html/template) with embedded static CSS and JavaScript that call the JSON API with the
// session cookie. There is no build step and nothing is loaded from another host, so the pages
// work on intranets without Internet access, and the strict Content-Security-Policy of the server
// holds: no inline script or style anywhere.
//
// Legal citations are never written by a page: a deadline, a step's rule, a refusal and the
// calculator's answer carry theirs (cite, shift_basis) from the rules catalogue, and the fixed
// bases a form's help text states come from pageCites, which the server writes into the page
// (templates: .Cites; scripts: ZC.cite, from the body's data-cites).
//
// Pages (Chinese first, English alongside):
//
//	/login               登录: the dev-login panel (开发登录) when it is on, else the identity-service notice
//	/logout              退出登录: ends a dev-login session and returns to /login
//	/console             概览 (dashboard): who am I, and at which tenant
//	/console/tenants     租户 (tenant tree) and the form to create a child tenant
//	/console/settings    设置 (effective settings, source, lock 下级不得修改) and the audit list
//	/console/elements    要素库 (bodies 执法主体, officers 执法人员, laws 法律法规, matters 执法事项,
//	                     benchmarks 裁量基准): search and create
//	/console/import      批量导入 (bulk import of CSV or JSON) with the per-row error report
//	/console/deadlines   期限计算 (the deadline calculator, the holiday calendar, and for root
//	                     operators the form that enters a year's notice: number, date, holiday
//	                     ranges, make-up workdays, each refused field named under it)
//	/console/cases       我的案件 (my cases): filters (state, kind, mine, overdue), search by case code
//	                     or party, the next deadline of each case; the form that opens a case
//	/console/cases/{id}  案件详情 (a case): the running deadlines with their articles and how they were
//	                     counted, the next steps with the form of each (hand-written for the daily
//	                     steps, from the OpenAPI request schema for the rest), the record, evidence
//	                     upload and download with SHA-256, the documents issued with the steps and
//	                     whether each was served, and the verification of the hash chain
//	/console/templates   文书模板 (document templates): copy, edit, preview with a real case, publish
//	/console/documents/{id} 执法文书 (an issued document): its HTML rendering, number, signature, PDF
//	/console/static/...  the console's own scripts and stylesheets (webassets: content-hashed
//	                     addresses); the shared app.css, dom.js and favicon.svg are at /static/
//
// The citizen's pages, the inbox of served documents included, are the portal's (modules/portal);
// a party signing in here, or arriving at /, is sent to Config.CitizenHome (the portal's inbox).
//
// Every step of a case is sent with an Idempotency-Key kept on its form until the form changes, so
// a retry after a lost answer is recorded once; field steps add the device's position when the
// browser gives it, and never wait for it.
//
// While a holiday notice needed today is not loaded (next year's from 1 November), every staff
// page shows a banner under the navigation naming the year and the operators who can load it,
// with a link to the cases waiting for it (the case list's calendar_wait filter) and, for those
// operators, to the form (core.js, GET /api/v1/calendar/status).
//
// The page handlers only check that the request has a session (else they redirect to /login);
// what the user may see and change is decided by the API, never here. The scripts ask it too:
// GET /api/v1/me at the current tenant lists the actions allowed there, each with the bodies it
// applies to, and what the user administers (authz.Me); menus, shortcuts (data-needs) and
// buttons are shown from that answer (core.js: Z.can, Z.bodiesFor, Z.administers), and no script
// works out a role rule itself.
package console
