// The deadline calculator: pick a rule and the event's date (or date-time for hour rules), see the
// due date, the article and every skipped day with its reason; the holiday calendar by year, and the
// form that enters a year's notice (number, date, holiday ranges, make-up workdays) for root tenant
// operators (#load=2027 opens it for that year). A link like /console/deadlines#rule=penalty.delivery&from=2025-09-30
// computes at once.
'use strict';

Z.ready(async function (ctx) {
  const units = {
    working_day: ['个工作日', 'working days'], calendar_day: ['日', 'calendar days'], month: ['个月', 'months'],
    year: ['年', 'years'], hour: ['小时', 'clock hours']
  };
  const weekdays = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
  const form = document.getElementById('due-form');
  const sel = document.getElementById('d-rule');
  const info = document.getElementById('d-rule-info');
  const from = document.getElementById('d-from');
  const fromLabel = document.getElementById('d-from-label');
  const fromHint = document.getElementById('d-from-hint');
  const result = document.getElementById('due-result');
  const byId = new Map();

  function weekday(date) {
    const p = date.slice(0, 10).split('-').map(Number);
    return weekdays[new Date(Date.UTC(p[0], p[1] - 1, p[2])).getUTCDay()];
  }
  function pad(n) { return String(n).padStart(2, '0'); }
  function today() {
    const d = new Date();
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
  }
  function amountText(r, n) {
    const u = units[r.unit] || [r.unit, r.unit];
    return n + u[0] + ' / ' + n + ' ' + u[1];
  }
  function sourceText(src) {
    if (!src || src === 'statute') return '法定 statutory';
    if (src.startsWith('tenant:')) return '租户设置 tenant setting：' + Z.tenantName(src.slice(7));
    if (src.startsWith('body:')) return '执法主体设置 body setting：' + src.slice(5);
    return '租户设置 tenant setting';
  }
  function showDate(s, unit) {
    if (unit === 'hour') return s.replace('T', ' ').replace(/:00\+08:00$/, '').replace('+08:00', '') + '（北京时间）';
    return s + '（' + weekday(s) + '）';
  }

  // The catalogue, grouped by law.
  const r = await Z.api('GET', '/api/v1/rules');
  if (!r.ok) {
    form.querySelector('.form-error').textContent = '无法加载期限目录：' + Z.errorText(r);
    form.querySelector('.form-error').hidden = false;
    return;
  }
  const groups = new Map();
  for (const rule of r.data.rules || []) {
    byId.set(rule.id, rule);
    if (!groups.has(rule.law)) groups.set(rule.law, Z.el('optgroup', { label: rule.law }));
    groups.get(rule.law).append(Z.el('option', { value: rule.id,
      text: rule.title.zh + '（' + (rule.article ? rule.cite + '，' : '') + amountText(rule, rule.amount).split(' / ')[0] + '）' }));
  }
  for (const g of groups.values()) sel.append(g);

  function ruleChanged() {
    const rule = byId.get(sel.value);
    if (!rule) return;
    info.textContent = '';
    info.append(Z.el('span', {}, Z.el('strong', { text: rule.cite }), ' ', rule.title.en, Z.el('br'),
      '期间 Period：' + amountText(rule, rule.amount) + '（' + sourceText(rule.amount_source) + (rule.amount !== rule.default ? '；法定 ' + rule.default : '') + '）',
      Z.el('br'), '起算 From：' + rule.from_title.zh + ' / ' + rule.from_title.en,
      rule.party_deadline ? Z.el('span', { class: 'badge badge-own', text: '当事人期限 party’s deadline' }) : null,
      rule.before ? Z.el('span', { class: 'badge badge-tier', text: '倒数 counted back' }) : null,
      rule.wait ? Z.el('span', { class: 'badge badge-final', text: '等待期 waiting period' }) : null,
      rule.basis ? Z.el('span', { class: 'basis', text: rule.basis }) : null));
    const hour = rule.unit === 'hour';
    const old = from.value;
    if (hour && from.type !== 'datetime-local') {
      from.type = 'datetime-local';
      from.value = (old || today()).slice(0, 10) + 'T09:00';
    } else if (!hour && from.type !== 'date') {
      from.type = 'date';
      from.value = (old || today()).slice(0, 10);
    }
    fromLabel.textContent = '';
    fromLabel.append(hour ? '起算时刻 ' : '起算日 ', Z.el('span', { class: 'en', lang: 'en', text: hour ? 'From (date and time)' : 'From' }));
    fromHint.textContent = (hour ? '北京时间，按钟点计算。' : '当日不计入，自次日起算。') +
      (hour ? 'China time; clock hours.' : 'That day is not counted.');
  }
  sel.addEventListener('change', ruleChanged);

  function fromParam() {
    const rule = byId.get(sel.value);
    let v = from.value.trim();
    if (rule && rule.unit === 'hour' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) v += ':00+08:00';
    return v;
  }

  function cell(label, ...content) { return Z.el('td', { 'data-label': label }, ...content); }

  function render(d) {
    const rule = d.rule;
    const head = rule.before ? ['最迟日', 'Latest day'] : rule.wait ? ['等待期届满', 'Waiting ends'] : ['届满日', 'Due'];
    result.textContent = '';
    result.append(
      Z.el('p', { class: 'due-label' }, head[0], ' ', Z.el('span', { class: 'en', lang: 'en', text: head[1] })),
      Z.el('p', { class: 'due-date', id: 'due-date', 'data-due': d.due, text: showDate(d.due, d.unit) }));
    if (d.shifted) {
      result.append(Z.el('p', { class: 'notice' }, '原届满日 ', Z.el('strong', { text: showDate(d.raw_due, d.unit) }),
        ' 为休息日，依' + d.shift_basis + '顺延。', Z.el('span', { class: 'en', lang: 'en', text: ' The raw end ' + d.raw_due + ' was a rest day; moved to the next working day.' })));
    }
    if (!rule.party_deadline && ['calendar_day', 'month', 'year'].includes(d.unit)) {
      result.append(Z.el('p', { class: 'notice notice-warn' }, '机关自身期限，不因节假日顺延，请在此日前完成。',
        Z.el('span', { class: 'en', lang: 'en', text: ' The agency’s own limit: not shifted for rest days.' })));
    }
    const facts = Z.el('dl', { class: 'facts' });
    const fact = function (dt, ...dd) { facts.append(Z.el('dt', { text: dt }), Z.el('dd', {}, ...dd)); };
    fact('期限 Rule', Z.bi(rule.title.zh, rule.title.en));
    fact('依据 Basis', Z.el('strong', { id: 'due-article', text: rule.cite }));
    fact('起算 From', showDate(d.from, d.unit), Z.el('br'), Z.el('span', { class: 'muted', text: rule.from_title.zh }));
    fact('期间 Period', amountText(rule, d.amount), Z.el('br'), Z.el('span', { class: 'muted', text: sourceText(d.source) }));
    result.append(facts);
    result.append(Z.el('p', { class: 'explain', id: 'due-explain', text: d.explanation.zh }),
      Z.el('p', { class: 'explain en', lang: 'en', text: d.explanation.en }));
    if (d.skipped.length) {
      const tb = Z.el('tbody');
      for (const s of d.skipped) {
        tb.append(Z.el('tr', { class: 'skip-' + s.kind }, cell('日期 Date', Z.el('span', { class: 'mono', text: s.date })),
          cell('星期 Day', weekday(s.date)), cell('原因 Reason', s.reason)));
      }
      result.append(Z.el('h3', {}, '跳过的日期 ', Z.el('span', { class: 'en', lang: 'en', text: 'Days skipped' }), '（' + d.skipped.length + '）'),
        Z.el('div', { class: 'table-wrap' }, Z.el('table', { class: 'table table-stack', id: 'skipped' },
          Z.el('thead', {}, Z.el('tr', {}, Z.el('th', { scope: 'col', text: '日期 Date' }), Z.el('th', { scope: 'col', text: '星期 Day' }),
            Z.el('th', { scope: 'col', text: '原因 Reason' }))), tb)));
    }
    if (d.makeup_workdays.length) {
      const ul = Z.el('ul', { class: 'plain', id: 'makeup' });
      for (const m of d.makeup_workdays) ul.append(Z.el('li', {}, Z.el('span', { class: 'mono', text: m.date }), ' ' + weekday(m.date) + ' ', m.reason));
      result.append(Z.el('h3', {}, '计入的调休上班日 ', Z.el('span', { class: 'en', lang: 'en', text: 'Make-up workdays counted' })), ul);
    }
    result.hidden = false;
    result.focus();
  }

  async function compute() {
    Z.clearFormErrors(form);
    result.hidden = true;
    const v = fromParam();
    if (!sel.value) return;
    const res = await Z.api('GET', '/api/v1/rules/' + encodeURIComponent(sel.value) + '/due?from=' + encodeURIComponent(v));
    if (!res.ok) { Z.showFormErrors(form, res); return; }
    history.replaceState(null, '', '#rule=' + encodeURIComponent(sel.value) + '&from=' + encodeURIComponent(v));
    render(res.data);
  }
  form.addEventListener('submit', function (ev) { ev.preventDefault(); compute(); });

  // Deep link: #rule=...&from=... picks the rule and the date and computes.
  async function applyHash() {
    const hash = new URLSearchParams(location.hash.slice(1));
    if (hash.get('rule') && byId.has(hash.get('rule'))) sel.value = hash.get('rule');
    ruleChanged();
    if (!from.value) from.value = byId.get(sel.value) && byId.get(sel.value).unit === 'hour' ? today() + 'T09:00' : today();
    if (hash.get('from')) {
      const f = hash.get('from');
      from.value = from.type === 'datetime-local' ? f.slice(0, 16) : f.slice(0, 10);
      if (hash.get('rule')) await compute();
    }
  }
  window.addEventListener('hashchange', applyHash);
  await applyHash();

  // The calendar by year.
  const years = document.getElementById('cal-years');
  const yearBox = document.getElementById('cal-year');
  const calStatus = document.getElementById('cal-status');
  const sources = { loaded: '已加载 loaded', embedded: '内置 built-in', none: '未发布 not announced' };

  async function showYear(y) {
    const res = await Z.api('GET', '/api/v1/calendar/' + y);
    yearBox.textContent = '';
    if (!res.ok) { yearBox.append(Z.el('p', { class: 'notice-error', text: Z.errorText(res) })); yearBox.hidden = false; return; }
    const c = res.data;
    yearBox.append(Z.el('h3', {}, y + ' 年 ', Z.el('span', { class: 'badge ' + (c.known ? 'badge-own' : 'badge-locked'), text: sources[c.source] || c.source })));
    if (c.loaded_at) yearBox.append(Z.el('p', { class: 'muted', text: '加载 Loaded：' + Z.fmtTime(c.loaded_at) + ' · ' + c.loaded_by + ' · rev ' + c.revision }));
    for (const p of c.schedule.papers || []) yearBox.append(Z.el('p', { class: 'mono muted paper', text: p }));
    if (!c.known) {
      yearBox.append(Z.el('p', { class: 'notice notice-warn', text: '该年节假日安排尚未加载：需要该年日期的期限待加载后计算。/ Not loaded: periods that need this year wait for it.' }));
    }
    if (c.dates.length) {
      const tb = Z.el('tbody');
      for (const d of c.dates) {
        const work = d.kind === 'makeup_workday';
        tb.append(Z.el('tr', { class: work ? 'day-work' : 'day-off' }, cell('日期 Date', Z.el('span', { class: 'mono', text: d.date })),
          cell('星期 Day', weekday(d.date)), cell('名称 Name', d.name || ''), cell('类型 Kind', work ? '上班 workday' : '休息 rest day')));
      }
      yearBox.append(Z.el('div', { class: 'table-wrap' }, Z.el('table', { class: 'table table-stack' },
        Z.el('thead', {}, Z.el('tr', {}, ['日期 Date', '星期 Day', '名称 Name', '类型 Kind'].map(function (h) { return Z.el('th', { scope: 'col', text: h }); }))), tb)));
    }
    if ((c.history || []).length) {
      const ul = Z.el('ul', { class: 'plain' });
      for (const h of c.history) ul.append(Z.el('li', { text: 'rev ' + h.revision + ' · ' + Z.fmtTime(h.at) + ' · ' + h.actor + ' @ ' + (h.acting_tenant || 'system') + (h.replaced ? '（替换 replaced）' : '') }));
      yearBox.append(Z.el('h3', {}, '加载记录 ', Z.el('span', { class: 'en', lang: 'en', text: 'Loads' })), ul);
    }
    yearBox.hidden = false;
    for (const b of years.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.year === String(y)));
  }

  async function loadYears() {
    const res = await Z.api('GET', '/api/v1/calendar');
    years.textContent = '';
    if (!res.ok) { calStatus.textContent = '无法加载节假日安排：' + Z.errorText(res); return; }
    calStatus.textContent = '';
    for (const c of res.data.years || []) {
      years.append(Z.el('li', {}, Z.el('button', { type: 'button', class: 'year ' + (c.known ? 'is-known' : 'is-unknown'), 'data-year': c.year,
        'aria-pressed': 'false', title: sources[c.source] || c.source, onclick: function () { showYear(c.year); } },
      String(c.year), Z.el('span', { class: 'src', text: c.source === 'loaded' ? '已加载' : c.known ? '' : '未知' }))));
    }
  }
  await loadYears();

  // The notice form, for operators of a root tenant; the API checks it again and names each
  // field it refuses (holidays[1].last, makeup_workdays[0].date, notice ...).
  const root = ctx.current && !ctx.current.parent_id;
  if (root && Z.can('tenants.write')) noticeForm(years, showYear, loadYears, weekday);
});

// noticeForm sets up the form that enters a year's notice: its number and date, the holiday
// ranges and the make-up workdays, each a row of fields named as the API names them.
function noticeForm(years, showYear, loadYears, weekday) {
  const loader = document.getElementById('cal-loader');
  const form = document.getElementById('load-form');
  const $ = function (id) { return document.getElementById(id); };
  const holidays = $('l-holidays');
  const makeup = $('l-makeup');
  const summary = $('l-summary');
  loader.hidden = false;

  function field(name, label, input) {
    const err = Z.el('p', { class: 'field-error', hidden: true });
    return Z.el('div', { class: 'field', 'data-part': name }, Z.el('label', {}, label[0] + ' ', Z.el('span', { class: 'en', lang: 'en', text: label[1] })), input, err);
  }
  function removeButton(row, what) {
    return Z.el('button', { type: 'button', class: 'button-secondary row-remove', 'aria-label': '删除此' + what[0] + ' remove this ' + what[1],
      onclick: function () { row.remove(); renumber(); } }, '删除 ', Z.el('span', { class: 'en', lang: 'en', text: 'remove' }));
  }
  function holidayRow(h) {
    h = h || {};
    const row = Z.el('li', { class: 'notice-row holiday-row' });
    row.append(
      field('name', ['假期', 'Holiday'], Z.el('input', { type: 'text', name: 'name', maxlength: '50', list: 'holiday-names', value: h.name || '', required: true })),
      field('first', ['首日', 'First day'], Z.el('input', { type: 'date', name: 'first', value: h.first || '', required: true })),
      field('last', ['末日', 'Last day'], Z.el('input', { type: 'date', name: 'last', value: h.last || '', required: true })),
      removeButton(row, ['段假期', 'holiday']));
    holidays.append(row);
    renumber();
    return row;
  }
  function makeupRow(m) {
    m = m || {};
    const row = Z.el('li', { class: 'notice-row makeup-row' });
    row.append(
      field('date', ['上班日期', 'Date'], Z.el('input', { type: 'date', name: 'date', value: m.date || '', required: true })),
      field('name', ['所属假期', 'For the holiday'], Z.el('input', { type: 'text', name: 'name', maxlength: '50', list: 'holiday-names', value: m.name || '', required: true })),
      removeButton(row, ['个调休上班日', 'make-up day']));
    makeup.append(row);
    renumber();
    return row;
  }
  // renumber names each row's fields as the API does, so that its errors land under them.
  function renumber() {
    for (const [list, key] of [[holidays, 'holidays'], [makeup, 'makeup_workdays']]) {
      list.querySelectorAll(':scope > li').forEach(function (row, i) {
        row.querySelectorAll('.field[data-part]').forEach(function (f) {
          f.dataset.field = key + '[' + i + '].' + f.dataset.part;
          const input = f.querySelector('input');
          const err = f.querySelector('.field-error');
          input.id = 'l-' + key + '-' + i + '-' + f.dataset.part;
          err.id = input.id + '-err';
          input.setAttribute('aria-describedby', err.id);
          f.querySelector('label').htmlFor = input.id;
        });
      });
    }
    summarise();
  }
  function value(row, name) { return row.querySelector('input[name="' + name + '"]').value.trim(); }
  function body() {
    const paper = $('l-paper').value.trim();
    return {
      notice: $('l-notice').value.trim(), notice_date: $('l-notice-date').value, papers: paper ? [paper] : [],
      holidays: [...holidays.children].map(function (r) { return { name: value(r, 'name'), first: value(r, 'first'), last: value(r, 'last') }; }),
      makeup_workdays: [...makeup.children].map(function (r) { return { name: value(r, 'name'), date: value(r, 'date') }; })
    };
  }
  // summarise counts the rest days the ranges give and names each make-up day's weekday.
  function summarise() {
    const b = body();
    let off = 0;
    for (const h of b.holidays) {
      const n = (Date.parse(h.last) - Date.parse(h.first)) / 86400000 + 1;
      if (n > 0) off += n;
    }
    const days = b.makeup_workdays.filter(function (m) { return m.date; }).map(function (m) { return m.date + weekday(m.date); });
    summary.textContent = '共 ' + off + ' 个休息日，' + days.length + ' 个调休上班日' + (days.length ? '（' + days.join('、') + '）' : '') +
      ' / ' + off + ' rest days, ' + days.length + ' make-up workdays';
  }
  form.addEventListener('input', summarise);
  $('l-add-holiday').addEventListener('click', function () { holidayRow().querySelector('input').focus(); });
  $('l-add-makeup').addEventListener('click', function () { makeupRow().querySelector('input').focus(); });
  holidayRow();
  makeupRow();

  // A link from the banner (#load=2027) names the year and brings the form into view.
  function applyLoadHash() {
    const want = new URLSearchParams(location.hash.slice(1)).get('load');
    if (!/^\d{4}$/.test(want || '')) return;
    $('l-year').value = want;
    loader.scrollIntoView();
    $('l-notice').focus();
  }
  window.addEventListener('hashchange', applyLoadHash);
  applyLoadHash();

  // dropEmptyRows removes the rows left blank, so that the rows sent are the rows shown.
  function dropEmptyRows() {
    for (const row of [...holidays.children, ...makeup.children]) {
      if ([...row.querySelectorAll('input')].every(function (i) { return !i.value.trim(); })) row.remove();
    }
    renumber();
  }

  form.addEventListener('submit', async function (ev) {
    ev.preventDefault();
    Z.clearFormErrors(form);
    dropEmptyRows();
    const y = $('l-year').value.trim();
    if (!/^\d{4}$/.test(y)) {
      Z.showFormErrors(form, { status: 400, data: { message: { zh: '年份有误', en: 'invalid year' },
        fields: [{ field: 'year', message: { zh: '须为四位年份', en: 'a four-digit year' } }] } });
      return;
    }
    const res = await Z.api('PUT', '/api/v1/calendar/' + y, { json: body() });
    if (!res.ok) { Z.showFormErrors(form, res); return; }
    Z.showOK(form, y + ' 年节假日安排已加载（' + res.data.schedule.notice + '，rev ' + res.data.revision + '），等待该年安排的期限将重新计算。/ Loaded; the deadlines waiting for it are being computed.');
    await Promise.all([loadYears(), Z.refreshCalendar()]);
    await showYear(Number(y));
    years.querySelector('button[data-year="' + y + '"]').focus();
  });
}
