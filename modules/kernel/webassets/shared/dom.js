// DOM helpers shared by the staff console (console/static/core.js) and the citizen portal
// (portal/web/core.js), served once at /static/dom.js: building elements and showing Chinese with
// English beside it. Loaded before either core.js.
'use strict';

(function () {
  const DOM = {};
  window.DOM = DOM;

  // nextPage is the page that resolves a failed API answer's error (its "next": the second
  // factor's sign-in or settings page), coming back to this page; "" when it names none.
  DOM.nextPage = function (data) {
    const next = data && typeof data.next === 'string' && data.next.startsWith('/') && !data.next.startsWith('//') ? data.next : '';
    if (!next) return '';
    return next + (next.includes('?') ? '&' : '?') + 'return_to=' + encodeURIComponent(location.href);
  };

  // el builds an element: el('a', {href: '/x', class: 'y', text: 'z'}, child, ...). Attributes
  // starting with "on" are event listeners; true/false set or omit boolean attributes.
  DOM.el = function (tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
      else if (v === true) e.setAttribute(k, '');
      else e.setAttribute(k, String(v));
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  };

  // bi renders Chinese text with its English beside it.
  DOM.bi = function (zh, en) {
    const s = DOM.el('span', {}, zh);
    if (en) s.append(' ', DOM.el('span', { class: 'en', lang: 'en', text: en }));
    return s;
  };

  // msg renders an API message {zh, en} (or a plain string) as one line.
  DOM.msg = function (m) {
    if (!m) return '';
    if (typeof m === 'string') return m;
    return [m.zh, m.en].filter(Boolean).join(' / ');
  };
})();
