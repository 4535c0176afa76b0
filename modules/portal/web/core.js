// Shared code of the citizen portal's pages: the API client, DOM helpers and messages in
// Chinese with English. Each page's own script registers with P.ready.
'use strict';

(function () {
  const P = {};
  window.P = P;

  // The DOM helpers are the console's (dom.js, served with the portal's files, loaded first).
  P.el = DOM.el;
  P.bi = DOM.bi;
  P.msg = DOM.msg;

  // api calls the portal API with the session cookie; it resolves to {ok, status, data}. A 401
  // sends the browser to sign in and back.
  P.api = async function (method, url, opts) {
    opts = opts || {};
    const headers = Object.assign({ Accept: 'application/json' }, opts.headers || {});
    let body;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    let res;
    try {
      res = await fetch(url, { method: method, headers: headers, body: body, credentials: 'same-origin', cache: 'no-store' });
    } catch (err) {
      return { ok: false, status: 0, data: { message: { zh: '网络连接失败', en: 'network error' } } };
    }
    if (res.status === 401) {
      let next = '';
      try { next = DOM.nextPage(await res.clone().json()); } catch (err) { next = ''; }
      location.assign(next || '/portal/login?next=' + encodeURIComponent(location.pathname + location.search));
      return { ok: false, status: 401, data: {} };
    }
    let data = {};
    if (res.status !== 204) {
      try { data = await res.json(); } catch (err) { data = {}; }
    }
    return { ok: res.ok, status: res.status, data: data, retryAfter: res.headers.get('Retry-After') };
  };

  // errorText is an API error's message, with the fields it names.
  P.errorText = function (r) {
    const d = r.data || {};
    let s = P.msg(d.message) || ('HTTP ' + r.status);
    for (const f of d.fields || []) s += '；' + f.field + '：' + P.msg(f.message);
    return s;
  };

  // status writes a message into a status element; kind 'error' or 'ok' marks it.
  P.status = function (el, text, kind) {
    el.textContent = text || '';
    el.classList.toggle('form-error', kind === 'error');
    el.classList.toggle('form-ok', kind === 'ok');
  };

  // paymentLabels name a payment's statuses.
  P.paymentLabels = { pending: '待确认 pending', paid: '已缴纳 paid', expired: '已过期 expired', failed: '未成功 failed', refunded: '已退款 refunded' };

  // yuan writes fen as the server writes an amount in a table (kernel/money's Fen.String):
  // ¥5,000.00, ¥0.01, -¥12.50.
  P.yuan = function (fen) {
    const n = Math.round(Number(fen || 0)), a = Math.abs(n);
    return (n < 0 ? '-' : '') + '¥' + String(Math.floor(a / 100)).replace(/\B(?=(\d{3})+$)/g, ',') + '.' + String(a % 100).padStart(2, '0');
  };

  P.fmtTime = function (s) {
    if (!s) return '';
    const d = new Date(s);
    return isNaN(d) ? s : d.toLocaleString('zh-CN', { hour12: false });
  };

  // ready runs a page's script once the document is parsed; when the script (async) has shown
  // the page's data, the body is marked data-ready="true", which the browser tests wait for.
  P.ready = function (fn) {
    const run = async function () {
      try {
        await fn();
      } finally {
        document.body.dataset.ready = 'true';
      }
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
    else run();
  };

  // key returns a fresh idempotency key.
  P.key = function () {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return String(Date.now()) + '-' + String(Math.random()).slice(2);
  };
})();
