// What the case pages share: the names of states, kinds, actions and deadline statuses in Chinese
// and English, money and date formatting, and the idempotent submission of a step.
'use strict';

(function () {
  const ZC = {};
  window.ZC = ZC;

  // [zh, en, group]: group colours the badge (wait: the party or another person acts next; done;
  // end: closed without a decision).
  ZC.states = {
    lead: ['案源', 'lead'], verified: ['已核查', 'verified'], filed: ['已立案', 'filed'],
    investigating: ['调查取证', 'investigating'], reported: ['调查终结', 'investigation reported'],
    proposed: ['拟处罚', 'penalty proposed'], notified: ['已告知', 'prior notice served', 'wait'],
    hearing_requested: ['已申请听证', 'hearing requested', 'wait'], hearing_scheduled: ['已通知听证', 'hearing scheduled', 'wait'],
    hearing_held: ['已听证', 'hearing held'], in_review: ['法制审核中', 'in legal review', 'wait'],
    reviewed: ['审核通过', 'review passed'], discussed: ['已集体讨论', 'discussed'], decided: ['已决定', 'decided'],
    served: ['已送达', 'served', 'wait'], paid: ['已缴纳', 'paid', 'done'], enforcing: ['强制执行中', 'enforcing', 'wait'],
    not_penalised: ['不予处罚', 'not penalised', 'done'], suspended: ['中止', 'suspended', 'end'],
    terminated: ['终止', 'terminated', 'end'], transferred: ['已移送', 'transferred', 'end'],
    closed: ['结案', 'closed', 'done'], archived: ['归档', 'archived', 'end'],
    on_site: ['现场', 'on site'], planned: ['已计划', 'planned'], inspected: ['已检查', 'inspected'],
    correcting: ['整改中', 'correcting', 'wait'], requested: ['待批准', 'awaiting approval', 'wait'],
    approved: ['已批准', 'approved'], emergency: ['当场实施待补批', 'emergency, to approve', 'wait'],
    in_force: ['实施中', 'in force'], handled: ['已作处理决定', 'handled'], released: ['已解除', 'released', 'done'],
    pending: ['待催告', 'pending'], demanded: ['已催告', 'demand served', 'wait'],
    court_applied: ['已申请法院执行', 'court applied', 'wait'], executed: ['已执行', 'executed', 'done']
  };

  ZC.kinds = {
    penalty_general: ['行政处罚（普通程序）', 'penalty, general procedure'],
    penalty_summary: ['行政处罚（简易程序）', 'penalty, summary procedure'],
    inspection: ['行政检查', 'inspection'],
    coercion: ['行政强制措施', 'coercive measure'],
    enforcement: ['行政强制执行', 'enforcement of a decision']
  };

  // The main path of each kind, for the progress line on the case page.
  ZC.paths = {
    penalty_general: ['lead', 'verified', 'filed', 'investigating', 'reported', 'proposed', 'notified', 'reviewed', 'decided', 'served', 'paid', 'closed', 'archived'],
    penalty_summary: ['on_site', 'served', 'paid', 'closed', 'archived'],
    inspection: ['planned', 'inspected', 'correcting', 'closed', 'archived'],
    coercion: ['requested', 'approved', 'in_force', 'handled', 'closed', 'archived'],
    enforcement: ['pending', 'demanded', 'executed', 'closed', 'archived']
  };

  ZC.actions = {
    create: ['新建案件', 'case opened'], verify: ['核查案源', 'verify the lead'], dismiss: ['不予立案', 'dismiss the lead'],
    file: ['立案', 'file the case'], investigate: ['调查取证', 'investigate'], preserve: ['先行登记保存证据', 'register evidence for preservation'],
    decide_preservation: ['先行登记保存处理决定', 'decide on preserved evidence'], report: ['调查终结报告', 'investigation report'],
    propose: ['拟处罚意见（裁量）', 'propose the penalty'], notify: ['告知拟处罚及权利', 'serve the prior notice'],
    statement: ['陈述、申辩', 'statement and defence'], request_hearing: ['当事人申请听证', 'the party asks for a hearing'],
    waive_hearing: ['当事人放弃听证', 'the party waives the hearing'], schedule_hearing: ['听证通知', 'schedule the hearing'],
    hold_hearing: ['举行听证', 'hold the hearing'], submit_review: ['提交法制审核', 'submit for legal review'],
    pass_review: ['法制审核通过', 'pass the legal review'], return_review: ['法制审核退回', 'return from legal review'],
    discuss: ['负责人集体讨论', 'collective discussion'], decide: ['作出处罚决定', 'decide the penalty'],
    not_penalise: ['不予处罚', 'decide not to penalise'], serve: ['送达', 'serve'], pay: ['缴纳罚款 / 履行', 'record the payment'],
    refer_enforcement: ['转入强制执行', 'refer for enforcement'], decide_on_site: ['当场处罚', 'decide on the spot'],
    hand_over_cash: ['当场收缴罚款上交', 'hand over the cash'], inspect: ['实施检查', 'inspect'], conclude: ['检查结论', 'conclude the inspection'],
    verify_correction: ['整改复查', 'check the correction'], approve: ['批准实施强制措施', 'approve the measure'],
    emergency_take: ['情况紧急，当场实施', 'take the measure in an emergency'], approve_emergency: ['补办批准手续', 'approve the emergency measure'],
    take: ['实施强制措施', 'take the measure'], extend_term: ['延长强制措施期限', 'extend the term'], handle: ['作出处理决定', 'decide on the seized things'],
    release: ['解除强制措施', 'release the measure'], demand: ['催告', 'serve the demand notice'], assess_surcharge: ['加处罚款', 'assess the surcharge'],
    execute: ['强制执行', 'enforce'], apply_court: ['申请法院强制执行', 'apply to the court'], record_ruling: ['法院裁定', 'record the ruling'],
    add_evidence: ['上传证据', 'add evidence'], flag: ['标记重大、复杂案件', 'flag major or complex'], extend: ['延长办案期限', 'extend the time limit'],
    exclude_period: ['不计入期限的期间', 'period not counted'], recuse: ['回避', 'recusal'], suspend: ['中止', 'suspend'], resume: ['恢复', 'resume'],
    terminate: ['终止', 'terminate'], transfer: ['移送', 'transfer'], close: ['结案', 'close'], archive: ['归档', 'archive'],
    delivered: ['文书送达到达', 'a document reached the party']
  };

  // Actions taken in the field: the officer's position is worth recording with them.
  ZC.fieldActions = ['investigate', 'preserve', 'inspect', 'verify_correction', 'take', 'emergency_take', 'release', 'execute',
    'serve', 'decide_on_site', 'add_evidence'];

  ZC.deadlineStatus = {
    running: ['进行中', 'running'], warning: ['即将届满', 'due soon'], overdue: ['已逾期', 'overdue'],
    ended: ['已届满', 'ended'], waiting: ['等待期内', 'waiting'], open: ['等待期已过', 'may proceed'],
    paused: ['已中止计算', 'paused'], met: ['已满足', 'met'], info: ['当事人权利', 'the party’s remedy'],
    unknown_calendar: ['待节假日安排加载', 'waiting for the holiday notice']
  };

  ZC.permissions = {
    'cases.write': ['执法人员', 'officers'], 'cases.approve': ['执法主体负责人', 'the body head'], 'cases.review': ['法制审核人员', 'the legal reviewer']
  };

  ZC.methods = {
    direct: ['直接送达', 'in person'], on_the_spot: ['当场交付', 'on the spot'], post: ['邮寄送达', 'by post'],
    electronic: ['电子送达（须当事人同意）', 'electronic (with consent)'], left_at_address: ['留置送达', 'left at the address'],
    public_notice: ['公告送达', 'public notice']
  };
  ZC.leadSources = {
    complaint: ['投诉', 'complaint'], report: ['举报', 'report'], inspection: ['监督检查发现', 'found in an inspection'],
    transfer: ['移送', 'transferred'], monitoring: ['监测设备', 'monitoring device'], assignment: ['上级交办', 'assigned'], other: ['其他', 'other']
  };
  ZC.penaltyTypes = {
    warning: ['警告、通报批评', 'warning'], fine: ['罚款', 'fine'], confiscation: ['没收违法所得、非法财物', 'confiscation'],
    licence_susp: ['暂扣许可证件', 'licence suspended'], downgrade: ['降低资质等级', 'downgrade'], revocation: ['吊销许可证件', 'licence revoked'],
    restriction: ['限制生产经营、限制从业', 'restriction'], closure: ['责令停产停业、责令关闭', 'closure'], detention: ['行政拘留', 'detention']
  };
  ZC.evidenceKinds = {
    record: ['现场笔录、勘验笔录', 'on-site record'], documentary: ['书证', 'documentary'], physical: ['物证', 'physical'],
    audiovisual: ['视听资料', 'audiovisual'], electronic: ['电子数据', 'electronic data'], witness: ['证人证言', 'witness'],
    statement: ['当事人的陈述', 'party’s statement'], expert: ['鉴定意见', 'expert opinion']
  };
  ZC.inspectionBasis = { random: ['双随机抽查', 'random'], targeted: ['重点检查', 'targeted'], complaint: ['投诉举报', 'complaint'], joint: ['联合检查', 'joint'] };
  ZC.measureTypes = { seal: ['查封', 'seal up'], seize: ['扣押', 'seize'], freeze: ['冻结存款、汇款', 'freeze'] };

  ZC.name = function (table, v) { return (table[v] || [v || '', v || ''])[0]; };
  ZC.en = function (table, v) { return (table[v] || [v || '', v || ''])[1]; };

  ZC.stateBadge = function (s) {
    const st = ZC.states[s] || [s, s];
    return Z.el('span', { class: 'badge badge-state' + (st[2] ? ' st-' + st[2] : ''), 'data-state': s, title: st[1] }, st[0] + ' ', Z.el('span', { lang: 'en', text: st[1] }));
  };
  ZC.kindBadge = function (k) {
    const kd = ZC.kinds[k] || [k, k];
    return Z.el('span', { class: 'badge badge-kind', title: kd[1] }, kd[0]);
  };

  // cnNum writes 1..99 in Chinese numerals, as citations do (第十二款, 第（五）项).
  ZC.cnNum = function (n) {
    const d = '零一二三四五六七八九';
    if (n < 10) return d[n];
    return (n >= 20 ? d[Math.floor(n / 10)] : '') + '十' + (n % 10 ? d[n % 10] : '');
  };

  // yuan writes fen for a table, a list or a message as the server does (kernel/money's
  // Fen.String): ¥5,000.00, ¥0.01, -¥12.50.
  ZC.yuan = function (fen) {
    const n = Math.round(Number(fen || 0)), a = Math.abs(n);
    return (n < 0 ? '-' : '') + '¥' + String(Math.floor(a / 100)).replace(/\B(?=(\d{3})+$)/g, ',') + '.' + String(a % 100).padStart(2, '0');
  };
  // toFen reads an amount in yuan ("1,234.5") as fen, or null when empty; NaN when not a number.
  ZC.toFen = function (s) {
    s = String(s === undefined || s === null ? '' : s).replace(/[,，\s¥￥]/g, '');
    if (s === '') return null;
    if (!/^\d+(\.\d{1,2})?$/.test(s)) return NaN;
    return Math.round(parseFloat(s) * 100);
  };
  // fenToYuan writes fen for an input field as the server does (Fen.Input): 5000, 5000.50; empty
  // for none.
  ZC.fenToYuan = function (fen) {
    if (!fen) return '';
    const n = Math.round(Number(fen)), a = Math.abs(n);
    return (n < 0 ? '-' : '') + Math.floor(a / 100) + (a % 100 ? '.' + String(a % 100).padStart(2, '0') : '');
  };

  const weekdays = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
  ZC.weekday = function (date) {
    const p = String(date).slice(0, 10).split('-').map(Number);
    if (p.length !== 3 || p.some(isNaN)) return '';
    return weekdays[new Date(Date.UTC(p[0], p[1] - 1, p[2])).getUTCDay()];
  };
  ZC.pad = function (n) { return String(n).padStart(2, '0'); };
  // today is today's date in China (the platform's days are China days).
  ZC.today = function () {
    const d = new Date(Date.now() + 8 * 3600 * 1000);
    return d.getUTCFullYear() + '-' + ZC.pad(d.getUTCMonth() + 1) + '-' + ZC.pad(d.getUTCDate());
  };
  // showDue renders a due day (or moment) with its weekday.
  ZC.showDue = function (s) {
    if (!s) return '';
    if (s.length > 10) return s.replace('T', ' ').replace(/:00(\+08:00)?$/, '').replace('+08:00', '') + '（北京时间）';
    return s + '（' + ZC.weekday(s) + '）';
  };
  // ruleText is the citation of a rule an answer carries (a step's, a refusal's), as the API
  // wrote it: its cite, or the basis in words a documents refusal names (行政处罚法第五十九条).
  ZC.ruleText = function (r) { return r ? r.cite || (String(r.article || '').includes('条') ? r.article : '') : ''; };
  // cite is one of the legal bases a page states beside a field (the console's pageCites, written
  // by the server's rules catalogue into the body's data-cites).
  let cites = null;
  ZC.cite = function (key) {
    if (!cites) cites = JSON.parse(document.body.dataset.cites || '{}');
    return cites[key] || '';
  };

  // names resolves the people of a case (identity IDs) to names: officers by their records, the
  // signed-in user, and, in the embedded demo, the demo accounts.
  ZC.names = new Map();
  ZC.loadNames = async function (ctx, officers, devLogin) {
    if (ctx && ctx.me) ZC.names.set(ctx.me.identity_id, ctx.me.name);
    for (const o of officers || []) if (o.identity_id) ZC.names.set(o.identity_id, o.name);
    if (devLogin) {
      const r = await Z.api('GET', '/api/v1/dev/accounts', { noTenant: true, allow401: true });
      if (r.ok) for (const a of r.data.accounts || []) if (!ZC.names.has(a.identity_id)) ZC.names.set(a.identity_id, a.name);
    }
  };
  ZC.who = function (id) {
    if (!id) return '';
    if (ZC.names.has(id)) return ZC.names.get(id);
    if (id.startsWith('system:')) return '系统 ' + id.slice(7);
    return id.slice(0, 8) + '…';
  };

  // officers lists the officers of a body (all pages of it).
  ZC.officersOf = async function (bodyID) {
    const r = await Z.api('GET', '/api/v1/officers?limit=200&body_id=' + encodeURIComponent(bodyID));
    return r.ok ? (r.data.officers || []) : [];
  };
  ZC.certValid = function (o, on) {
    const c = o.certificate || {};
    return c.status === 'valid' && (!c.issued_on || c.issued_on <= on) && (!c.expires_on || c.expires_on >= on);
  };

  // submitOnce sends a step (POST path with body) under an Idempotency-Key kept on the form: a retry
  // of the same submission (after a network failure, or a second click) sends the same key, so the
  // platform records it once; changing the form starts a new submission with a new key.
  ZC.submitOnce = async function (form, path, opts) {
    if (!form.dataset.idemKey) form.dataset.idemKey = Z.uuid();
    if (!form.dataset.idemBound) {
      form.dataset.idemBound = '1';
      const reset = function () { delete form.dataset.idemKey; };
      form.addEventListener('input', reset);
      form.addEventListener('change', reset);
    }
    const key = form.dataset.idemKey;
    const r = await Z.api('POST', path, Object.assign({}, opts, { headers: Object.assign({ 'Idempotency-Key': key }, (opts || {}).headers) }));
    if (r.ok) delete form.dataset.idemKey;
    r.key = key;
    return r;
  };

  // refusal renders a refused request: the rule and article that refused it first, then the
  // message in Chinese and English, then the fields with no place of their own.
  ZC.refusal = function (r, rest) {
    const d = r.data || {};
    const box = Z.el('div', { class: 'refusal', role: 'alert', 'data-code': d.code || '', 'data-status': String(r.status) });
    if (d.rule) {
      box.dataset.rule = d.rule.id || '';
      box.append(Z.el('strong', { class: 'refusal-rule' }, '依据 ' + ZC.ruleText(d.rule) + ' 不予办理',
        d.rule.id ? Z.el('span', { class: 'rule-id', text: d.rule.id }) : null));
    } else if (r.status === 409) {
      box.append(Z.el('strong', { class: 'refusal-rule', text: '案件状态已变化 The case has changed' }));
    } else if (r.status === 0) {
      box.append(Z.el('strong', { class: 'refusal-rule', text: '网络中断 Network error' }));
    }
    const m = d.message || {};
    box.append(Z.el('p', { class: 'refusal-zh', text: m.zh || ('HTTP ' + r.status) }));
    if (m.en) box.append(Z.el('p', { class: 'en refusal-en', lang: 'en', text: m.en }));
    if (r.status === 0) box.append(Z.el('p', { text: '可直接重试：同一提交不会被重复记录。', class: 'hint' }, Z.el('span', { lang: 'en', text: ' Retry: the same submission is recorded once.' })));
    if (rest && rest.length) {
      const ul = Z.el('ul', { class: 'refusal-fields' });
      for (const f of rest) ul.append(Z.el('li', {}, Z.el('span', { class: 'mono', text: f.field }), '：' + Z.msg(f.message)));
      box.append(ul);
    }
    if (d.request_id) box.append(Z.el('p', { class: 'hint mono', text: 'request_id ' + d.request_id }));
    return box;
  };

  // showRefusal puts a refusal at the top of a form and each field error under its field.
  ZC.showRefusal = function (form, r) {
    ZC.clearRefusal(form);
    const rest = [];
    let first = null;
    for (const f of (r.data && r.data.fields) || []) {
      const box = form.querySelector('[data-field="' + CSS.escape(f.field) + '"]');
      const p = box && box.querySelector('.field-error');
      if (!p) { rest.push(f); continue; }
      p.textContent = (p.textContent ? p.textContent + '；' : '') + Z.msg(f.message);
      p.hidden = false;
      const input = box.querySelector('input, select, textarea');
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        if (!first) first = input;
      }
    }
    const box = ZC.refusal(r, rest);
    form.prepend(box);
    box.scrollIntoView({ block: 'nearest' });
    if (first) first.focus({ preventScroll: true });
  };
  ZC.clearRefusal = function (form) {
    form.querySelectorAll('.refusal').forEach(function (b) { b.remove(); });
    Z.clearFormErrors(form);
  };

  // locate asks the device for its position without ever making the caller wait: it resolves to
  // {location} or {error}, at the latest after a timeout.
  ZC.locate = function () {
    return new Promise(function (resolve) {
      if (!('geolocation' in navigator)) { resolve({ error: 'unsupported' }); return; }
      if (!window.isSecureContext) { resolve({ error: 'insecure' }); return; }
      let done = false;
      const finish = function (v) { if (!done) { done = true; resolve(v); } };
      setTimeout(function () { finish({ error: 'timeout' }); }, 12000);
      try {
        navigator.geolocation.getCurrentPosition(function (pos) {
          finish({ location: { lat: pos.coords.latitude, lng: pos.coords.longitude, accuracy_m: Math.min(100000, Math.round(pos.coords.accuracy || 0)) } });
        }, function (err) { finish({ error: err && err.code === 1 ? 'denied' : 'unavailable' }); },
        { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
      } catch (e) { finish({ error: 'unavailable' }); }
    });
  };
  ZC.geoText = function (g) {
    if (!g) return ['正在获取位置…', 'locating…'];
    if (g.location) return ['已记录位置 ' + g.location.lat.toFixed(5) + ', ' + g.location.lng.toFixed(5) + '（±' + g.location.accuracy_m + ' 米）', 'location recorded'];
    const why = { unsupported: ['设备不支持定位', 'no location service'], insecure: ['非安全连接，浏览器不提供定位', 'location needs a secure connection'],
      denied: ['未获准定位', 'location not allowed'], timeout: ['定位超时', 'location timed out'], unavailable: ['无法定位', 'location unavailable'] }[g.error] || ['无法定位', 'location unavailable'];
    return [why[0] + '，不影响提交', why[1] + '; the step is recorded without it'];
  };
}());
